package org.alcor.agent.pipeline;

import org.alcor.agent.flow.FlowCookie;
import org.alcor.agent.openflow.Flow;
import org.alcor.agent.state.HostState;
import org.alcor.proto.AllowedAddressPair;
import org.alcor.proto.Direction;
import org.alcor.agent.lab.NeighborTables;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.NeighborState;
import org.alcor.proto.Operation;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

class PipelineBuilderTest {
    static final PipelineBuilder BUILDER = new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1"));
    static final Map<String, Integer> PLUGGED = Map.of("p1", 5);

    static HostState state() {
        HostState s = new HostState();
        s.apply(GoalState.newBuilder().setVersion(1).setFullSnapshot(true)
                .putVpcs("v", vpc("v", 1001))
                .putSubnets("s", subnet("s", "v", "10.1.0.0/24", "10.1.0.1"))
                .putPorts("p1", port("p1", "v", "s", "fa:16:3e:00:01:01", "10.1.0.11", "h1", "sg"))
                .putNeighbors("v/10.1.0.12", neighbor("v", 1001, "s", "p2", "fa:16:3e:00:01:02", "10.1.0.12", "172.31.250.2"))
                .putSecurityGroups("sg", sg("sg", rule("e", Direction.EGRESS, "", ""), rule("i", Direction.INGRESS, "tcp", "10.0.0.0/8")))
                .build());
        return s;
    }

    /** A delta with one neighbour, as the controller pushes it in the neighbors map. */
    static void push(HostState s, NeighborState n) {
        s.apply(GoalState.newBuilder().setVersion(s.version() + 1).putNeighbors(n.getVpcId() + "/" + n.getIp(), n).build());
    }

    static Set<Long> cookies(List<Flow> flows) { return flows.stream().map(Flow::cookie).collect(Collectors.toSet()); }

    static List<Flow> ofResource(List<Flow> flows, String resource) {
        long bits = FlowCookie.resourceBits(resource);
        return flows.stream().filter(f -> (f.cookie() & 0xffffffff00000000L) == bits).toList();
    }

    static String hex(Flow f) { return HexFormat.of().formatHex(f.match().fields()); }

    @Test
    void theSameGoalStateGivesTheSameFlowsAndCookies() {
        assertEquals(cookies(BUILDER.build(state(), PLUGGED)), cookies(BUILDER.build(state(), PLUGGED)));
    }

    @Test
    void everyFlowHasADistinctCookie() {
        List<Flow> flows = BUILDER.build(state(), PLUGGED);
        assertEquals(flows.size(), cookies(flows).size());
    }

    @Test
    void aPortWithoutItsInterfaceGetsNoFlows() {
        List<Flow> flows = BUILDER.build(state(), Map.of());
        assertTrue(ofResource(flows, "port/p1").isEmpty());
        assertFalse(ofResource(BUILDER.build(state(), PLUGGED), "port/p1").isEmpty());
    }

    @Test
    void portSecurityOnlyAdmitsThePortsMacWithItsAddressesAndDhcp() {
        List<Flow> ps = BUILDER.build(state(), PLUGGED).stream().filter(f -> f.table() == Tables.PORT_SECURITY && f.priority() > 0).toList();
        // IPv4 from its address, ARP from its address and MAC, DHCP to the agent
        assertEquals(3, ps.size(), ps.toString());
        for (Flow f : ps) assertTrue(hex(f).contains("fa163e000101"), "every admitted flow pins the source MAC: " + f);
        assertTrue(ps.stream().anyMatch(f -> hex(f).contains("80001604" + "0a01000b")), "ipv4_src=10.1.0.11");
        assertTrue(ps.stream().anyMatch(f -> hex(f).contains("80002c04" + "0a01000b")), "arp_spa=10.1.0.11");
    }

    @Test
    void anAllowedAddressPairAddsItsMacAndPrefix() {
        HostState s = state();
        s.ports.put("p1", s.ports.get("p1").toBuilder().addAllowedAddressPairs(
                AllowedAddressPair.newBuilder().setIpAddress("10.1.0.200/30").setMacAddress("fa:16:3e:00:09:09")).build());
        List<Flow> ps = BUILDER.build(s, PLUGGED).stream().filter(f -> f.table() == Tables.PORT_SECURITY && f.priority() == 100).toList();
        assertEquals(4, ps.size());
        assertTrue(ps.stream().anyMatch(f -> hex(f).contains("fa163e000909") && hex(f).contains("80001708" + "0a0100c8fffffffc")), ps.toString());
    }

    @Test
    void changingOnePortLeavesTheOtherResourcesFlowsUntouched() {
        HostState s = state();
        List<Flow> before = BUILDER.build(s, PLUGGED);
        s.ports.put("p1", s.ports.get("p1").toBuilder().setMac("fa:16:3e:00:01:99").build());
        List<Flow> after = BUILDER.build(s, PLUGGED);
        assertEquals(cookies(ofResource(before, "neighbor/v/10.1.0.12")), cookies(ofResource(after, "neighbor/v/10.1.0.12")));
        assertNotEquals(cookies(ofResource(before, "port/p1")), cookies(ofResource(after, "port/p1")));
    }

    @Test
    void aRemoteNeighborIsTunnelledAndAnsweredByArpAndANeighborOnThisHostIsNot() {
        HostState s = state();
        List<Flow> n = ofResource(BUILDER.build(s, PLUGGED), "neighbor/v/10.1.0.12");
        assertEquals(Set.of(Tables.L2_LOCAL, Tables.ARP_RESPONDER, Tables.L3_NEIGHBOR), n.stream().map(Flow::table).collect(Collectors.toSet()));
        push(s, neighbor("v", 1001, "s", "p2", "fa:16:3e:00:01:02", "10.1.0.12", "172.31.250.1"));
        assertTrue(ofResource(BUILDER.build(s, PLUGGED), "neighbor/v/10.1.0.12").isEmpty());
    }

    @Test
    void aDeletedPortLosesAllItsFlowsIncludingItsSecurityGroupFlows() {
        HostState s = state();
        assertFalse(BUILDER.build(s, PLUGGED).stream().noneMatch(f -> f.table() == Tables.INGRESS_SG && f.priority() == 200));
        s.apply(GoalState.newBuilder().setVersion(2).putPorts("p1", s.ports.get("p1").toBuilder().setOp(Operation.DELETE).build()).build());
        List<Flow> flows = BUILDER.build(s, PLUGGED);
        assertTrue(ofResource(flows, "port/p1").isEmpty());
        assertTrue(flows.stream().noneMatch(f -> f.priority() == 200 && (f.table() == Tables.INGRESS_SG || f.table() == Tables.EGRESS_SG)));
    }

    @Test
    void portRangesSplitIntoExactMaskedBlocks() {
        for (int[] r : new int[][] {{1, 65535}, {22, 22}, {1000, 1999}, {80, 443}}) {
            boolean[] covered = new boolean[65536];
            for (int[] b : SecurityGroupFlows.portBlocks(r[0], r[1])) {
                for (int p = 0; p < 65536; p++) if ((p & b[1]) == b[0]) { assertFalse(covered[p]); covered[p] = true; }
            }
            for (int p = 0; p < 65536; p++) assertEquals(p >= r[0] && p <= r[1], covered[p], "port " + p + " in " + r[0] + "-" + r[1]);
        }
    }

    @Test
    void aRemoteGroupRuleAdmitsTheGroupMembersAddresses() {
        HostState s = state();
        s.securityGroups.put("sg", sg("sg", rule("i", Direction.INGRESS, "icmp", "").toBuilder().setRemoteGroupId("sg").build()));
        List<Flow> in = BUILDER.build(s, PLUGGED).stream().filter(f -> f.table() == Tables.INGRESS_SG && f.priority() == 200).toList();
        assertEquals(1, in.size());
        assertTrue(hex(in.get(0)).contains("80001604" + "0a01000b"), "ipv4_src = the member 10.1.0.11");
    }

    @Test
    void memoisedNeighborFlowsEqualAFullRecomputeAfterChanges() {
        PipelineBuilder reused = new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1"));
        HostState s = state();
        reused.build(s, PLUGGED);
        push(s, neighbor("v", 1001, "s", "p2", "fa:16:3e:00:01:02", "10.1.0.12", "172.31.250.3"));
        push(s, neighbor("v", 1001, "s", "p3", "fa:16:3e:00:01:03", "10.1.0.13", "172.31.250.2"));
        assertEquals(cookies(new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1")).build(s, PLUGGED)), cookies(reused.build(s, PLUGGED)));
        s.neighbors.remove("v/10.1.0.12");
        s.ports.remove("p1");
        assertEquals(cookies(new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1")).build(s, PLUGGED)), cookies(reused.build(s, PLUGGED)));
    }

    @Test
    void aPortWithoutPortSecurityIsNeitherFilteredNorTracked() {
        HostState s = state();
        s.ports.put("p1", s.ports.get("p1").toBuilder().setPortSecurityEnabled(false).build());
        List<Flow> flows = BUILDER.build(s, PLUGGED);
        List<Flow> ps = flows.stream().filter(f -> f.table() == Tables.PORT_SECURITY && f.priority() == 100).toList();
        assertEquals(1, ps.size());
        assertFalse(hex(ps.get(0)).contains("fa163e000101"), "any source MAC");
        assertTrue(flows.stream().noneMatch(f -> f.table() == Tables.INGRESS_SG && f.priority() == 200), "no rule flows");
        assertTrue(flows.stream().noneMatch(f -> f.table() == Tables.INGRESS_CT && HexFormat.of().formatHex(f.instructions().encoded()).contains("00230000")),
                "no ct() on delivery");
    }

    @Test
    void aRemoteGroupMemberOnAnotherHostCountsWhenSentAsAnInfoPortAndGetsNoFlows() {
        HostState s = state();
        s.securityGroups.put("sg", sg("sg", rule("i", Direction.INGRESS, "icmp", "").toBuilder().setRemoteGroupId("sg").build()));
        s.ports.put("p2", port("p2", "v", "s", "fa:16:3e:00:01:02", "10.1.0.12", "h2", "sg").toBuilder().setOp(Operation.INFO).build());
        List<Flow> flows = BUILDER.build(s, Map.of("p1", 5, "p2", 6));
        List<Flow> in = flows.stream().filter(f -> f.table() == Tables.INGRESS_SG && f.priority() == 200).toList();
        assertEquals(2, in.size(), "one flow per member address");
        assertTrue(in.stream().anyMatch(f -> hex(f).contains("80001604" + "0a01000c")), "ipv4_src = the remote member 10.1.0.12");
        assertTrue(ofResource(flows, "port/p2").isEmpty(), "an INFO port is never programmed as local");
    }

    static boolean punts(Flow f) { return HexFormat.of().formatHex(f.instructions().encoded()).contains("fffffffd"); }

    static final String REG6_1001 = "00010c04" + "000003e9", REG6_1002 = "00010c04" + "000003ea";

    static HostState withPolicy(HostState s, String vpc, NeighborPolicy policy) {
        s.apply(GoalState.newBuilder().setVersion(s.version() + 1).putVpcs(vpc, s.vpcs.get(vpc).toBuilder().setNeighborPolicy(policy).build()).build());
        return s;
    }

    /** A second VPC "w" (VNI 1002) with a local port p5 on ofport 6; the state's VPC "v" stays as it is. */
    static HostState withSecondVpc(HostState s) {
        s.apply(GoalState.newBuilder().setVersion(s.version() + 1).putVpcs("w", vpc("w", 1002))
                .putSubnets("s-w", subnet("s-w", "w", "10.1.0.0/24", "10.1.0.1"))
                .putPorts("p5", port("p5", "w", "s-w", "fa:16:3e:00:05:01", "10.1.0.11", "h1", "sg")).build());
        return s;
    }

    static final Map<String, Integer> TWO_PLUGGED = Map.of("p1", 5, "p5", 6);

    @Test
    void unknownAddressesArePuntedOnlyInOnDemandVpcsAndOnlyForThatVpcsVni() {
        List<Flow> proactive = BUILDER.build(withSecondVpc(state()), TWO_PLUGGED);
        assertTrue(proactive.stream().noneMatch(f -> f.table() != Tables.PORT_SECURITY && punts(f)), "only DHCP goes to the agent: " + proactive);
        List<Flow> flows = BUILDER.build(withPolicy(withSecondVpc(state()), "v", NeighborPolicy.ON_DEMAND), TWO_PLUGGED);
        List<Flow> arp = flows.stream().filter(f -> f.table() == Tables.ARP_RESPONDER && punts(f)).toList();
        List<Flow> l3 = flows.stream().filter(f -> f.table() == Tables.L3_NEIGHBOR && punts(f)).toList();
        assertEquals(1, arp.size(), arp.toString());
        assertEquals(1, l3.size(), l3.toString());
        for (Flow f : List.of(arp.get(0), l3.get(0))) {
            assertTrue(hex(f).contains(REG6_1001), "matches the ON_DEMAND VPC's VNI: " + f);
            assertTrue(f.priority() < 100, "below every known address");
        }
        assertTrue(flows.stream().filter(PipelineBuilderTest::punts).noneMatch(f -> hex(f).contains(REG6_1002)), "nothing of the PROACTIVE VPC");
        Flow drop = flows.stream().filter(f -> f.table() == Tables.L3_NEIGHBOR && f.priority() == 0).findFirst().orElseThrow();
        assertFalse(punts(drop), "the table miss stays a drop");
    }

    static HostState byGroup(HostState s) {
        s.apply(GoalState.newBuilder().setVersion(s.version() + 1).putSecurityGroups("sg", sg("sg", rule("e", Direction.EGRESS, "", ""),
                rule("i", Direction.INGRESS, "icmp", "").toBuilder().setRemoteGroupId("sg").build())).build());
        return s;
    }

    static List<Flow> ingressOf(List<Flow> flows, int ofport, int priority) {
        String reg7 = "00010e04" + String.format("%08x", ofport);
        return flows.stream().filter(f -> f.table() == Tables.INGRESS_SG && f.priority() == priority && hex(f).contains(reg7)).toList();
    }

    @Test
    void aNewIncomingConnectionNoRuleAdmitsIsPuntedOnlyForARemoteGroupRuleInAnOnDemandVpc() {
        List<Flow> proactive = BUILDER.build(withSecondVpc(byGroup(state())), TWO_PLUGGED);
        assertTrue(proactive.stream().noneMatch(f -> f.table() == Tables.INGRESS_SG && punts(f)));
        List<Flow> flows = BUILDER.build(withPolicy(withSecondVpc(byGroup(state())), "v", NeighborPolicy.ON_DEMAND), TWO_PLUGGED);
        List<Flow> punt = ingressOf(flows, 5, SecurityGroupFlows.PUNT_PRIORITY);
        assertEquals(1, punt.size(), "p1 (ON_DEMAND VPC) punts");
        assertTrue(punts(punt.get(0)));
        assertTrue(hex(punt.get(0)).contains("0001d308" + "0000002100000021"), "new connections only (+trk+new): " + punt.get(0));
        assertTrue(ingressOf(flows, 6, SecurityGroupFlows.PUNT_PRIORITY).isEmpty(), "p5 is in a PROACTIVE VPC");
        // with only a prefix rule there is nothing to learn
        HostState prefixOnly = withPolicy(state(), "v", NeighborPolicy.ON_DEMAND);
        assertTrue(BUILDER.build(prefixOnly, PLUGGED).stream().noneMatch(f -> f.table() == Tables.INGRESS_SG && punts(f)));
    }

    @Test
    void aRemoteGroupRuleAdmitsNeighboursWhoseGroupsContainItInThePortsVpcOnly() {
        HostState s = withSecondVpc(byGroup(state()));
        s.apply(GoalState.newBuilder().setVersion(s.version() + 1)
                .addNeighborTables(NeighborTables.of("v").put("10.1.0.20", "fa:16:3e:00:01:20", "172.31.250.2", "sg", "other")
                        .put("10.1.0.21", "fa:16:3e:00:01:21", "172.31.250.2", "other").put("fd00::20", "fa:16:3e:00:01:22", "172.31.250.2", "sg").build())
                .addNeighborTables(NeighborTables.of("w").put("10.1.0.30", "fa:16:3e:00:01:30", "172.31.250.2", "sg").build()).build());
        s.learnNeighbor(new org.alcor.agent.state.Neighbor("v", "10.1.0.40", 0xfa163e000140L, org.alcor.agent.net.Ipv4.parse("172.31.250.3"), 0, "", List.of("sg")));
        List<Flow> flows = BUILDER.build(s, TWO_PLUGGED);
        List<String> p1Sources = ingressOf(flows, 5, 200).stream().map(PipelineBuilderTest::hex).toList();
        for (String member : new String[] {"0a01000b", "0a010014", "0a010028"}) {   // itself, pushed, learnt
            assertTrue(p1Sources.stream().anyMatch(h -> h.contains("80001604" + member)), member + " in " + p1Sources);
        }
        assertEquals(3, p1Sources.size(), "not 10.1.0.21 (other group), nor 10.1.0.30 (other VPC), nor the IPv6 member: " + p1Sources);
        List<String> p5Sources = ingressOf(flows, 6, 200).stream().map(PipelineBuilderTest::hex).toList();
        assertEquals(2, p5Sources.size(), "p5 (VPC w): itself and 10.1.0.30: " + p5Sources);
        assertTrue(p5Sources.stream().anyMatch(h -> h.contains("80001604" + "0a01001e")));
    }

    @Test
    void aSuppressedSourceIsDroppedAboveThePuntAndBelowTheRulesInOnDemandVpcsOnly() {
        HostState s = withPolicy(withSecondVpc(byGroup(state())), "v", NeighborPolicy.ON_DEMAND);
        s.suppressedSources.add("v/10.1.0.99", 0);
        s.suppressedSources.add("w/10.1.0.98", 0);
        List<Flow> flows = BUILDER.build(s, TWO_PLUGGED).stream()
                .filter(f -> f.table() == Tables.INGRESS_SG && f.priority() == SecurityGroupFlows.SUPPRESSED_PRIORITY).toList();
        assertEquals(1, flows.size(), flows.toString());
        assertTrue(hex(flows.get(0)).contains(REG6_1001) && hex(flows.get(0)).contains("80001604" + "0a010063"), flows.toString());
        assertEquals(0, flows.get(0).instructions().length(), "a drop");
        assertTrue(SecurityGroupFlows.RULE_PRIORITY > SecurityGroupFlows.SUPPRESSED_PRIORITY
                && SecurityGroupFlows.SUPPRESSED_PRIORITY > SecurityGroupFlows.PUNT_PRIORITY);
    }

    @Test
    void neighbourTableEntriesGetTheSameFlowsAsTheNeighborsMapAndIpv6OnesNone() {
        HostState fromMap = state();
        HostState fromTable = state();
        // the map entry deleted, the same address sent again as a table entry (which has no VNI or port id)
        fromTable.apply(GoalState.newBuilder().setVersion(2).putNeighbors("v/10.1.0.12",
                        neighbor("v", 1001, "s", "p2", "fa:16:3e:00:01:02", "10.1.0.12", "172.31.250.2").toBuilder().setOp(Operation.DELETE).build())
                .addNeighborTables(NeighborTables.of("v").put("10.1.0.12", "fa:16:3e:00:01:02", "172.31.250.2").put("fd00::12", "fa:16:3e:00:01:03", "172.31.250.2").build()).build());
        assertEquals(2, fromTable.neighbors.size());
        List<Flow> a = BUILDER.build(fromMap, PLUGGED), b = BUILDER.build(fromTable, PLUGGED);
        assertEquals(cookies(ofResource(a, "neighbor/v/10.1.0.12")), cookies(ofResource(b, "neighbor/v/10.1.0.12")));
        assertEquals(3, ofResource(b, "neighbor/v/10.1.0.12").size());
        assertTrue(ofResource(b, "neighbor/v/fd00::12").isEmpty(), "the pipeline is IPv4");
    }
}
