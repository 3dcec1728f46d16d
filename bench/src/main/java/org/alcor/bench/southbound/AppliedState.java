package org.alcor.bench.southbound;

import com.google.protobuf.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborState;
import org.alcor.proto.NeighborTable;
import org.alcor.proto.NeighborType;
import org.alcor.proto.Operation;

/**
 * A host's goal state as an agent holds it after applying messages: a full snapshot (all of its parts) replaces
 * everything, a delta patches (DELETE removes, anything else stores); a deleted VPC takes its neighbours with it.
 * Neighbour tables are unpacked into NeighborStates keyed "vpc/ip" (type L2, the groups of the port), so two views
 * compare equal when they describe the same configuration. States are kept without their operation (but INFO).
 *
 * <p>Compact mode (the bench, thousands of hosts per JVM) keeps only each state's serialized size: enough to count
 * what a host holds and to size its minimal encoding, at a few dozen bytes per resource; its neighbours are packed
 * addresses (see {@link CompactNeighbors}).
 */
public final class AppliedState {
    /** Bytes per neighbour in the minimal encoding: IPv4 address 4, MAC 6, a 2-byte host index, a 1-byte group-set index. */
    public static final int MINIMAL_NEIGHBOR_BYTES = 13;

    private final boolean compact;
    private final Map<String, Map<String, Object>> maps = new HashMap<>();
    /** Compact mode's neighbours (the "neighbor" map stays empty then). */
    private final CompactNeighbors neighbors = new CompactNeighbors();
    /** The parts of a snapshot received so far, applied together when the last one comes. */
    private final List<GoalState> parts = new ArrayList<>();

    public AppliedState() { this(false); }

    public AppliedState(boolean compact) { this.compact = compact; }

    /** Applies one message; false when it was a snapshot part that is kept until the last one. */
    public synchronized boolean apply(GoalState gs) {
        if (gs.getFullSnapshot()) parts.clear();
        if (gs.getMoreParts() || !parts.isEmpty()) {
            if (!gs.getFullSnapshot() && parts.isEmpty()) return false;   // a part of a snapshot whose start was missed
            parts.add(gs);
            if (gs.getMoreParts()) return false;
            clear();
            for (GoalState part : parts) patch(part);
            parts.clear();
            return true;
        }
        if (gs.getFullSnapshot()) clear();
        patch(gs);
        return true;
    }

    private void clear() {
        maps.clear();
        neighbors.clear();
    }

    /** One record of a VPC feed: neighbour changes outside any version. */
    public synchronized void applyNeighbors(NeighborTable changes) { patchTable(changes); }

    /** A broken stream discards a snapshot that was still arriving (the controller starts it again). */
    public synchronized void streamEnded() { parts.clear(); }

    private void patch(GoalState gs) {
        patch("vpc", gs.getVpcsMap(), m -> m.getOp());
        patch("subnet", gs.getSubnetsMap(), m -> m.getOp());
        patch("port", gs.getPortsMap(), m -> m.getOp());
        if (compact) {
            gs.getNeighborsMap().forEach((key, n) -> {
                if (n.getOp() == Operation.DELETE) neighbors.remove(key);
                else neighbors.put(key);
            });
        } else {
            patch("neighbor", gs.getNeighborsMap(), m -> m.getOp());
        }
        patch("security_group", gs.getSecurityGroupsMap(), m -> m.getOp());
        patch("dhcp", gs.getDhcpMap(), m -> m.getOp());
        patch("router", gs.getRoutersMap(), m -> m.getOp());
        patch("gateway", gs.getGatewaysMap(), m -> m.getOp());
        for (NeighborTable t : gs.getNeighborTablesList()) patchTable(t);
        gs.getVpcsMap().forEach((id, vpc) -> {
            if (vpc.getOp() != Operation.DELETE) return;
            if (compact) neighbors.removeVpc(id);
            else map("neighbor").keySet().removeIf(k -> k.startsWith(id + "/"));
        });
    }

    private <M extends Message> void patch(String kind, Map<String, M> entries, Function<M, Operation> op) {
        if (entries.isEmpty()) return;
        Map<String, Object> target = map(kind);
        entries.forEach((key, state) -> {
            if (op.apply(state) == Operation.DELETE) target.remove(key);
            else target.put(key, held(withoutOp(state)));
        });
    }

    private void patchTable(NeighborTable t) {
        if (t.getReplace()) {   // what was held of the VPC's neighbours is dropped: the table follows whole
            if (compact) neighbors.removeVpc(t.getVpcId());
            else map("neighbor").keySet().removeIf(k -> k.startsWith(t.getVpcId() + "/"));
        }
        if (compact) {
            patchCompact(t);
            return;
        }
        Map<String, Object> target = map("neighbor");
        for (int i = 0; i < t.getDeletedIpv4Count(); i++) target.remove(t.getVpcId() + "/" + ipv4(t.getDeletedIpv4(i)));
        ByteBuffer deleted6 = t.getDeletedIpv6().asReadOnlyByteBuffer();
        while (deleted6.remaining() >= 16) target.remove(t.getVpcId() + "/" + ipv6(deleted6.getLong(), deleted6.getLong()));
        for (NeighborState n : entries(t)) target.put(n.getVpcId() + "/" + n.getIp(), held(n));
    }

    private void patchCompact(NeighborTable t) {
        String vpc = t.getVpcId();
        for (int i = 0; i < t.getDeletedIpv4Count(); i++) neighbors.removeIpv4(vpc, t.getDeletedIpv4(i));
        ByteBuffer deleted6 = t.getDeletedIpv6().asReadOnlyByteBuffer();
        while (deleted6.remaining() >= 16) neighbors.remove(vpc + "/" + ipv6(deleted6.getLong(), deleted6.getLong()));
        for (int i = 0; i < t.getIpv4Count(); i++) neighbors.putIpv4(vpc, t.getIpv4(i));
        ByteBuffer v6 = t.getIpv6().asReadOnlyByteBuffer();
        while (v6.remaining() >= 16) neighbors.put(vpc + "/" + ipv6(v6.getLong(), v6.getLong()));
    }

    /** The upserts of a table as NeighborStates (type L2, without port and subnet, which the table does not carry). */
    public static List<NeighborState> entries(NeighborTable t) {
        List<NeighborState> out = new ArrayList<>();
        ByteBuffer macs = t.getMacs().asReadOnlyByteBuffer(), v6 = t.getIpv6().asReadOnlyByteBuffer();
        int n4 = t.getIpv4Count(), total = n4 + t.getIpv6().size() / 16;
        for (int i = 0; i < total; i++) {
            String ip = i < n4 ? ipv4(t.getIpv4(i)) : ipv6(v6.getLong(), v6.getLong());
            long mac = ((macs.getShort() & 0xffffL) << 32) | (macs.getInt() & 0xffffffffL);
            var b = NeighborState.newBuilder().setVpcId(t.getVpcId()).setIp(ip).setMac(mac(mac))
                    .setHostUnderlayIp(ipv4(t.getHostIpv4(i))).setType(NeighborType.L2);
            int set = t.getGroupSet(i);
            if (set > 0) b.addAllSecurityGroupIds(t.getGroupSets(set - 1).getSecurityGroupIdsList());
            out.add(b.build());
        }
        return out;
    }

    private Object held(Message m) { return compact ? (Object) m.getSerializedSize() : m; }

    private Map<String, Object> map(String kind) { return maps.computeIfAbsent(kind, k -> new HashMap<>()); }

    /** CREATE and UPDATE are how a state arrived, not what it is; INFO (another host's port) is kept. */
    private static Message withoutOp(Message m) {
        var op = m.getDescriptorForType().findFieldByName("op");
        if (m.getField(op) == Operation.INFO.getValueDescriptor()) return m;
        return m.toBuilder().clearField(op).build();
    }

    static String ipv4(int v) { return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff); }

    static String ipv6(long high, long low) {
        byte[] b = ByteBuffer.allocate(16).putLong(high).putLong(low).array();
        try {
            // Canonical (RFC 5952) text, as the controller renders addresses.
            String s = java.net.InetAddress.getByAddress(b).getHostAddress();
            return canonicalIpv6(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Java prints 2001:db8:0:0:0:0:0:1; Neutron (and the controller) 2001:db8::1. */
    private static String canonicalIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) { i++; continue; }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) j++;
            if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        if (bestStart < 0) return String.join(":", groups);
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }

    static String mac(long v) {
        var sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) sb.append(':');
            int octet = (int) ((v >>> shift) & 0xff);
            sb.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return sb.toString();
    }

    private static final Map<String, org.alcor.proto.ResourceType> TYPES = Map.of("vpc", org.alcor.proto.ResourceType.VPC,
            "subnet", org.alcor.proto.ResourceType.SUBNET, "port", org.alcor.proto.ResourceType.PORT,
            "security_group", org.alcor.proto.ResourceType.SECURITY_GROUP, "dhcp", org.alcor.proto.ResourceType.DHCP,
            "router", org.alcor.proto.ResourceType.ROUTER, "gateway", org.alcor.proto.ResourceType.GATEWAY);

    /**
     * What this state holds as reconciliation digests it (StateDigest, computed as a real agent does): a count and
     * hash per kind, and per PROACTIVE VPC of its neighbours. Not in compact mode, which keeps no states.
     */
    public synchronized org.alcor.proto.StateDigest digest(long version, String epoch) {
        if (compact) throw new IllegalStateException("a compact state keeps sizes, not states");
        var d = org.alcor.proto.StateDigest.newBuilder().setVersion(version).setEpoch(epoch == null ? "" : epoch);
        TYPES.forEach((kind, type) -> {
            var sum = new org.alcor.southbound.digest.StateDigests.Sum();
            maps.getOrDefault(kind, Map.of()).forEach((id, m) ->
                    sum.add(org.alcor.southbound.digest.StateDigests.member(id, org.alcor.southbound.digest.StateDigests.fingerprint((Message) m))));
            if (sum.count() > 0) d.addGroups(org.alcor.proto.GroupDigest.newBuilder().setType(type).setCount(sum.count()).setHash(sum.hash()));
        });
        var byVpc = neighborSums(false);
        byVpc.forEach((vpc, sum) -> d.addGroups(org.alcor.proto.GroupDigest.newBuilder().setType(org.alcor.proto.ResourceType.NEIGHBOR)
                .setVpcId(vpc).setCount(sum.count()).setHash(sum.hash())));
        return d.build();
    }

    /**
     * What this state holds as a Hello's inventory (every local state's fingerprint, every VPC's neighbour sum), as a
     * real agent says it; null in compact mode, which keeps no states.
     */
    public synchronized org.alcor.proto.Inventory inventory() {
        if (compact) return null;
        var inv = org.alcor.proto.Inventory.newBuilder();
        TYPES.forEach((kind, type) -> maps.getOrDefault(kind, Map.of()).forEach((id, m) -> inv.addStates(org.alcor.proto.HeldState.newBuilder()
                .setType(type).setId(id).setFingerprint(org.alcor.southbound.digest.StateDigests.fingerprint((Message) m)))));
        neighborSums(true).forEach((vpc, sum) -> inv.addNeighbors(org.alcor.proto.GroupDigest.newBuilder()
                .setType(org.alcor.proto.ResourceType.NEIGHBOR).setVpcId(vpc).setCount(sum.count()).setHash(sum.hash())));
        return inv.build();
    }

    private Map<String, org.alcor.southbound.digest.StateDigests.Sum> neighborSums(boolean onDemandToo) {
        Map<String, org.alcor.southbound.digest.StateDigests.Sum> byVpc = new java.util.TreeMap<>();
        Map<String, Object> vpcs = maps.getOrDefault("vpc", Map.of());
        maps.getOrDefault("neighbor", Map.of()).forEach((key, m) -> {
            NeighborState n = (NeighborState) m;
            String vpc = key.substring(0, key.indexOf('/'));
            var v = (org.alcor.proto.VpcState) vpcs.get(vpc);
            if (!onDemandToo && v != null && v.getNeighborPolicy() == org.alcor.proto.NeighborPolicy.ON_DEMAND) return;
            long[] a = org.alcor.southbound.digest.StateDigests.address(key.substring(key.indexOf('/') + 1));
            long mac = Long.parseLong(n.getMac().replace(":", ""), 16);
            long[] host = org.alcor.southbound.digest.StateDigests.address(n.getHostUnderlayIp());
            byVpc.computeIfAbsent(vpc, x -> new org.alcor.southbound.digest.StateDigests.Sum())
                    .add(org.alcor.southbound.digest.StateDigests.neighbor(a[0], a[1], mac, (int) host[1], n.getSecurityGroupIdsList()));
        });
        return byVpc;
    }

    /** Adds one entry, as an agent that kept a stale one would (a test's injected drift; not in compact mode). */
    public synchronized void remember(String kind, String key, Message state) { map(kind).put(key, held(state)); }

    /** Drops one entry, as an agent that lost it would (a test's injected drift). */
    public synchronized boolean forget(String kind, String key) { return maps.getOrDefault(kind, new HashMap<>()).remove(key) != null; }

    /** A copy of one kind's entries ("vpc", "subnet", "port", "neighbor", "security_group", "dhcp", "router", "gateway"). */
    @SuppressWarnings("unchecked")
    public synchronized Map<String, Message> entries(String kind) {
        if (compact) throw new IllegalStateException("a compact state keeps sizes, not states");
        return Map.copyOf((Map<String, Message>) (Map<String, ?>) maps.getOrDefault(kind, Map.of()));
    }

    /** The keys of one kind's entries (in compact mode too). */
    public synchronized java.util.Set<String> keys(String kind) {
        if (compact && kind.equals("neighbor")) return java.util.Set.copyOf(neighbors.keys());
        return java.util.Set.copyOf(maps.getOrDefault(kind, Map.of()).keySet());
    }

    /** How many entries of one kind the host holds. */
    public synchronized int count(String kind) {
        if (compact && kind.equals("neighbor")) return neighbors.size();
        return maps.getOrDefault(kind, Map.of()).size();
    }

    /** A copy of everything, for comparing two hosts' views. */
    @SuppressWarnings("unchecked")
    public synchronized Map<String, Map<String, Message>> all() {
        if (compact) throw new IllegalStateException("a compact state keeps sizes, not states");
        Map<String, Map<String, Message>> copy = new HashMap<>();
        maps.forEach((k, v) -> { if (!v.isEmpty()) copy.put(k, Map.copyOf((Map<String, Message>) (Map<String, ?>) v)); });
        return copy;
    }

    public synchronized int size() { return neighbors.size() + maps.values().stream().mapToInt(Map::size).sum(); }

    /**
     * The smallest encoding of what the host holds, as the bench judges bytes sent against: every local state at its
     * protobuf size plus its key, and every neighbour at {@link #MINIMAL_NEIGHBOR_BYTES}.
     */
    public synchronized long minimalBytes() {
        long total = (long) neighbors.size() * MINIMAL_NEIGHBOR_BYTES;
        for (var kind : maps.entrySet()) {
            for (var e : kind.getValue().entrySet()) {
                if (kind.getKey().equals("neighbor")) total += MINIMAL_NEIGHBOR_BYTES;
                else total += e.getKey().length() + (e.getValue() instanceof Integer size ? size : ((Message) e.getValue()).getSerializedSize());
            }
        }
        return total;
    }
}
