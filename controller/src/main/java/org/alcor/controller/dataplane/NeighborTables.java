package org.alcor.controller.dataplane;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.alcor.controller.core.Resource;
import org.alcor.proto.NeighborPolicy;

/**
 * The neighbour node of the engine: one {@link NeighborTable} per VPC, kept current from port and host-address
 * changes. Each round it reports which tables changed and which changed policy, so the engine marks only the hosts
 * that need sending. Written by the engine thread; lookups from any thread.
 */
final class NeighborTables {
    private final int pushLimit;
    private final ConcurrentHashMap<String, NeighborTable> tables = new ConcurrentHashMap<>();
    private record Before(NeighborPolicy policy, long lastInvalidation) {}

    /** Tables changed this round, as they were before the round's first change. */
    private final Map<String, Before> touched = new HashMap<>();

    NeighborTables(int pushLimit) { this.pushLimit = pushLimit; }

    NeighborTable get(String vpcId) { return tables.get(vpcId); }

    Collection<NeighborTable> all() { return tables.values(); }

    NeighborPolicy policy(String vpcId) {
        NeighborTable t = tables.get(vpcId);
        return t == null ? NeighborPolicy.PROACTIVE : t.policy();
    }

    /** A port's entries follow it: the old ones go (unless another port took the address), the new ones come. */
    void portChanged(PortRecord before, PortRecord after, Snapshot snapshot) {
        if (before != null) {
            for (PortRecord.FixedIp ip : before.fixedIps()) {
                if (after != null && after.networkId().equals(before.networkId()) && after.fixedIps().contains(ip)) continue;
                NeighborTable t = tables.get(before.networkId());
                if (t != null) {
                    Before was = before(t);
                    if (t.remove(ip.ip(), before.id())) touched.putIfAbsent(t.vpcId(), was);
                }
            }
        }
        if (after != null) upsert(after, snapshot);
    }

    /** The host's tunnel endpoint changed: every entry of its ports is rewritten (or removed, with no endpoint). */
    void hostAddressChanged(String hostId, Snapshot snapshot) {
        for (PortRecord port : snapshot.portsOn(hostId)) upsert(port, snapshot);
    }

    private void upsert(PortRecord port, Snapshot snapshot) {
        NeighborTable t = tables.computeIfAbsent(port.networkId(), vpc -> new NeighborTable(vpc, pushLimit));
        Resource network = snapshot.network(port.networkId());
        if (network != null) t.vni(ResourceStates.vni(network));
        Before was = before(t);
        String hostIp = snapshot.hostIp(port.hostId());
        boolean changed = false;
        for (PortRecord.FixedIp ip : port.fixedIps()) {
            Neighbor n = Neighbor.of(port, ip, hostIp);
            changed |= n != null ? t.upsert(n) : t.remove(ip.ip(), port.id());
        }
        if (changed) touched.putIfAbsent(t.vpcId(), was);
    }

    /** A network changed or went: its VNI (for lookups) follows; a deleted network's table goes with it. */
    void networkChanged(String vpcId, Snapshot snapshot) {
        Resource network = snapshot.network(vpcId);
        if (network == null) {
            tables.remove(vpcId);
            touched.remove(vpcId);
            return;
        }
        NeighborTable t = tables.get(vpcId);
        if (t != null) t.vni(ResourceStates.vni(network));
    }

    private static Before before(NeighborTable t) { return new Before(t.policy(), t.lastInvalidation()); }

    /**
     * The tables whose hosts have news since the last call, each with whether its policy flipped; forgets them. An
     * ON_DEMAND table whose changes were all new addresses has no news: a million creates mark no host.
     */
    Map<String, Boolean> drainTouched() {
        Map<String, Boolean> out = new HashMap<>();
        touched.forEach((vpc, was) -> {
            NeighborTable t = tables.get(vpc);
            if (t == null) return;
            boolean flipped = t.policy() != was.policy();
            boolean news = flipped || t.policy() == NeighborPolicy.PROACTIVE || t.lastInvalidation() != was.lastInvalidation();
            if (news) out.put(vpc, flipped);
        });
        touched.clear();
        return out;
    }

    /** Answers LookupNeighbor: where an address of the VPC lives, if a bound port holds it. Any thread. */
    org.alcor.proto.NeighborState lookup(String vpcId, String ip) {
        NeighborTable t = tables.get(vpcId);
        Neighbor n = t == null ? null : t.lookup(ip);
        return n == null ? null : n.toState(vpcId, t.vniForLookups());
    }

    /** Tables with purgeable history, for housekeeping. */
    List<NeighborTable> withHistory() {
        return tables.values().stream().filter(t -> t.tombstones() > 0).toList();
    }
}
