package org.alcor.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import org.alcor.proto.AllowedAddressPair;
import org.alcor.proto.FixedIp;
import org.alcor.proto.GoalState;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.SecurityGroupRule;
import org.alcor.proto.SecurityGroupState;
import org.alcor.proto.SubnetState;
import org.junit.jupiter.api.Test;

/**
 * A hostile or broken goal state: every malformed resource is rejected with its reason (the agent acks it as an
 * error) and never enters the host's state, so nothing of it reaches flows or OVSDB; the well-formed ones apply.
 */
class HostileGoalStateTest {
    private static PortState.Builder port(String id) {
        return PortState.newBuilder().setOp(Operation.CREATE).setId(id).setVpcId("v").setMac("fa:16:3e:00:00:01").setHostId("h1")
                .addFixedIps(FixedIp.newBuilder().setSubnetId("s").setIpAddress("10.0.0.5"));
    }

    @Test
    void malformedResourcesAreRejectedWithTheirReasonAndTheRestApply() {
        SecurityGroupState.Builder huge = SecurityGroupState.newBuilder().setOp(Operation.CREATE).setId("sg-huge");
        for (int i = 0; i <= GoalStateChecks.MAX_RULES; i++) huge.addRules(SecurityGroupRule.newBuilder().setId("r" + i).setProtocol("tcp"));
        GoalState gs = GoalState.newBuilder().setVersion(1).setFullSnapshot(true)
                .putPorts("good", port("good").build())
                .putPorts("bad-mac", port("bad-mac").setMac("zz:16:3e:00:00:01").build())
                .putPorts("bad-ip", port("bad-ip").setFixedIps(0, FixedIp.newBuilder().setSubnetId("s").setIpAddress("10.0.0.1;reboot")).build())
                .putPorts("dns-name", port("dns-name").setFixedIps(0, FixedIp.newBuilder().setSubnetId("s").setIpAddress("evil.example.com")).build())
                .putPorts("other-host", port("other-host").setHostId("h2").build())
                .putPorts("remote-member", port("remote-member").setHostId("h2").setOp(Operation.INFO).build())
                .putPorts("p,actions=drop", port("p,actions=drop").build())
                .putPorts("bad-pair", port("bad-pair").addAllowedAddressPairs(AllowedAddressPair.newBuilder().setIpAddress("10.0.0.0/99")).build())
                .putSubnets("s", SubnetState.newBuilder().setOp(Operation.CREATE).setId("s").setCidr("10.0.0.0/24").setGatewayIp("10.0.0.1").build())
                .putSubnets("s-bad", SubnetState.newBuilder().setOp(Operation.CREATE).setId("s-bad").setCidr("10.0.0.0/24\nx").build())
                .putSecurityGroups("sg-huge", huge.build())
                .putSecurityGroups("sg-port", SecurityGroupState.newBuilder().setOp(Operation.CREATE).setId("sg-port")
                        .addRules(SecurityGroupRule.newBuilder().setId("r").setProtocol("tcp").setPortRangeMin(70000).setPortRangeMax(70001)).build())
                .build();
        HostState state = new HostState("h1");
        var applied = state.apply(gs).orElseThrow();

        Map<String, String> rejected = applied.rejected().stream().collect(Collectors.toMap(HostState.Rejected::id, HostState.Rejected::error));
        assertEquals(java.util.Set.of("bad-mac", "bad-ip", "dns-name", "other-host", "p,actions=drop", "bad-pair", "s-bad", "sg-huge", "sg-port"),
                rejected.keySet(), rejected.toString());
        assertTrue(rejected.get("bad-mac").contains("not a MAC address"), rejected.get("bad-mac"));
        assertTrue(rejected.get("dns-name").contains("not an IP address"), "a name is never resolved: " + rejected.get("dns-name"));
        assertTrue(rejected.get("other-host").contains("bound to host h2"), rejected.get("other-host"));
        assertTrue(rejected.get("sg-huge").contains("at most " + GoalStateChecks.MAX_RULES), rejected.get("sg-huge"));
        assertTrue(rejected.get("s-bad").indexOf('\n') < 0, "a hostile value is logged without control characters");
        assertEquals(java.util.Set.of("good", "remote-member"), state.ports.keySet(),
                "only the well-formed ports are held (another host's, as INFO for remote-group rules, is one)");
        assertEquals(java.util.Set.of("s"), state.subnets.keySet());
        assertTrue(state.securityGroups.isEmpty());
    }
}
