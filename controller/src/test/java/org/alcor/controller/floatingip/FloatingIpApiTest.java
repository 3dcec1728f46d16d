package org.alcor.controller.floatingip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FloatingIpApiTest {
    static TestController controller;
    static NeutronClient admin;
    static int nextNet = 1;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    /** An external network, a tenant network and subnet attached to a router whose gateway is on the external network. */
    record Topology(String extId, String extSubnetId, String netId, String subnetId, String routerId, String extCidrPrefix) {}

    static Topology topology(NeutronClient client) {
        int n = nextNet++;
        String ext = (String) admin.createNetwork(Map.of("name", "ext", "router:external", true)).get("id");
        String extSubnet = (String) admin.createSubnet(ext, "198.51." + n + ".0/24").get("id");
        String net = (String) client.createNetwork(Map.of("name", "int")).get("id");
        String subnet = (String) client.createSubnet(net, "10.50." + n + ".0/24").get("id");
        String router = (String) client.post("/v2.0/routers", Map.of("router", Map.of("name", "r",
                "external_gateway_info", Map.of("network_id", ext)))).member("router").get("id");
        assertEquals(200, client.put("/v2.0/routers/" + router + "/add_router_interface", Map.of("subnet_id", subnet)).status());
        return new Topology(ext, extSubnet, net, subnet, router, "198.51." + n + ".");
    }

    static NeutronClient.Response create(NeutronClient client, Map<String, Object> attrs) {
        return client.post("/v2.0/floatingips", Map.of("floatingip", attrs));
    }

    static Map<String, Object> fip(NeutronClient client, String extId) {
        var r = create(client, Map.of("floating_network_id", extId));
        assertEquals(201, r.status(), r.raw());
        return r.member("floatingip");
    }

    static NeutronClient.Response associate(NeutronClient client, String fipId, Map<String, Object> attrs) {
        return client.put("/v2.0/floatingips/" + fipId, Map.of("floatingip", attrs));
    }

    static NeutronClient.Response disassociate(String fipId) {
        return admin.put("/v2.0/floatingips/" + fipId, Map.of("floatingip", Collections.singletonMap("port_id", null)));
    }

    @SuppressWarnings("unchecked")
    static String ipOf(Map<String, Object> port) {
        return (String) ((List<Map<String, Object>>) port.get("fixed_ips")).getFirst().get("ip_address");
    }

    @Test
    void aFloatingIpTakesAnAddressOfTheExternalNetworkInAFloatingIpPort() {
        Topology t = topology(admin);

        Map<String, Object> fip = fip(admin, t.extId());

        assertEquals(t.extId(), fip.get("floating_network_id"));
        assertTrue(((String) fip.get("floating_ip_address")).startsWith(t.extCidrPrefix()), fip::toString);
        assertEquals("DOWN", fip.get("status"));
        assertNull(fip.get("port_id"));
        assertNull(fip.get("fixed_ip_address"));
        assertNull(fip.get("router_id"));
        assertEquals(fip.get("project_id"), fip.get("tenant_id"));
        List<Map<String, Object>> holders = admin.get("/v2.0/ports?device_id=" + fip.get("id")).list("ports");
        assertEquals(1, holders.size());
        assertEquals("network:floatingip", holders.getFirst().get("device_owner"));
        assertEquals(fip.get("floating_ip_address"), ipOf(holders.getFirst()));
    }

    @Test
    void aRequestedAddressIsTakenOnceAndFreedByDelete() {
        Topology t = topology(admin);
        String address = t.extCidrPrefix() + "77";

        var first = create(admin, Map.of("floating_network_id", t.extId(), "floating_ip_address", address));
        var second = create(admin, Map.of("floating_network_id", t.extId(), "floating_ip_address", address));

        assertEquals(201, first.status(), first.raw());
        assertEquals(address, first.member("floatingip").get("floating_ip_address"));
        assertEquals(409, second.status(), second.raw());
        assertEquals("IpAddressAlreadyAllocated", second.errorType());
        String id = (String) first.member("floatingip").get("id");
        assertEquals(204, admin.delete("/v2.0/floatingips/" + id).status());
        assertEquals(404, admin.get("/v2.0/floatingips/" + id).status());
        assertTrue(admin.get("/v2.0/ports?device_id=" + id).list("ports").isEmpty());
        assertEquals(201, create(admin, Map.of("floating_network_id", t.extId(), "floating_ip_address", address)).status());
    }

    @Test
    void aRequestedSubnetGivesTheAddressFromThatSubnet() {
        Topology t = topology(admin);
        String second = (String) admin.createSubnet(t.extId(), "203.0.113.0/24").get("id");

        var r = create(admin, Map.of("floating_network_id", t.extId(), "subnet_id", second));

        assertEquals(201, r.status(), r.raw());
        assertTrue(((String) r.member("floatingip").get("floating_ip_address")).startsWith("203.0.113."), r.raw());
    }

    @Test
    void aFloatingIpOnANetworkThatIsNotExternalIsABadRequestAndOnAnUnknownOneNotFound() {
        Topology t = topology(admin);

        var internal = create(admin, Map.of("floating_network_id", t.netId()));
        var unknown = create(admin, Map.of("floating_network_id", UUID.randomUUID().toString()));
        var missing = create(admin, Map.of());

        assertEquals(400, internal.status(), internal.raw());
        assertEquals("BadRequest", internal.errorType());
        assertEquals(404, unknown.status(), unknown.raw());
        assertEquals("NetworkNotFound", unknown.errorType());
        assertEquals(400, missing.status(), missing.raw());
    }

    @Test
    void associatingWithAPortBehindTheRouterSetsPortFixedIpRouterAndStatus() {
        Topology t = topology(admin);
        Map<String, Object> port = admin.createPort(Map.of("network_id", t.netId()));
        String fipId = (String) fip(admin, t.extId()).get("id");

        var r = associate(admin, fipId, Map.of("port_id", port.get("id")));

        assertEquals(200, r.status(), r.raw());
        Map<String, Object> fip = r.member("floatingip");
        assertEquals(port.get("id"), fip.get("port_id"));
        assertEquals(ipOf(port), fip.get("fixed_ip_address"));
        assertEquals(t.routerId(), fip.get("router_id"));
        assertEquals("ACTIVE", fip.get("status"));
        assertEquals(List.of(fipId), admin.get("/v2.0/floatingips?port_id=" + port.get("id")).list("floatingips").stream()
                .map(f -> f.get("id")).toList());
    }

    @Test
    void aFloatingIpCanBeCreatedAlreadyAssociated() {
        Topology t = topology(admin);
        Map<String, Object> port = admin.createPort(Map.of("network_id", t.netId()));

        var r = create(admin, Map.of("floating_network_id", t.extId(), "port_id", port.get("id")));

        assertEquals(201, r.status(), r.raw());
        assertEquals(t.routerId(), r.member("floatingip").get("router_id"));
        assertEquals(ipOf(port), r.member("floatingip").get("fixed_ip_address"));
    }

    @Test
    void aCreateWithAnUnreachablePortLeavesNoFloatingIpAndNoAddressTaken() {
        Topology t = topology(admin);
        String lonelyNet = (String) admin.createNetwork(Map.of("name", "lonely")).get("id");
        admin.createSubnet(lonelyNet, "10.48.0.0/24");
        Object lonely = admin.createPort(Map.of("network_id", lonelyNet)).get("id");
        String address = t.extCidrPrefix() + "88";

        var r = create(admin, Map.of("floating_network_id", t.extId(), "floating_ip_address", address, "port_id", lonely));

        assertEquals(404, r.status(), r.raw());
        assertEquals("ExternalGatewayForFloatingIPNotFound", r.errorType());
        assertTrue(admin.get("/v2.0/floatingips?floating_network_id=" + t.extId()).list("floatingips").isEmpty());
        assertEquals(201, create(admin, Map.of("floating_network_id", t.extId(), "floating_ip_address", address)).status());
    }

    @Test
    void aPortWhoseSubnetNoRouterReachesIsExternalGatewayForFloatingIpNotFound() {
        Topology t = topology(admin);
        String lonelyNet = (String) admin.createNetwork(Map.of("name", "lonely")).get("id");
        admin.createSubnet(lonelyNet, "10.49.0.0/24");
        Map<String, Object> lonely = admin.createPort(Map.of("network_id", lonelyNet));
        Topology other = topology(admin);
        Map<String, Object> elsewhere = admin.createPort(Map.of("network_id", other.netId()));
        String fipId = (String) fip(admin, t.extId()).get("id");

        var notAttached = associate(admin, fipId, Map.of("port_id", lonely.get("id")));
        var otherGateway = associate(admin, fipId, Map.of("port_id", elsewhere.get("id")));

        assertEquals(404, notAttached.status(), notAttached.raw());
        assertEquals("ExternalGatewayForFloatingIPNotFound", notAttached.errorType());
        assertEquals(404, otherGateway.status(), otherGateway.raw());
        assertEquals("ExternalGatewayForFloatingIPNotFound", otherGateway.errorType());
        assertNull(admin.get("/v2.0/floatingips/" + fipId).member("floatingip").get("port_id"));
    }

    @Test
    void aPortWithTwoIpv4AddressesNeedsTheFixedIpAddress() {
        Topology t = topology(admin);
        String prefix = "10.50." + t.extCidrPrefix().split("\\.")[2] + ".";
        Map<String, Object> port = admin.createPort(Map.of("network_id", t.netId(), "fixed_ips",
                List.of(Map.of("ip_address", prefix + "20"), Map.of("ip_address", prefix + "21"))));
        String fipId = (String) fip(admin, t.extId()).get("id");

        var ambiguous = associate(admin, fipId, Map.of("port_id", port.get("id")));
        var notOnPort = associate(admin, fipId, Map.of("port_id", port.get("id"), "fixed_ip_address", prefix + "22"));
        var chosen = associate(admin, fipId, Map.of("port_id", port.get("id"), "fixed_ip_address", prefix + "21"));

        assertEquals(400, ambiguous.status(), ambiguous.raw());
        assertEquals(400, notOnPort.status(), notOnPort.raw());
        assertEquals(200, chosen.status(), chosen.raw());
        assertEquals(prefix + "21", chosen.member("floatingip").get("fixed_ip_address"));
    }

    @Test
    void aFixedIpWithAFloatingIpCannotTakeASecondOne() {
        Topology t = topology(admin);
        Object portId = admin.createPort(Map.of("network_id", t.netId())).get("id");
        String first = (String) fip(admin, t.extId()).get("id"), second = (String) fip(admin, t.extId()).get("id");
        assertEquals(200, associate(admin, first, Map.of("port_id", portId)).status());

        var r = associate(admin, second, Map.of("port_id", portId));

        assertEquals(409, r.status(), r.raw());
        assertEquals("FloatingIPPortAlreadyAssociated", r.errorType());
    }

    @Test
    void disassociatingClearsTheAssociationAndReassociatingMovesIt() {
        Topology t = topology(admin);
        Object a = admin.createPort(Map.of("network_id", t.netId())).get("id");
        Map<String, Object> b = admin.createPort(Map.of("network_id", t.netId()));
        String fipId = (String) fip(admin, t.extId()).get("id");
        associate(admin, fipId, Map.of("port_id", a));

        var off = disassociate(fipId);
        assertEquals(200, off.status(), off.raw());
        assertNull(off.member("floatingip").get("port_id"));
        assertNull(off.member("floatingip").get("fixed_ip_address"));
        assertNull(off.member("floatingip").get("router_id"));
        assertEquals("DOWN", off.member("floatingip").get("status"));

        associate(admin, fipId, Map.of("port_id", a));
        var moved = associate(admin, fipId, Map.of("port_id", b.get("id")));
        assertEquals(200, moved.status(), moved.raw());
        assertEquals(ipOf(b), moved.member("floatingip").get("fixed_ip_address"));
        assertTrue(admin.get("/v2.0/floatingips?port_id=" + a).list("floatingips").isEmpty());
    }

    @Test
    void anInterfaceAndAGatewayThatAFloatingIpUsesCannotBeRemoved() {
        Topology t = topology(admin);
        Object portId = admin.createPort(Map.of("network_id", t.netId())).get("id");
        String fipId = (String) fip(admin, t.extId()).get("id");
        associate(admin, fipId, Map.of("port_id", portId));

        var iface = admin.put("/v2.0/routers/" + t.routerId() + "/remove_router_interface", Map.of("subnet_id", t.subnetId()));
        var gateway = admin.put("/v2.0/routers/" + t.routerId(), Map.of("router", Map.of("external_gateway_info", Map.of())));

        assertEquals(409, iface.status(), iface.raw());
        assertEquals("RouterInterfaceInUseByFloatingIP", iface.errorType());
        assertEquals(409, gateway.status(), gateway.raw());
        assertEquals("RouterExternalGatewayInUseByFloatingIp", gateway.errorType());
        disassociate(fipId);
        assertEquals(200, admin.put("/v2.0/routers/" + t.routerId() + "/remove_router_interface", Map.of("subnet_id", t.subnetId())).status());
    }

    @Test
    void deletingTheAssociatedPortDisassociatesTheFloatingIp() {
        Topology t = topology(admin);
        Object portId = admin.createPort(Map.of("network_id", t.netId())).get("id");
        String fipId = (String) fip(admin, t.extId()).get("id");
        associate(admin, fipId, Map.of("port_id", portId));

        assertEquals(204, admin.delete("/v2.0/ports/" + portId).status());

        Map<String, Object> fip = admin.get("/v2.0/floatingips/" + fipId).member("floatingip");
        assertNull(fip.get("port_id"));
        assertEquals("DOWN", fip.get("status"));
        assertEquals(200, admin.put("/v2.0/routers/" + t.routerId() + "/remove_router_interface", Map.of("subnet_id", t.subnetId())).status());
    }

    @Test
    void theAddressHoldingPortCannotBeDeletedDirectly() {
        Topology t = topology(admin);
        String fipId = (String) fip(admin, t.extId()).get("id");
        Object holder = admin.get("/v2.0/ports?device_id=" + fipId).list("ports").getFirst().get("id");

        var r = admin.delete("/v2.0/ports/" + holder);

        assertEquals(409, r.status(), r.raw());
        assertEquals("ServicePortInUse", r.errorType());
    }

    @Test
    void anotherProjectsFloatingIpAndPortAreNotFound() {
        NeutronClient alice = controller.project("alice-fip"), bob = controller.project("bob-fip");
        Topology t = topology(alice);
        String fipId = (String) fip(alice, t.extId()).get("id");
        Object alicePort = alice.createPort(Map.of("network_id", t.netId())).get("id");
        String bobsFip = (String) fip(bob, t.extId()).get("id");

        assertEquals(404, bob.get("/v2.0/floatingips/" + fipId).status());
        assertEquals(404, associate(bob, fipId, Map.of("port_id", alicePort)).status());
        assertEquals(404, bob.delete("/v2.0/floatingips/" + fipId).status());
        var stolen = associate(bob, bobsFip, Map.of("port_id", alicePort));
        assertEquals(404, stolen.status(), stolen.raw());
        assertEquals("PortNotFound", stolen.errorType());
        assertEquals(List.of(bobsFip), bob.get("/v2.0/floatingips").list("floatingips").stream().map(f -> f.get("id")).toList());
    }

    @Test
    void aProjectSeesAndUsesAnAdminsExternalNetworkButCannotPutPortsOnItOrChangeIt() {
        NeutronClient carol = controller.project("carol-fip");
        Topology t = topology(carol);

        assertEquals(200, carol.get("/v2.0/networks/" + t.extId()).status());
        assertTrue(carol.get("/v2.0/networks?router:external=true").list("networks").stream().anyMatch(n -> t.extId().equals(n.get("id"))));
        assertEquals(404, carol.get("/v2.0/subnets/" + t.extSubnetId()).status());
        var port = carol.post("/v2.0/ports", Map.of("port", Map.of("network_id", t.extId())));
        assertEquals(403, port.status(), port.raw());
        assertEquals(403, carol.put("/v2.0/networks/" + t.extId(), Map.of("network", Map.of("name", "mine"))).status());
        assertEquals(201, create(carol, Map.of("floating_network_id", t.extId())).status());
    }

    @Test
    void floatingIpsAreFilteredByFloatingNetwork() {
        Topology t = topology(admin);
        String fipId = (String) fip(admin, t.extId()).get("id");

        var listed = admin.get("/v2.0/floatingips?floating_network_id=" + t.extId()).list("floatingips");

        assertEquals(List.of(fipId), listed.stream().map(f -> f.get("id")).toList());
    }
}
