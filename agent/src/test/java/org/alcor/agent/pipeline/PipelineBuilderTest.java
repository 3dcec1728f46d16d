package org.alcor.agent.pipeline;

import org.alcor.agent.flow.FlowCookie;
import org.alcor.agent.openflow.Flow;
import org.alcor.agent.state.HostState;
import org.alcor.proto.AllowedAddressPair;
import org.alcor.proto.Direction;
import org.alcor.proto.GoalState;
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
    static final PipelineBuilder BUILDER = new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1", false));
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
        s.neighbors.put("v/10.1.0.12", s.neighbors.get("v/10.1.0.12").toBuilder().setHostUnderlayIp("172.31.250.1").build());
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
        PipelineBuilder reused = new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1", false));
        HostState s = state();
        reused.build(s, PLUGGED);
        s.neighbors.put("v/10.1.0.12", s.neighbors.get("v/10.1.0.12").toBuilder().setHostUnderlayIp("172.31.250.3").build());
        s.neighbors.put("v/10.1.0.13", neighbor("v", 1001, "s", "p3", "fa:16:3e:00:01:03", "10.1.0.13", "172.31.250.2"));
        assertEquals(cookies(new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1", false)).build(s, PLUGGED)), cookies(reused.build(s, PLUGGED)));
        s.neighbors.remove("v/10.1.0.12");
        s.ports.remove("p1");
        assertEquals(cookies(new PipelineBuilder(new PipelineConfig(4000, "172.31.250.1", false)).build(s, PLUGGED)), cookies(reused.build(s, PLUGGED)));
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
}
