package org.alcor.controller.dataplane;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.Resource;
import org.alcor.proto.NeighborState;
import org.alcor.proto.Operation;

/**
 * The neighbor table of one VPC: where each address of its bound ports lives. It is the same for every host of
 * the VPC, so it is held once per VPC (not per host) and its changes are multicast to the VPC's hosts.
 *
 * <p>Policy: while the VPC has at most {@code pushLimit} neighbor entries it is proactive: a joining host gets the
 * whole table and every change goes to every host. Above it, new entries are not pushed (hosts ask with
 * LookupNeighbor and cache the answer), but moves and deletes still are, so no host keeps a stale entry: pushing
 * every neighbor to every host is ports × hosts messages, which a million-port VPC cannot afford.
 */
public final class VpcNeighbors {
    /** One neighbor change, built once with its operation and shared by every receiving host. */
    public record Change(String key, NeighborState state) {}

    private final String vpcId;
    private final int pushLimit;
    private final Map<String, List<NeighborState>> byPort = new HashMap<>();
    private final Map<String, NeighborState> byKey = new HashMap<>();
    /** Hosts connected to this controller that have ports in this VPC. */
    private final Set<String> subscribers = new LinkedHashSet<>();

    public VpcNeighbors(String vpcId, int pushLimit) {
        this.vpcId = vpcId;
        this.pushLimit = pushLimit;
    }

    public String vpcId() { return vpcId; }

    public boolean proactive() { return byKey.size() <= pushLimit; }

    public Set<String> subscribers() { return subscribers; }

    public int size() { return byKey.size(); }

    public boolean holds(String portId) { return byPort.containsKey(portId); }

    public NeighborState lookup(String ip) { return byKey.get(ResourceStates.neighborKey(vpcId, ip)); }

    /**
     * Sets the port's entries (none when it is unbound, deleted, or its host has no known address) and returns
     * the changes to multicast: in on-demand mode new entries are left out.
     */
    public List<Change> apply(String portId, Resource port, long vni, String hostUnderlayIp) {
        // Held with op CREATE, so a joining host's snapshot reuses the very messages.
        List<NeighborState> next = port == null || hostUnderlayIp == null ? List.of()
                : ResourceStates.neighbors(port, vni, hostUnderlayIp).stream().map(n -> n.toBuilder().setOp(Operation.CREATE).build()).toList();
        List<NeighborState> prev = byPort.getOrDefault(portId, List.of());
        if (prev.equals(next)) return List.of();
        List<Change> changes = new ArrayList<>();
        Set<String> nextKeys = new java.util.HashSet<>();
        for (NeighborState n : next) nextKeys.add(key(n));
        for (NeighborState p : prev) {
            String key = key(p);
            if (!nextKeys.contains(key)) {
                byKey.remove(key);
                changes.add(new Change(key, p.toBuilder().setOp(Operation.DELETE).build()));
            }
        }
        // Proactive while the table, with this change, stays within the limit.
        boolean pushNew = byKey.size() + next.size() - prev.size() <= pushLimit;
        for (NeighborState n : next) {
            String key = key(n);
            NeighborState old = byKey.put(key, n);
            if (old == null) {
                if (pushNew) changes.add(new Change(key, n));
            } else if (!old.equals(n)) {
                changes.add(new Change(key, n.toBuilder().setOp(Operation.UPDATE).build()));
            }
        }
        if (next.isEmpty()) byPort.remove(portId); else byPort.put(portId, next);
        return changes;
    }

    /** The ports of this VPC bound to a host, for when that host's underlay address changes. */
    public List<String> portsOnHost(String underlayIp) {
        List<String> out = new ArrayList<>();
        byPort.forEach((port, entries) -> {
            if (!entries.isEmpty() && entries.getFirst().getHostUnderlayIp().equals(underlayIp)) out.add(port);
        });
        return out;
    }

    /** The whole table for a joining host, or nothing in on-demand mode. */
    public void snapshotInto(GoalStateAssembler out) {
        if (!proactive()) return;
        byKey.forEach(out::putNeighbor);
    }

    private static String key(NeighborState n) { return ResourceStates.neighborKey(n.getVpcId(), n.getIp()); }
}
