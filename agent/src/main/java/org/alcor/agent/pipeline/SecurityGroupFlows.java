package org.alcor.agent.pipeline;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.openflow.Actions;
import org.alcor.agent.openflow.Instructions;
import org.alcor.agent.openflow.Match;
import org.alcor.agent.openflow.Oxm;
import org.alcor.agent.state.HostState;
import org.alcor.proto.Direction;
import org.alcor.proto.FixedIp;
import org.alcor.proto.IpVersion;
import org.alcor.proto.NeighborState;
import org.alcor.proto.SecurityGroupRule;
import org.alcor.proto.SecurityGroupState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static org.alcor.agent.pipeline.Tables.*;

/**
 * Stateful security groups on conntrack, Neutron semantics: a port with port security drops every new
 * connection no rule of its groups allows, in both directions; replies and related packets of committed
 * connections pass (the shared est/rel flows); IPv6 rules are not programmed (the pipeline is IPv4 only).
 * Each allowed new connection is committed in the port's zone.
 */
final class SecurityGroupFlows {
    private final HostState state;
    private final List<PipelineBuilder.LocalPort> local;

    SecurityGroupFlows(HostState state, List<PipelineBuilder.LocalPort> local) {
        this.state = state;
        this.local = local;
    }

    void addTo(FlowSet fs) {
        for (PipelineBuilder.LocalPort lp : local) {
            if (!lp.port().getPortSecurityEnabled() || !lp.port().getAdminStateUp()) continue;
            for (String sgId : lp.port().getSecurityGroupIdsList()) {
                SecurityGroupState sg = state.securityGroups.get(sgId);
                if (sg == null) continue;
                for (SecurityGroupRule rule : sg.getRulesList()) ruleFlows(fs, lp, sgId, rule);
            }
        }
    }

    private void ruleFlows(FlowSet fs, PipelineBuilder.LocalPort lp, String sgId, SecurityGroupRule rule) {
        if (rule.getEthertype() == IpVersion.IPV6) return;
        if (!rule.getRemoteIpPrefix().isEmpty() && !Ipv4.isIpv4(rule.getRemoteIpPrefix())) return;
        String res = "sg/" + sgId + "/" + rule.getId() + "/" + lp.port().getId();
        int of = lp.ofport();
        boolean ingress = rule.getDirection() == Direction.INGRESS;
        int proto = protocol(rule.getProtocol());
        if (proto == -2) return;   // unknown protocol name: nothing can match it
        List<Ipv4.Prefix> remotes = remotes(rule);
        for (Ipv4.Prefix remote : remotes) {
            for (long[] l4 : l4Matches(proto, rule)) {
                Match.Builder m = Match.builder();
                if (ingress) m.reg(REG_OUT_PORT, of); else m.inPort(of);
                m.ethType(ETH_IP).ctState(CT_TRK | CT_NEW, CT_TRK | CT_NEW);
                if (remote != null) m.ipv4(ingress ? Oxm.IPV4_SRC : Oxm.IPV4_DST, remote.address(), remote.length());
                if (proto >= 0) m.ipProto(proto);
                if (l4 != null) {
                    if (l4[0] == -1) m.field(Oxm.ICMPV4_TYPE, l4[1]);
                    else if (l4[0] == -2) m.field(Oxm.ICMPV4_TYPE, l4[1]).field(Oxm.ICMPV4_CODE, l4[2]);
                    else m.masked(proto == IP_TCP ? Oxm.TCP_DST : Oxm.UDP_DST, l4[1], l4[2]);
                }
                Actions commit = Actions.of().ct(true, PipelineBuilder.zone(of), -1);
                Instructions ins = ingress ? Instructions.apply(commit.output(of)) : Instructions.of(commit, L3_ROUTE);
                fs.add(res, ingress ? INGRESS_SG : EGRESS_SG, 200, m.build(), ins);
            }
        }
    }

    /** null in the list means "any address"; a remote group expands to its members' addresses. */
    private List<Ipv4.Prefix> remotes(SecurityGroupRule rule) {
        List<Ipv4.Prefix> out = new ArrayList<>();
        if (!rule.getRemoteGroupId().isEmpty()) {
            TreeSet<String> ips = new TreeSet<>();
            for (var p : state.ports.values()) {
                if (!p.getSecurityGroupIdsList().contains(rule.getRemoteGroupId())) continue;
                for (FixedIp ip : p.getFixedIpsList()) if (Ipv4.isIpv4(ip.getIpAddress())) ips.add(ip.getIpAddress());
            }
            // members on other hosts count when the controller sends them as PortState with op INFO
            // (NeighborState carries no group membership)
            for (String ip : ips) out.add(Ipv4.prefix(ip));
            return out;
        }
        if (rule.getRemoteIpPrefix().isEmpty()) out.add(null);
        else {
            Ipv4.Prefix p = Ipv4.prefix(rule.getRemoteIpPrefix());
            out.add(p.length() == 0 ? null : p);
        }
        return out;
    }

    /** -1 any IP protocol, -2 unknown. */
    static int protocol(String p) {
        String s = p.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "", "any" -> -1;
            case "icmp" -> IP_ICMP;
            case "tcp" -> IP_TCP;
            case "udp" -> IP_UDP;
            default -> {
                try { yield Integer.parseInt(s); } catch (NumberFormatException e) { yield -2; }
            }
        };
    }

    /**
     * L4 parts of a rule: null = none; {-1, type} ICMP type; {-2, type, code}; {port, value, mask} for each
     * masked block of a TCP/UDP port range.
     */
    private static List<long[]> l4Matches(int proto, SecurityGroupRule r) {
        List<long[]> out = new ArrayList<>();
        if (proto == IP_ICMP && r.hasPortRangeMin()) {
            if (r.hasPortRangeMax()) out.add(new long[] {-2, r.getPortRangeMin(), r.getPortRangeMax()});
            else out.add(new long[] {-1, r.getPortRangeMin()});
        } else if ((proto == IP_TCP || proto == IP_UDP) && (r.hasPortRangeMin() || r.hasPortRangeMax())) {
            int lo = r.hasPortRangeMin() ? r.getPortRangeMin() : 1;
            int hi = r.hasPortRangeMax() ? r.getPortRangeMax() : 65535;
            for (int[] b : portBlocks(lo, hi)) out.add(new long[] {0, b[0], b[1]});
        }
        if (out.isEmpty()) out.add(null);
        return out;
    }

    /** Splits [lo, hi] into aligned power-of-two blocks, each one value/mask match. */
    static List<int[]> portBlocks(int lo, int hi) {
        List<int[]> out = new ArrayList<>();
        long cur = lo;
        while (cur <= hi) {
            int size = 1;
            while ((cur & (size * 2L - 1)) == 0 && cur + size * 2L - 1 <= hi && size < 65536) size *= 2;
            out.add(new int[] {(int) cur, 0xffff & ~(size - 1)});
            cur += size;
        }
        return out;
    }
}
