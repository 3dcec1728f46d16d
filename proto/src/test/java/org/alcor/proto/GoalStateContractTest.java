package org.alcor.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GoalStateContractTest {

    @Test
    void goalStateSurvivesTheWire() throws Exception {
        long version = (1L << 40) + 7; // beyond int range: must stay a 64-bit unsigned value
        GoalState sent = GoalState.newBuilder()
                .setHostId("host-1")
                .setVersion(version)
                .setFullSnapshot(true)
                .putVpcs("vpc-1", VpcState.newBuilder()
                        .setOp(Operation.CREATE).setId("vpc-1").setProjectId("p1").setVni(5001).addCidrs("10.0.0.0/16")
                        .build())
                .putSubnets("sub-1", SubnetState.newBuilder()
                        .setOp(Operation.CREATE).setId("sub-1").setVpcId("vpc-1").setCidr("10.0.1.0/24")
                        .setIpVersion(IpVersion.IPV4).setGatewayIp("10.0.1.1").setDhcpEnabled(true)
                        .addHostRoutes(HostRoute.newBuilder().setDestination("0.0.0.0/0").setNexthop("10.0.1.1"))
                        .setMtu(1450)
                        .build())
                .putPorts("port-1", PortState.newBuilder()
                        .setOp(Operation.UPDATE).setId("port-1").setVpcId("vpc-1").setMac("fa:16:3e:00:00:01")
                        .addFixedIps(FixedIp.newBuilder().setSubnetId("sub-1").setIpAddress("10.0.1.5"))
                        .addSecurityGroupIds("sg-1").setPortSecurityEnabled(true).setHostId("host-1")
                        .setAdminStateUp(true).setDeviceOwner("compute:nova")
                        .build())
                .build();

        ControllerMessage wire = ControllerMessage.newBuilder().setGoalState(sent).build();
        ControllerMessage received = ControllerMessage.parseFrom(wire.toByteArray());

        assertTrue(received.hasGoalState());
        GoalState parsed = received.getGoalState();
        assertEquals(sent, parsed);
        assertEquals(version, parsed.getVersion());
        assertEquals(5001, parsed.getVpcsOrThrow("vpc-1").getVni());
        assertEquals("10.0.1.5", parsed.getPortsOrThrow("port-1").getFixedIps(0).getIpAddress());
        assertEquals(IpVersion.IPV4, parsed.getSubnetsOrThrow("sub-1").getIpVersion());
    }
}
