package org.alcor.agent.pipeline;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.state.HostState;
import org.alcor.agent.state.Neighbor;
import org.alcor.proto.FixedIp;
import org.alcor.proto.PortState;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The IPv4 addresses of each security group's members that this host knows, per VPC: its own ports, other hosts'
 * ports sent as INFO (the older form of membership), and neighbours, pushed or learnt, whose groups contain the
 * group. Per VPC because addresses overlap between VPCs: a member 10.0.0.5 of one VPC says nothing about the
 * 10.0.0.5 of another, and traffic never crosses VPCs. Computed once per build, for the groups rules refer to,
 * in one pass over the neighbours (rather than one per rule and port).
 */
final class RemoteGroupMembers {
    private final Map<String, SortedSet<String>> byVpcAndGroup = new HashMap<>();

    RemoteGroupMembers(HostState state, Set<String> groups) {
        if (groups.isEmpty()) return;
        for (PortState p : state.ports.values()) {
            for (String g : p.getSecurityGroupIdsList()) {
                if (!groups.contains(g)) continue;
                for (FixedIp ip : p.getFixedIpsList()) if (Ipv4.isIpv4(ip.getIpAddress())) add(p.getVpcId(), g, ip.getIpAddress());
            }
        }
        for (Neighbor n : state.neighbors.values()) {
            if (n.securityGroupIds().isEmpty() || !n.isIpv4()) continue;
            for (String g : n.securityGroupIds()) if (groups.contains(g)) add(n.vpcId(), g, n.ip());
        }
    }

    private void add(String vpc, String group, String ip) {
        byVpcAndGroup.computeIfAbsent(vpc + "\0" + group, k -> new TreeSet<>()).add(ip);
    }

    /** Sorted, so that flows come out in a stable order. */
    SortedSet<String> of(String vpcId, String groupId) {
        return byVpcAndGroup.getOrDefault(vpcId + "\0" + groupId, new TreeSet<>());
    }
}
