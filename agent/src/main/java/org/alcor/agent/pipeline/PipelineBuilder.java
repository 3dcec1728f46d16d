package org.alcor.agent.pipeline;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.agent.openflow.Actions;
import org.alcor.agent.openflow.Flow;
import org.alcor.agent.openflow.Instructions;
import org.alcor.agent.openflow.Match;
import org.alcor.agent.openflow.Oxm;
import org.alcor.agent.state.HostState;
import org.alcor.agent.state.Neighbor;
import org.alcor.proto.AllowedAddressPair;
import org.alcor.proto.FixedIp;
import org.alcor.proto.PortState;
import org.alcor.proto.RouterInterface;
import org.alcor.proto.RouterState;
import org.alcor.proto.SubnetState;
import org.alcor.proto.VpcState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.alcor.agent.pipeline.Tables.*;

/**
 * desired(host): the complete flow table of br-int computed from the goal state and the plugged interfaces,
 * with no I/O (DESIGN.md §6 #1). Each flow's cookie names the resource that caused it: "port/<id>",
 * "neighbor/<key>", "vpc/<id>", "router/<id>", "sg/<group>/<rule>/<port>", "suppressed/<key>" or "pipeline".
 * <p>
 * Per VPC neighbour policy: in an ON_DEMAND VPC (only moves and deletes are pushed) an ARP request or a routed
 * packet for an address without an entry, and a new incoming connection a remote-group rule cannot judge, are
 * punted to the agent, which resolves the address with the controller; in a PROACTIVE one they are dropped.
 * <p>
 * Neighbors dominate at scale (one VPC of 1M ports is 1M neighbors, three flows each), so their flows are
 * memoised per neighbor and recomputed only when the neighbor, its VNI or its locality changed; the result is
 * the same as a full recompute (a test checks it). Not thread-safe: owned by the apply thread.
 */
public final class PipelineBuilder {
    private final PipelineConfig config;
    private record NeighborInputs(Neighbor neighbor, int vni, boolean remote) {}
    private record CachedFlows(NeighborInputs inputs, List<Flow> flows) {}
    private final Map<String, CachedFlows> neighborCache = new java.util.HashMap<>();

    private final int underlayIpv4;

    public PipelineBuilder(PipelineConfig config) {
        this.config = config;
        this.underlayIpv4 = Ipv4.isIpv4(config.underlayIp()) ? Ipv4.parse(config.underlayIp()) : 0;
    }

    /** A VM port that is both in the goal state and plugged (iface-id on br-int with an ofport). */
    public record LocalPort(PortState port, int ofport, int vni) {}

    public List<Flow> build(HostState state, Map<String, Integer> pluggedOfports) {
        FlowSet fs = new FlowSet();
        Map<String, Integer> vniOfVpc = new TreeMap<>();
        for (VpcState v : state.vpcs.values()) vniOfVpc.put(v.getId(), v.getVni());
        List<LocalPort> local = new ArrayList<>();
        for (PortState p : state.ports.values()) {
            if (p.getOp() == org.alcor.proto.Operation.INFO) continue;   // a remote port, known for its groups only
            Integer ofport = pluggedOfports.get(p.getId());
            Integer vni = vniOfVpc.get(p.getVpcId());
            if (ofport != null && ofport > 0 && vni != null) local.add(new LocalPort(p, ofport, vni));
        }
        basePipeline(fs);
        for (LocalPort lp : local) portFlows(fs, lp);
        java.util.Set<String> localPortIds = localIds(local);
        Map<String, TreeSet<Long>> remoteHosts = new java.util.HashMap<>();
        for (Map.Entry<String, Neighbor> e : state.neighbors.entrySet()) {
            Neighbor n = e.getValue();
            int vni = n.vni() != 0 ? n.vni() : vniOfVpc.getOrDefault(n.vpcId(), 0);
            NeighborInputs in = new NeighborInputs(n, vni, isRemote(n, localPortIds));
            CachedFlows c = neighborCache.get(e.getKey());
            if (c == null || !c.inputs().equals(in)) {
                FlowSet one = new FlowSet();
                if (in.remote() && vni != 0) neighborFlows(one, e.getKey(), n, vni);
                c = new CachedFlows(in, one.toList());
                neighborCache.put(e.getKey(), c);
            }
            fs.addAll(c.flows());
            if (in.remote()) remoteHosts.computeIfAbsent(n.vpcId(), k -> new TreeSet<>()).add(n.hostIpv4() & 0xffffffffL);
        }
        neighborCache.keySet().retainAll(state.neighbors.keySet());
        for (Map.Entry<String, Integer> v : vniOfVpc.entrySet()) {
            vpcFlows(fs, v.getKey(), v.getValue(), local, remoteHosts.getOrDefault(v.getKey(), new TreeSet<>()), state.isOnDemand(v.getKey()));
        }
        suppressedSourceFlows(fs, state, vniOfVpc);
        for (RouterState r : state.routers.values()) routerFlows(fs, state, r, vniOfVpc);
        new SecurityGroupFlows(state, local).addTo(fs);
        return fs.toList();
    }

    /** Table-miss drops and the conntrack verdicts shared by every port. */
    private void basePipeline(FlowSet fs) {
        for (int t : new int[] {CLASSIFY, PORT_SECURITY, EGRESS_SG, L2_LOCAL, L2_FROM_TUNNEL, INGRESS_CT, INGRESS_SG}) {
            fs.add("pipeline", t, 0, Match.ANY, Instructions.DROP);
        }
        fs.add("pipeline", ARP_RESPONDER, 0, Match.ANY, Instructions.gotoTable(L2_LOCAL));
        fs.add("pipeline", L3_ROUTE, 0, Match.ANY, Instructions.gotoTable(L2_LOCAL));
        fs.add("pipeline", L3_NEIGHBOR, 0, Match.ANY, Instructions.DROP);
        Match inv = Match.builder().ethType(ETH_IP).ctState(CT_TRK | CT_INV, CT_TRK | CT_INV).build();
        fs.add("pipeline", EGRESS_SG, 310, inv, Instructions.DROP);
        fs.add("pipeline", INGRESS_SG, 310, inv, Instructions.DROP);
        for (int st : new int[] {CT_EST, CT_REL}) {
            Match m = Match.builder().ethType(ETH_IP).ctState(CT_TRK | st, CT_TRK | st).build();
            fs.add("pipeline", EGRESS_SG, 300, m, Instructions.gotoTable(L3_ROUTE));
        }
        // ARP from the tunnel is only switched (answers were given on the sender's host)
    }

    private void portFlows(FlowSet fs, LocalPort lp) {
        PortState p = lp.port();
        String res = "port/" + p.getId();
        int of = lp.ofport();
        long mac = Mac.parse(p.getMac());
        if (!p.getAdminStateUp()) {
            fs.add(res, CLASSIFY, 100, Match.builder().inPort(of).build(), Instructions.DROP);
            return;
        }
        fs.add(res, CLASSIFY, 100, Match.builder().inPort(of).build(),
                Instructions.of(Actions.of().setField(Oxm.reg(REG_VNI), lp.vni()), PORT_SECURITY));
        // DHCP never leaves the host: the agent answers from the goal state
        fs.add(res, PORT_SECURITY, 200, Match.builder().inPort(of).ethSrc(mac).ethType(ETH_IP).ipProto(IP_UDP)
                .field(Oxm.UDP_SRC, 68).field(Oxm.UDP_DST, 67).build(), Instructions.apply(Actions.of().controller()));
        Instructions toEgressSg = Instructions.apply(Actions.of().ct(false, zone(of), EGRESS_SG));
        if (!p.getPortSecurityEnabled()) {
            fs.add(res, PORT_SECURITY, 100, Match.builder().inPort(of).ethType(ETH_IP).build(), Instructions.gotoTable(L3_ROUTE));
            fs.add(res, PORT_SECURITY, 90, Match.builder().inPort(of).build(), Instructions.gotoTable(ARP_RESPONDER));
        } else {
            List<long[]> allowed = new ArrayList<>();   // {mac, ip, prefixLen}
            for (FixedIp ip : p.getFixedIpsList()) {
                if (Ipv4.isIpv4(ip.getIpAddress())) allowed.add(new long[] {mac, Ipv4.parse(ip.getIpAddress()), 32});
            }
            for (AllowedAddressPair ap : p.getAllowedAddressPairsList()) {
                if (!Ipv4.isIpv4(ap.getIpAddress())) continue;
                Ipv4.Prefix pre = Ipv4.prefix(ap.getIpAddress());
                long m = ap.getMacAddress().isEmpty() ? mac : Mac.parse(ap.getMacAddress());
                allowed.add(new long[] {m, pre.address(), pre.length()});
            }
            for (long[] a : allowed) {
                fs.add(res, PORT_SECURITY, 100, Match.builder().inPort(of).ethSrc(a[0]).ethType(ETH_IP)
                        .ipv4(Oxm.IPV4_SRC, (int) a[1], (int) a[2]).build(), toEgressSg);
                fs.add(res, PORT_SECURITY, 100, Match.builder().inPort(of).ethSrc(a[0]).ethType(ETH_ARP)
                        .ipv4(Oxm.ARP_SPA, (int) a[1], (int) a[2]).field(Oxm.ARP_SHA, a[0]).build(), Instructions.gotoTable(ARP_RESPONDER));
            }
        }
        // delivery: the L2 tables pick the port, the ingress stage outputs it
        Match toPort = Match.builder().reg(REG_VNI, lp.vni()).ethDst(mac).build();
        Instructions deliver = Instructions.of(Actions.of().setField(Oxm.reg(REG_OUT_PORT), of), INGRESS_CT);
        fs.add(res, L2_LOCAL, 100, toPort, deliver);
        fs.add(res, L2_FROM_TUNNEL, 100, toPort, deliver);
        for (FixedIp ip : p.getFixedIpsList()) {
            if (!Ipv4.isIpv4(ip.getIpAddress())) continue;
            int addr = Ipv4.parse(ip.getIpAddress());
            arpResponder(fs, res, lp.vni(), addr, mac);
            fs.add(res, L3_NEIGHBOR, 100, Match.builder().reg(REG_VNI, lp.vni()).ethType(ETH_IP).field(Oxm.IPV4_DST, addr & 0xffffffffL).build(),
                    Instructions.of(Actions.of().setField(Oxm.ETH_DST, mac), L2_LOCAL));
        }
        Match out = Match.builder().reg(REG_OUT_PORT, of).build();
        if (p.getPortSecurityEnabled()) {
            fs.add(res, INGRESS_CT, 100, Match.builder().reg(REG_OUT_PORT, of).ethType(ETH_IP).build(),
                    Instructions.apply(Actions.of().ct(false, zone(of), INGRESS_SG)));
            fs.add(res, INGRESS_CT, 90, out, Instructions.apply(Actions.of().output(of)));
            for (int st : new int[] {CT_EST, CT_REL}) {
                fs.add(res, INGRESS_SG, 300, Match.builder().reg(REG_OUT_PORT, of).ethType(ETH_IP).ctState(CT_TRK | st, CT_TRK | st).build(),
                        Instructions.apply(Actions.of().output(of)));
            }
        } else {
            fs.add(res, INGRESS_CT, 100, out, Instructions.apply(Actions.of().output(of)));
        }
    }

    /** Conntrack zone of a port: its ofport, so the two ends of a local connection are tracked separately. */
    static int zone(int ofport) { return ofport & 0xffff; }

    /**
     * Broadcast and multicast of a VPC: every other local port and every remote host that has a port in it. In an
     * ON_DEMAND VPC, also the punts of the addresses without an entry (below every known address's flow).
     */
    private void vpcFlows(FlowSet fs, String vpcId, int vni, List<LocalPort> local, TreeSet<Long> remoteHosts, boolean onDemand) {
        String res = "vpc/" + vpcId;
        if (onDemand) {
            // an ARP request nobody here can answer: the agent asks the controller instead of flooding the VPC
            fs.add(res, ARP_RESPONDER, 50, Match.builder().reg(REG_VNI, vni).ethType(ETH_ARP).field(Oxm.ARP_OP, 1).build(),
                    Instructions.apply(Actions.of().controller()));
            fs.add(res, L3_NEIGHBOR, 50, Match.builder().reg(REG_VNI, vni).ethType(ETH_IP).build(), Instructions.apply(Actions.of().controller()));
        }
        fs.add(res, CLASSIFY, 100, Match.builder().inPort(config.tunnelOfport()).tunnelId(vni).build(),
                Instructions.of(Actions.of().setField(Oxm.reg(REG_VNI), vni), L2_FROM_TUNNEL));
        Actions toLocal = Actions.of();
        for (LocalPort lp : local) if (lp.vni() == vni && lp.port().getAdminStateUp()) toLocal.output(lp.ofport());
        Actions flood = Actions.of();
        for (LocalPort lp : local) if (lp.vni() == vni && lp.port().getAdminStateUp()) flood.output(lp.ofport());
        if (!remoteHosts.isEmpty()) flood.setField(Oxm.TUNNEL_ID, vni);
        for (long h : remoteHosts) flood.setField(Oxm.TUN_IPV4_DST, h).output(config.tunnelOfport());
        Match bcast = Match.builder().reg(REG_VNI, vni).masked(Oxm.ETH_DST, Mac.MULTICAST_BIT, Mac.MULTICAST_BIT).build();
        fs.add(res, L2_LOCAL, 50, bcast, Instructions.apply(flood));
        fs.add(res, L2_FROM_TUNNEL, 50, bcast, Instructions.apply(toLocal));
        // unknown unicast: flooded like broadcast, so a VM whose neighbor entry is late still reaches it
        fs.add(res, L2_LOCAL, 10, Match.builder().reg(REG_VNI, vni).build(), Instructions.apply(flood));
    }

    private static java.util.Set<String> localIds(List<LocalPort> local) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (LocalPort lp : local) ids.add(lp.port().getId());
        return ids;
    }

    /**
     * A neighbor on another host (ports of this host are switched locally, never tunnelled). The pipeline is IPv4:
     * IPv6 entries are kept (their groups, their keys) but get no flows.
     */
    private boolean isRemote(Neighbor n, java.util.Set<String> localPortIds) {
        if (n.hostIpv4() == 0 || n.hostIpv4() == underlayIpv4) return false;
        if (!n.portId().isEmpty() && localPortIds.contains(n.portId())) return false;
        return n.isIpv4() && Ipv4.isIpv4(n.ip());
    }

    private void neighborFlows(FlowSet fs, String key, Neighbor n, int vni) {
        String res = "neighbor/" + key;
        long mac = n.mac();
        int ip = Ipv4.parse(n.ip());
        fs.add(res, L2_LOCAL, 100, Match.builder().reg(REG_VNI, vni).ethDst(mac).build(),
                Instructions.apply(Actions.of().setField(Oxm.TUNNEL_ID, vni)
                        .setField(Oxm.TUN_IPV4_DST, n.hostIpv4() & 0xffffffffL).output(config.tunnelOfport())));
        arpResponder(fs, res, vni, ip, mac);
        fs.add(res, L3_NEIGHBOR, 100, Match.builder().reg(REG_VNI, vni).ethType(ETH_IP).field(Oxm.IPV4_DST, ip & 0xffffffffL).build(),
                Instructions.of(Actions.of().setField(Oxm.ETH_DST, mac), L2_LOCAL));
    }

    /**
     * Sources of new connections recently judged in ON_DEMAND VPCs: dropped above the ingress punt and below the
     * rules, so that what a rule admits still passes and the rest is no longer punted (see SuppressedSources).
     */
    private static void suppressedSourceFlows(FlowSet fs, HostState state, Map<String, Integer> vniOfVpc) {
        for (String key : state.suppressedSources.keys()) {
            int slash = key.indexOf('/');
            String vpc = key.substring(0, slash), ip = key.substring(slash + 1);
            Integer vni = vniOfVpc.get(vpc);
            if (vni == null || !state.isOnDemand(vpc) || !Ipv4.isIpv4(ip) || ip.indexOf('/') >= 0) continue;
            fs.add("suppressed/" + key, INGRESS_SG, SecurityGroupFlows.SUPPRESSED_PRIORITY, Match.builder().reg(REG_VNI, vni).ethType(ETH_IP)
                    .ctState(CT_TRK | CT_NEW, CT_TRK | CT_NEW).field(Oxm.IPV4_SRC, Ipv4.parse(ip) & 0xffffffffL).build(), Instructions.DROP);
        }
    }

    /** Each router interface MAC is a gateway: packets to it for another attached subnet are routed here. */
    private void routerFlows(FlowSet fs, HostState state, RouterState r, Map<String, Integer> vniOfVpc) {
        String res = "router/" + r.getId();
        for (RouterInterface in : r.getInterfacesList()) {
            SubnetState sIn = state.subnets.get(in.getSubnetId());
            if (sIn == null || !vniOfVpc.containsKey(sIn.getVpcId()) || !Ipv4.isIpv4(in.getIp())) continue;
            int vni = vniOfVpc.get(sIn.getVpcId());
            long inMac = Mac.parse(in.getMac());
            arpResponder(fs, res, vni, Ipv4.parse(in.getIp()), inMac);
            for (RouterInterface outIf : r.getInterfacesList()) {
                if (outIf == in) continue;
                SubnetState sOut = state.subnets.get(outIf.getSubnetId());
                if (sOut == null || !sOut.getVpcId().equals(sIn.getVpcId()) || !Ipv4.isIpv4(sOut.getCidr())) continue;
                Ipv4.Prefix dst = Ipv4.prefix(sOut.getCidr());
                fs.add(res, L3_ROUTE, 200, Match.builder().reg(REG_VNI, vni).ethDst(inMac).ethType(ETH_IP)
                                .ipv4(Oxm.IPV4_DST, dst.address(), dst.length()).build(),
                        Instructions.of(Actions.of().setField(Oxm.ETH_SRC, Mac.parse(outIf.getMac())).decTtl(), L3_NEIGHBOR));
            }
        }
    }

    /** Turns an ARP request for {@code ip} into the reply from {@code mac}, sent back where it came from. */
    static void arpResponder(FlowSet fs, String res, int vni, int ip, long mac) {
        Match m = Match.builder().reg(REG_VNI, vni).ethType(ETH_ARP).field(Oxm.ARP_OP, 1).field(Oxm.ARP_TPA, ip & 0xffffffffL).build();
        Actions a = Actions.of()
                .move(Oxm.NXM_ETH_SRC, Oxm.NXM_ETH_DST)
                .setField(Oxm.ETH_SRC, mac)
                .setField(Oxm.ARP_OP, 2)
                .move(Oxm.NXM_ARP_SHA, Oxm.NXM_ARP_THA)
                .move(Oxm.NXM_ARP_SPA, Oxm.NXM_ARP_TPA)
                .setField(Oxm.ARP_SHA, mac)
                .setField(Oxm.ARP_SPA, ip & 0xffffffffL)
                .output(org.alcor.agent.openflow.Actions.PORT_IN_PORT);
        fs.add(res, ARP_RESPONDER, 100, m, Instructions.apply(a));
    }
}
