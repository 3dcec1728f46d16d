package org.alcor.controller.dataplane;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.alcor.bench.southbound.AppliedState;
import org.alcor.controller.store.Store;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.NeighborState;
import org.alcor.proto.VpcState;

/**
 * Every host's goal state computed from scratch: a second engine on the same store, loaded from it, whose hosts are
 * in-process sinks that apply what they are sent. What an incrementally fed agent holds is compared with it
 * byte for byte (serialized states). Neighbours of an ON_DEMAND VPC are a cache on the agent, not pushed state:
 * there, every entry the agent holds must equal what a lookup answers now.
 */
public final class FullRecompute implements AutoCloseable {
    private final DataplaneEngine engine;
    private final Map<String, AppliedSink> sinks = new HashMap<>();

    private static final class AppliedSink implements HostSink {
        final AppliedState state = new AppliedState();
        volatile long applied;
        long version;

        @Override public boolean canSend(boolean continuingSnapshot) { return true; }

        @Override public void attached() { }

        @Override
        public synchronized boolean send(GoalState.Builder goalState) {
            GoalState gs = goalState.setVersion(++version).build();
            if (state.apply(gs)) applied = version;
            return true;
        }

        @Override public void resync(String reason) { }

        @Override public boolean settled(long version, String epoch) { return false; }   // no digests here

        @Override public int feedCluster() { return -1; }   // the recompute gets every neighbour in its own goal states
    }

    public FullRecompute(Store store, int pushLimit, List<String> hosts) {
        engine = new DataplaneEngine(store, pushLimit, 1 << 20, DataplaneEngine.NONE);
        for (String h : hosts) {
            AppliedSink sink = new AppliedSink();
            sinks.put(h, sink);
            engine.attach(h, sink, false);
        }
    }

    public boolean loaded() { return engine.backlog() == 0 && sinks.values().stream().allMatch(s -> s.applied > 0); }

    /** How the agent's state differs from the recomputed one: empty when equal. */
    public List<String> differences(String hostId, AppliedState agent) {
        Map<String, Map<String, Message>> want = sinks.get(hostId).state.all(), have = agent.all();
        List<String> out = new ArrayList<>();
        for (String kind : union(want.keySet(), have.keySet())) {
            if (kind.equals("neighbor")) continue;
            compare(hostId + " " + kind, want.getOrDefault(kind, Map.of()), have.getOrDefault(kind, Map.of()), out);
        }
        Map<String, Message> wantNeighbors = want.getOrDefault("neighbor", Map.of());
        Map<String, Message> pushed = new HashMap<>(), cached = new HashMap<>();
        have.getOrDefault("neighbor", Map.of()).forEach((key, n) -> {
            String vpc = key.substring(0, key.indexOf('/'));
            var vpcState = (VpcState) want.getOrDefault("vpc", Map.of()).get(vpc);
            if (vpcState == null) out.add(hostId + " holds neighbour " + key + " of a VPC it should not hold");
            else if (vpcState.getNeighborPolicy() == NeighborPolicy.ON_DEMAND) cached.put(key, n);
            else pushed.put(key, n);
        });
        compare(hostId + " pushed neighbours", wantNeighbors, pushed, out);
        cached.forEach((key, n) -> {
            String vpc = key.substring(0, key.indexOf('/')), ip = key.substring(key.indexOf('/') + 1);
            var truth = engine.lookup(vpc, ip).orElse(null);
            NeighborState asCached = truth == null ? null : truth.toBuilder().clearPortId().clearSubnetId().clearVni().build();
            if (asCached == null || !asCached.toByteString().equals(n.toByteString())) {
                out.add(hostId + " caches " + key + " as " + n + " but it is " + asCached);
            }
        });
        return out;
    }

    private static void compare(String what, Map<String, Message> want, Map<String, Message> have, List<String> out) {
        Map<String, ByteString> w = bytes(want), h = bytes(have);
        if (w.equals(h)) return;
        for (String key : union(w.keySet(), h.keySet())) {
            if (!java.util.Objects.equals(w.get(key), h.get(key))) {
                out.add(what + " " + key + ": recomputed " + want.get(key) + " but the agent holds " + have.get(key));
            }
        }
    }

    private static Map<String, ByteString> bytes(Map<String, Message> states) {
        Map<String, ByteString> out = new TreeMap<>();
        states.forEach((k, m) -> out.put(k, m.toByteString()));
        return out;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        var all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Override public void close() { engine.close(); }
}
