package org.alcor.controller.southbound;

import static org.alcor.controller.southbound.SouthboundFixture.ip;
import static org.alcor.controller.southbound.SouthboundFixture.neighborKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.NeighborState;
import org.alcor.proto.Direction;
import org.alcor.proto.PortState;
import org.alcor.proto.RouterState;
import org.alcor.proto.SecurityGroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Goal-state correctness on scenarios: what each host is sent as ports come, move and go. */
class GoalStateScenariosTest {
    private static SouthboundFixture f;

    @BeforeAll
    static void start() { f = new SouthboundFixture(TestController.start()); }

    @AfterAll
    static void stop() { f.close(); }

    private static String host(String name) { return name + "-" + java.util.UUID.randomUUID(); }

    @Test
    void twoPortsOfOneVpcOnTwoHostsSeeEachOtherAsNeighbors() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.1"), b = f.agent(host("b"), "192.0.2.2");
        var net = f.network("10.1.0.0/24");
        var pa = f.port(net.get("id"), a.hostId());
        var pb = f.port(net.get("id"), b.hostId());

        Await.until("each host has its own port", () -> a.state().entries("port").containsKey(pa.get("id"))
                && b.state().entries("port").containsKey(pb.get("id")));
        Await.until("each host knows the other's port as a neighbor", () -> a.state().entries("neighbor").containsKey(neighborKey(net.get("id"), pb))
                && b.state().entries("neighbor").containsKey(neighborKey(net.get("id"), pa)));
        var seenByA = (NeighborState) a.state().entries("neighbor").get(neighborKey(net.get("id"), pb));
        assertEquals("192.0.2.2", seenByA.getHostUnderlayIp());
        assertEquals(pb.get("mac_address"), seenByA.getMac());
        assertTrue(a.state().entries("vpc").containsKey(net.get("id")), "the host gets the VPC");
        assertFalse(a.state().entries("port").containsKey(pb.get("id")), "the other host's port is not plugged here");
        assertTrue(a.state().entries("dhcp").containsKey(pa.get("id")), "the host gets the DHCP lease of its port");
    }

    @Test
    void aPortTurnsActiveWhenItsHostAcknowledgesIt() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.3");
        var net = f.network("10.2.0.0/24");
        var port = f.port(net.get("id"), a.hostId());
        assertEquals("DOWN", port.get("status"), "a new port is DOWN until its host programs it");
        Await.until("the port turns ACTIVE", () -> "ACTIVE".equals(f.status(port.get("id"))));
        assertEquals("ovs", f.admin.get("/v2.0/ports/" + port.get("id")).member("port").get("binding:vif_type"));
        var hosts = f.admin.get("/southbound/hosts").list("hosts");
        var mine = hosts.stream().filter(h -> a.hostId().equals(h.get("host_id"))).findFirst().orElseThrow();
        assertEquals(true, mine.get("connected"));
        assertEquals(mine.get("sent_version"), mine.get("acked_version"), "the host is not lagging: " + mine);
    }

    @Test
    void aPortShowsTheErrorItsHostReports() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.4");
        a.failPorts(id -> true);
        var net = f.network("10.3.0.0/24");
        var port = f.port(net.get("id"), a.hostId());
        Await.until("the port turns ERROR", () -> "ERROR".equals(f.status(port.get("id"))));
        var details = (Map<?, ?>) f.admin.get("/v2.0/ports/" + port.get("id")).member("port").get("binding:vif_details");
        assertTrue(String.valueOf(details.get("error")).contains("simulated failure"), "the host's message is shown: " + details);
    }

    @Test
    void aPortMovedToAnotherHostLeavesTheOldOneAndItsNeighborEntryFollows() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.5"), b = f.agent(host("b"), "192.0.2.6"), c = f.agent(host("c"), "192.0.2.7");
        var net = f.network("10.4.0.0/24");
        f.port(net.get("id"), c.hostId());
        var moving = f.port(net.get("id"), a.hostId());
        String key = neighborKey(net.get("id"), moving);
        Await.until("c sees the port on a", () -> c.state().entries("neighbor").get(key) instanceof NeighborState n
                && n.getHostUnderlayIp().equals("192.0.2.5"));

        assertEquals(200, f.admin.put("/v2.0/ports/" + moving.get("id"), Map.of("port", Map.of("binding:host_id", b.hostId()))).status());
        Await.until("b has the port", () -> b.state().entries("port").containsKey(moving.get("id")));
        Await.until("a no longer has it", () -> !a.state().entries("port").containsKey(moving.get("id")));
        Await.until("c's neighbor entry points at b", () -> c.state().entries("neighbor").get(key) instanceof NeighborState n
                && n.getHostUnderlayIp().equals("192.0.2.6"));
        Await.until("the port turns ACTIVE on its new host", () -> "ACTIVE".equals(f.status(moving.get("id"))));
    }

    @Test
    void aDeletedPortLeavesItsHostAndEveryNeighborTable() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.8"), b = f.agent(host("b"), "192.0.2.9");
        var net = f.network("10.5.0.0/24");
        var stays = f.port(net.get("id"), b.hostId());
        var goes = f.port(net.get("id"), a.hostId());
        String key = neighborKey(net.get("id"), goes);
        Await.until("b knows the port", () -> b.state().entries("neighbor").containsKey(key));

        assertEquals(204, f.admin.delete("/v2.0/ports/" + goes.get("id")).status());
        Await.until("a drops the port and its VPC", () -> !a.state().entries("port").containsKey(goes.get("id"))
                && !a.state().entries("vpc").containsKey(net.get("id")));
        Await.until("b drops the neighbor", () -> !b.state().entries("neighbor").containsKey(key));
        assertTrue(b.state().entries("port").containsKey(stays.get("id")), "the other port stays");
    }

    @Test
    void aPortUpdateReachesItsHost() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.10");
        var net = f.network("10.6.0.0/24");
        var port = f.port(net.get("id"), a.hostId());
        Await.until("a has the port", () -> a.state().entries("port").containsKey(port.get("id")));
        f.admin.put("/v2.0/ports/" + port.get("id"), Map.of("port", Map.of("allowed_address_pairs", java.util.List.of(Map.of("ip_address", "10.6.0.200")))));
        Await.until("a gets the address pair", () -> a.state().entries("port").get(port.get("id")) instanceof PortState p
                && p.getAllowedAddressPairsCount() == 1 && p.getAllowedAddressPairs(0).getIpAddress().equals("10.6.0.200"));
    }

    @Test
    void anAgentDisconnectedDuringChangesConvergesToExactlyTheStoresState() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.11"), b = f.agent(host("b"), "192.0.2.12");
        var net = f.admin.createNetwork(Map.of("name", "vpc"));
        var subnet = f.admin.createSubnet((String) net.get("id"), "10.7.0.0/24");
        var first = f.port(net.get("id"), a.hostId());
        f.port(net.get("id"), b.hostId());
        Await.until("a sees b's port", () -> a.state().entries("neighbor").size() == 2);

        a.disconnect();
        var added = f.port(net.get("id"), a.hostId());
        var addedOnB = f.port(net.get("id"), b.hostId());
        assertEquals(204, f.admin.delete("/v2.0/ports/" + first.get("id")).status());
        assertEquals(200, f.admin.put("/v2.0/subnets/" + subnet.get("id"), Map.of("subnet", Map.of("dns_nameservers", java.util.List.of("10.7.0.53")))).status());
        a.connect();

        Await.until("a catches up", () -> a.state().entries("port").containsKey(added.get("id"))
                && !a.state().entries("port").containsKey(first.get("id"))
                && a.state().entries("neighbor").containsKey(neighborKey(net.get("id"), addedOnB))
                && a.state().entries("subnet").get(subnet.get("id")) instanceof org.alcor.proto.SubnetState s && s.getDnsNameserversCount() == 1);
        // A fresh agent for the same host gets a full snapshot computed from the store: the reconnected agent,
        // patched by the deltas it missed, must hold exactly the same.
        var fresh = new SimulatedAgent(f.channel(), a.hostId(), a.underlayIp(), null).connect();
        try {
            Await.until("the fresh agent's snapshot", () -> fresh.appliedVersion() > 0);
            assertEquals(fresh.state().all(), a.state().all());
            assertEquals(3, a.state().entries("neighbor").size(), "b's two ports and a's remaining one");
        } finally {
            fresh.close();
        }
    }

    @Test
    void aSecurityGroupRuleAddedReachesTheHostsOfItsPorts() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.14");
        var net = f.network("10.10.0.0/24");
        var group = f.admin.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "web"))).member("security_group");
        var port = f.admin.createPort(Map.of("network_id", net.get("id"), "binding:host_id", a.hostId(),
                "security_groups", java.util.List.of(group.get("id"))));
        String gid = (String) group.get("id");
        Await.until("a gets the group with its two egress rules", () -> a.state().entries("security_group").get(gid) instanceof SecurityGroupState g
                && g.getRulesCount() == 2);
        var rule = f.admin.post("/v2.0/security-group-rules", Map.of("security_group_rule", Map.of("security_group_id", gid,
                "direction", "ingress", "protocol", "tcp", "port_range_min", 22, "port_range_max", 22, "remote_ip_prefix", "0.0.0.0/0")));
        assertEquals(201, rule.status(), rule.raw());
        Await.until("a gets the new rule", () -> a.state().entries("security_group").get(gid) instanceof SecurityGroupState g
                && g.getRulesCount() == 3 && g.getRulesList().stream().anyMatch(r -> r.getDirection() == Direction.INGRESS
                        && r.getProtocol().equals("tcp") && r.getPortRangeMin() == 22 && r.getRemoteIpPrefix().equals("0.0.0.0/0")));
        assertEquals(204, f.admin.delete("/v2.0/security-group-rules/" + rule.member("security_group_rule").get("id")).status());
        Await.until("and loses it when it is deleted", () -> a.state().entries("security_group").get(gid) instanceof SecurityGroupState g
                && g.getRulesCount() == 2);
        assertTrue(((PortState) a.state().entries("port").get(port.get("id"))).getSecurityGroupIdsList().contains(gid));
    }

    @Test
    void neighborsCarryTheSecurityGroupsOfTheirPortsSoRemoteGroupRulesCanAdmitThem() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.15"), b = f.agent(host("b"), "192.0.2.16");
        var net = f.network("10.11.0.0/24");
        // The default group admits ingress from its own members: a must know that b's port is one of them.
        var onA = f.port(net.get("id"), a.hostId());
        var onB = f.port(net.get("id"), b.hostId());
        String key = neighborKey(net.get("id"), onB);
        Await.until("a knows b's port as a neighbor in b's groups", () -> a.state().entries("neighbor").get(key) instanceof NeighborState n
                && n.getSecurityGroupIdsList().equals(onB.get("security_groups")));
        assertFalse(a.state().entries("port").containsKey(onB.get("id")), "another host's port is never a port here");
        assertTrue(a.state().entries("port").get(onA.get("id")) instanceof PortState p && p.getOp() != org.alcor.proto.Operation.INFO);
        assertEquals(204, f.admin.delete("/v2.0/ports/" + onB.get("id")).status());
        Await.until("and forgets it when it is deleted", () -> !a.state().entries("neighbor").containsKey(key));
    }

    @Test
    void theHostsOfARoutersSubnetsGetTheRouter() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.17");
        var net = f.admin.createNetwork(Map.of("name", "vpc"));
        var s1 = f.admin.createSubnet((String) net.get("id"), "10.12.1.0/24");
        var s2 = f.admin.createSubnet((String) net.get("id"), "10.12.2.0/24");
        f.admin.createPort(Map.of("network_id", net.get("id"), "binding:host_id", a.hostId(),
                "fixed_ips", java.util.List.of(Map.of("subnet_id", s1.get("id")))));
        var router = f.admin.post("/v2.0/routers", Map.of("router", Map.of("name", "r"))).member("router");
        String rid = (String) router.get("id");
        for (var s : java.util.List.of(s1, s2)) {
            var r = f.admin.put("/v2.0/routers/" + rid + "/add_router_interface", Map.of("subnet_id", s.get("id")));
            assertEquals(200, r.status(), r.raw());
        }
        Await.until("a gets the router with both interfaces", () -> a.state().entries("router").get(rid) instanceof RouterState r
                && r.getInterfacesCount() == 2 && r.getInterfacesList().stream().anyMatch(i -> i.getIp().equals("10.12.2.1")));
        var removed = f.admin.put("/v2.0/routers/" + rid + "/remove_router_interface", Map.of("subnet_id", s2.get("id")));
        assertEquals(200, removed.status(), removed.raw());
        Await.until("and sees the interface go", () -> a.state().entries("router").get(rid) instanceof RouterState r
                && r.getInterfacesCount() == 1);
    }

    @Test
    void bindingAPortToAnUnknownHostIsABadRequest() {
        var net = f.network("10.8.0.0/24");
        var r = f.admin.post("/v2.0/ports", Map.of("port", Map.of("network_id", net.get("id"), "binding:host_id", "nowhere")));
        assertEquals(400, r.status());
        assertTrue(r.raw().contains("not a registered host"), r.raw());
    }

    @Test
    void onDemandResolutionFindsWhereAnAddressLives() {
        SimulatedAgent a = f.agent(host("a"), "192.0.2.13");
        var net = f.network("10.9.0.0/24");
        var port = f.port(net.get("id"), a.hostId());
        Await.until("the port is programmed", () -> "ACTIVE".equals(f.status(port.get("id"))));
        var reply = a.lookup((String) net.get("id"), ip(port));
        assertTrue(reply.getFound());
        assertEquals("192.0.2.13", reply.getNeighbor().getHostUnderlayIp());
        assertFalse(a.lookup((String) net.get("id"), "10.9.0.250").getFound(), "an unused address is not found");
    }
}
