package org.alcor.agent.pipeline;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.openflow.Actions;
import org.alcor.agent.openflow.Instructions;
import org.alcor.agent.openflow.Match;
import org.alcor.agent.openflow.Oxm;
import org.alcor.agent.state.HostState;
import org.alcor.proto.Direction;
import org.alcor.proto.IpVersion;
import org.alcor.proto.SecurityGroupRule;
import org.alcor.proto.SecurityGroupState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.alcor.agent.pipeline.Tables.*;

/**
 * Stateful security groups on conntrack, Neutron semantics: a port with port security drops every new
 * connection no rule of its groups allows, in both directions; replies and related packets of committed
 * connections pass (the shared est/rel flows); IPv6 rules are not programmed (the pipeline is IPv4 only).
 * Each allowed new connection is committed in the port's zone.
 * <p>
 * In an ON_DEMAND VPC the host may not know the source of a new incoming connection yet, so a remote-group rule
 * cannot judge it: a port with such a rule gets a punt below the rules, {@code reg7=port,ip,+trk+new →
 * controller}; the agent looks the source up, learns it with its groups and sends the packet through the ingress
 * stage again. Sources already judged get a drop just above the punt for a while ({@code SuppressedSources}),
 * so they are not punted packet after packet.
 */
final class SecurityGroupFlows {
    static final int RULE_PRIORITY = 200, SUPPRESSED_PRIORITY = 150, PUNT_PRIORITY = 100;

    private final HostState state;
    private final List<PipelineBuilder.LocalPort> local;
    private final RemoteGroupMembers members;

    SecurityGroupFlows(HostState state, List<PipelineBuilder.LocalPort> local) {
        this.state = state;
        this.local = local;
        Set<String> remoteGroups = new HashSet<>();
        for (PipelineBuilder.LocalPort lp : filtered()) {
            for (SecurityGroupRule rule : rules(lp)) if (!rule.getRemoteGroupId().isEmpty()) remoteGroups.add(rule.getRemoteGroupId());
        }
        this.members = new RemoteGroupMembers(state, remoteGroups);
    }

    void addTo(FlowSet fs) {
        for (PipelineBuilder.LocalPort lp : filtered()) {
            boolean punt = false;
            for (String sgId : lp.port().getSecurityGroupIdsList()) {
                SecurityGroupState sg = state.securityGroups.get(sgId);
                if (sg == null) continue;
                for (SecurityGroupRule rule : sg.getRulesList()) {
                    ruleFlows(fs, lp, sgId, rule);
                    punt |= rule.getDirection() == Direction.INGRESS && !rule.getRemoteGroupId().isEmpty() && rule.getEthertype() != IpVersion.IPV6;
                }
            }
            if (punt && state.isOnDemand(lp.port().getVpcId())) {
                fs.add("port/" + lp.port().getId(), INGRESS_SG, PUNT_PRIORITY, Match.builder().reg(REG_OUT_PORT, lp.ofport()).ethType(ETH_IP)
                        .ctState(CT_TRK | CT_NEW, CT_TRK | CT_NEW).build(), Instructions.apply(Actions.of().controller()));
            }
        }
    }

    /** The ports whose traffic the groups judge: port security on and administratively up. */
    private List<PipelineBuilder.LocalPort> filtered() {
        return local.stream().filter(lp -> lp.port().getPortSecurityEnabled() && lp.port().getAdminStateUp()).toList();
    }

    private List<SecurityGroupRule> rules(PipelineBuilder.LocalPort lp) {
        List<SecurityGroupRule> out = new ArrayList<>();
        for (String sgId : lp.port().getSecurityGroupIdsList()) {
            SecurityGroupState sg = state.securityGroups.get(sgId);
            if (sg != null) out.addAll(sg.getRulesList());
        }
        return out;
    }

    private void ruleFlows(FlowSet fs, PipelineBuilder.LocalPort lp, String sgId, SecurityGroupRule rule) {
        if (rule.getEthertype() == IpVersion.IPV6) return;
        if (!rule.getRemoteIpPrefix().isEmpty() && !Ipv4.isIpv4(rule.getRemoteIpPrefix())) return;
        String res = "sg/" + sgId + "/" + rule.getId() + "/" + lp.port().getId();
        int of = lp.ofport();
        boolean ingress = rule.getDirection() == Direction.INGRESS;
        int proto = protocol(rule.getProtocol());
        if (proto == -2) return;   // unknown protocol name: nothing can match it
        List<Ipv4.Prefix> remotes = remotes(lp.port().getVpcId(), rule);
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
                fs.add(res, ingress ? INGRESS_SG : EGRESS_SG, RULE_PRIORITY, m.build(), ins);
            }
        }
    }

    /** null in the list means "any address"; a remote group expands to its members' addresses in the port's VPC. */
    private List<Ipv4.Prefix> remotes(String vpcId, SecurityGroupRule rule) {
        List<Ipv4.Prefix> out = new ArrayList<>();
        if (!rule.getRemoteGroupId().isEmpty()) {
            for (String ip : members.of(vpcId, rule.getRemoteGroupId())) out.add(Ipv4.prefix(ip));
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
