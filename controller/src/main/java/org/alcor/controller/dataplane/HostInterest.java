package org.alcor.controller.dataplane;

import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which hosts a change concerns: per VPC, the hosts with ports in it (they hold its VPC, subnet and router states
 * and its neighbour table), and per security group, the hosts with a port-security port in it (they hold its
 * rules). Counted per host, so the engine can tell a port change that only touches the port's own states from
 * one that changes the set of VPCs or groups its host holds (which needs the host's local state recomputed).
 * Covers every host with bound ports, whether or not it is connected here. Written by the engine thread; the VPC
 * index is concurrent so that gRPC threads can check whether a host may ask about a VPC ({@link #serves}).
 */
final class HostInterest {
    /** What one port change means to one host. */
    interface Marks {
        /** Only the port's own states on this host changed. */
        void port(String hostId, String portId);

        /** The host's set of VPCs or groups changed: its local state is recomputed. */
        void recompute(String hostId);
    }

    private final Map<String, Map<String, Integer>> vpcHosts = new ConcurrentHashMap<>(), groupHosts = new HashMap<>();

    void portChanged(PortRecord before, PortRecord after, Marks marks) {
        if (before != null && after != null && before.hostId().equals(after.hostId()) && before.networkId().equals(after.networkId())
                && heldGroups(before).equals(heldGroups(after))) {
            marks.port(after.hostId(), after.id());   // the counts stay as they are
            return;
        }
        boolean leftSets = before != null && remove(before);
        boolean joinedSets = after != null && add(after);
        if (before != null) {
            if (leftSets || (after != null && joinedSets && before.hostId().equals(after.hostId()))) marks.recompute(before.hostId());
            else marks.port(before.hostId(), before.id());
        }
        if (after != null && (before == null || !before.hostId().equals(after.hostId()))) {
            if (joinedSets) marks.recompute(after.hostId()); else marks.port(after.hostId(), after.id());
        }
    }

    private static java.util.List<String> heldGroups(PortRecord p) { return p.portSecurity() ? p.securityGroups() : java.util.List.of(); }

    /** The hosts with ports in the VPC. */
    Set<String> hostsOfVpc(String vpcId) { return vpcHosts.getOrDefault(vpcId, Map.of()).keySet(); }

    /** Whether the host has a port in the VPC. Any thread. */
    boolean serves(String hostId, String vpcId) {
        Map<String, Integer> hosts = vpcHosts.get(vpcId);
        return hosts != null && hosts.containsKey(hostId);
    }

    /** The hosts holding the group's rules. */
    Set<String> hostsOfGroup(String groupId) { return groupHosts.getOrDefault(groupId, Map.of()).keySet(); }

    /** Counts the port in; true when its host thereby holds a VPC or group it did not hold. */
    private boolean add(PortRecord p) {
        boolean joined = vpcHosts.computeIfAbsent(p.networkId(), k -> new ConcurrentHashMap<>()).merge(p.hostId(), 1, Integer::sum) == 1;
        if (p.portSecurity()) for (String g : p.securityGroups()) joined |= increment(groupHosts, g, p.hostId());
        return joined;
    }

    /** Counts the port out; true when its host thereby no longer holds a VPC or group. */
    private boolean remove(PortRecord p) {
        boolean left = decrement(vpcHosts, p.networkId(), p.hostId());
        if (p.portSecurity()) for (String g : p.securityGroups()) left |= decrement(groupHosts, g, p.hostId());
        return left;
    }

    private static boolean increment(Map<String, Map<String, Integer>> index, String key, String host) {
        return index.computeIfAbsent(key, k -> new HashMap<>()).merge(host, 1, Integer::sum) == 1;
    }

    private static boolean decrement(Map<String, Map<String, Integer>> index, String key, String host) {
        Map<String, Integer> hosts = index.get(key);
        Integer n = hosts == null ? null : hosts.get(host);
        if (n == null) return false;
        if (n > 1) {
            hosts.put(host, n - 1);
            return false;
        }
        hosts.remove(host);
        if (hosts.isEmpty()) index.remove(key);
        return true;
    }
}
