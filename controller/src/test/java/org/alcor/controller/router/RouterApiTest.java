package org.alcor.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RouterApiTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    static Map<String, Object> router(NeutronClient client, Map<String, Object> attrs) {
        var r = client.post("/v2.0/routers", Map.of("router", attrs));
        assertEquals(201, r.status(), r.raw());
        return r.member("router");
    }

    static String routerId(NeutronClient client) { return (String) router(client, Map.of("name", "r")).get("id"); }

    /** An external network with one subnet: its id and the subnet's. */
    record Net(String id, String subnetId) {}

    static Net externalNetwork(String cidr) {
        String id = (String) admin.createNetwork(Map.of("name", "ext", "router:external", true)).get("id");
        return new Net(id, (String) admin.createSubnet(id, cidr).get("id"));
    }

    static Net network(NeutronClient client, String cidr) {
        String id = (String) client.createNetwork(Map.of("name", "int")).get("id");
        return new Net(id, (String) client.createSubnet(id, cidr).get("id"));
    }

    static NeutronClient.Response addInterface(NeutronClient client, String routerId, Map<String, Object> body) {
        return client.put("/v2.0/routers/" + routerId + "/add_router_interface", body);
    }

    static NeutronClient.Response removeInterface(NeutronClient client, String routerId, Map<String, Object> body) {
        return client.put("/v2.0/routers/" + routerId + "/remove_router_interface", body);
    }

    static NeutronClient.Response setGateway(String routerId, Object gateway) {
        return admin.put("/v2.0/routers/" + routerId, Map.of("router", java.util.Collections.singletonMap("external_gateway_info", gateway)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> gatewayOf(Map<String, Object> router) { return (Map<String, Object>) router.get("external_gateway_info"); }

    @SuppressWarnings("unchecked")
    static String firstIp(Map<String, Object> withFixedIps, String key) {
        return (String) ((List<Map<String, Object>>) withFixedIps.get(key)).getFirst().get("ip_address");
    }

    static List<Map<String, Object>> ports(String query) { return admin.get("/v2.0/ports?" + query).list("ports"); }

    @Test
    void aNewRouterIsActiveAndUpWithNoGatewayAndNoRoutes() {
        Map<String, Object> r = router(admin, Map.of("name", "r1"));

        assertEquals("r1", r.get("name"));
        assertEquals("ACTIVE", r.get("status"));
        assertEquals(true, r.get("admin_state_up"));
        assertNull(r.get("external_gateway_info"));
        assertEquals(List.of(), r.get("routes"));
        assertEquals(r.get("project_id"), r.get("tenant_id"));
        assertEquals(1, ((Number) r.get("revision_number")).intValue());
        assertTrue(!r.containsKey("interfaces") && !r.containsKey("gw_port_id"), r::toString);
        assertEquals(r, admin.get("/v2.0/routers/" + r.get("id")).member("router"));
    }

    @Test
    void aGatewayOnAnExternalNetworkHoldsAnAddressInAGatewayPort() {
        Net ext = externalNetwork("172.24.10.0/24");
        String id = routerId(admin);

        var r = setGateway(id, Map.of("network_id", ext.id()));

        assertEquals(200, r.status(), r.raw());
        Map<String, Object> gw = gatewayOf(r.member("router"));
        assertEquals(ext.id(), gw.get("network_id"));
        assertEquals(true, gw.get("enable_snat"));
        String ip = firstIp(gw, "external_fixed_ips");
        List<Map<String, Object>> gwPorts = ports("device_id=" + id);
        assertEquals(1, gwPorts.size());
        assertEquals("network:router_gateway", gwPorts.getFirst().get("device_owner"));
        assertEquals(ip, firstIp(gwPorts.getFirst(), "fixed_ips"));
    }

    @Test
    void aRouterCreatedWithAGatewayGetsTheRequestedAddressAndSnatSetting() {
        Net ext = externalNetwork("172.24.11.0/24");

        Map<String, Object> r = router(admin, Map.of("name", "r", "external_gateway_info", Map.of("network_id", ext.id(), "enable_snat", false,
                "external_fixed_ips", List.of(Map.of("subnet_id", ext.subnetId(), "ip_address", "172.24.11.99")))));

        assertEquals(false, gatewayOf(r).get("enable_snat"));
        assertEquals("172.24.11.99", firstIp(gatewayOf(r), "external_fixed_ips"));
    }

    @Test
    void aGatewayOnANetworkThatIsNotExternalIsABadRequest() {
        Net internal = network(admin, "10.70.0.0/24");
        String id = routerId(admin);

        var r = setGateway(id, Map.of("network_id", internal.id()));

        assertEquals(400, r.status(), r.raw());
        assertEquals("BadRequest", r.errorType());
        assertTrue(ports("device_id=" + id).isEmpty());
    }

    @Test
    void aGatewayOnAnUnknownNetworkIsNetworkNotFound() {
        var r = setGateway(routerId(admin), Map.of("network_id", java.util.UUID.randomUUID().toString()));

        assertEquals(404, r.status(), r.raw());
        assertEquals("NetworkNotFound", r.errorType());
    }

    @Test
    void clearingTheGatewayFreesItsPortAndAddress() {
        Net ext = externalNetwork("172.24.12.0/24");
        String id = routerId(admin);
        String ip = firstIp(gatewayOf(setGateway(id, Map.of("network_id", ext.id())).member("router")), "external_fixed_ips");

        var r = setGateway(id, Map.of());

        assertEquals(200, r.status(), r.raw());
        assertNull(r.member("router").get("external_gateway_info"));
        assertTrue(ports("device_id=" + id).isEmpty());
        admin.createPort(Map.of("network_id", ext.id(), "fixed_ips", List.of(Map.of("ip_address", ip))));
    }

    @Test
    void askingForAnotherGatewayAddressOnTheSameNetworkMovesTheAddress() {
        Net ext = externalNetwork("172.24.17.0/24");
        String id = routerId(admin);
        String old = firstIp(gatewayOf(setGateway(id, Map.of("network_id", ext.id())).member("router")), "external_fixed_ips");

        var r = setGateway(id, Map.of("network_id", ext.id(), "external_fixed_ips", List.of(Map.of("ip_address", "172.24.17.200"))));

        assertEquals(200, r.status(), r.raw());
        assertEquals("172.24.17.200", firstIp(gatewayOf(r.member("router")), "external_fixed_ips"));
        assertEquals(1, ports("device_id=" + id).size());
        admin.createPort(Map.of("network_id", ext.id(), "fixed_ips", List.of(Map.of("ip_address", old))));
    }

    @Test
    void disablingSnatKeepsTheGatewayPort() {
        Net ext = externalNetwork("172.24.18.0/24");
        String id = routerId(admin);
        setGateway(id, Map.of("network_id", ext.id()));
        Object portId = ports("device_id=" + id).getFirst().get("id");

        var r = setGateway(id, Map.of("network_id", ext.id(), "enable_snat", false));

        assertEquals(false, gatewayOf(r.member("router")).get("enable_snat"));
        assertEquals(List.of(portId), ports("device_id=" + id).stream().map(p -> p.get("id")).toList());
    }

    @Test
    void movingTheGatewayToAnotherExternalNetworkMovesItsPort() {
        Net first = externalNetwork("172.24.13.0/24"), second = externalNetwork("172.24.14.0/24");
        String id = routerId(admin);
        setGateway(id, Map.of("network_id", first.id()));

        var r = setGateway(id, Map.of("network_id", second.id()));

        assertEquals(second.id(), gatewayOf(r.member("router")).get("network_id"));
        List<Map<String, Object>> gwPorts = ports("device_id=" + id);
        assertEquals(1, gwPorts.size());
        assertEquals(second.id(), gwPorts.getFirst().get("network_id"));
    }

    @Test
    void deletingARouterWithAGatewayFreesTheGatewayPort() {
        Net ext = externalNetwork("172.24.15.0/24");
        String id = (String) router(admin, Map.of("external_gateway_info", Map.of("network_id", ext.id()))).get("id");

        assertEquals(204, admin.delete("/v2.0/routers/" + id).status());

        assertTrue(ports("device_id=" + id).isEmpty());
        assertEquals(404, admin.get("/v2.0/routers/" + id).status());
    }

    @Test
    void anInterfaceBySubnetHoldsTheSubnetsGatewayAddressAndAnswersNeutronsBody() {
        Net net = network(admin, "10.71.0.0/24");
        Map<String, Object> router = router(admin, Map.of("name", "r"));
        String id = (String) router.get("id");

        var r = addInterface(admin, id, Map.of("subnet_id", net.subnetId()));

        assertEquals(200, r.status(), r.raw());
        Map<String, Object> body = r.json();
        assertEquals(id, body.get("id"));
        assertEquals(net.subnetId(), body.get("subnet_id"));
        assertEquals(List.of(net.subnetId()), body.get("subnet_ids"));
        assertEquals(net.id(), body.get("network_id"));
        assertEquals(router.get("project_id"), body.get("project_id"));
        assertEquals(router.get("project_id"), body.get("tenant_id"));
        Map<String, Object> port = admin.get("/v2.0/ports/" + body.get("port_id")).member("port");
        assertEquals("network:router_interface", port.get("device_owner"));
        assertEquals(id, port.get("device_id"));
        assertEquals("10.71.0.1", firstIp(port, "fixed_ips"));
    }

    @Test
    void anInterfaceOnASubnetWithoutGatewayIsABadRequest() {
        String networkId = (String) admin.createNetwork(Map.of("name", "nogw")).get("id");
        var subnet = admin.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", networkId, "cidr", "10.72.0.0/24",
                "ip_version", 4, "gateway_ip", (Object) "10.72.0.1")));
        String subnetId = (String) subnet.member("subnet").get("id");
        admin.put("/v2.0/subnets/" + subnetId, Map.of("subnet", java.util.Collections.singletonMap("gateway_ip", null)));

        var r = addInterface(admin, routerId(admin), Map.of("subnet_id", subnetId));

        assertEquals(400, r.status(), r.raw());
        assertEquals("BadRequest", r.errorType());
        assertTrue(ports("network_id=" + networkId).isEmpty());
    }

    @Test
    void anInterfaceByPortTakesOverThePort() {
        Net net = network(admin, "10.73.0.0/24");
        String portId = (String) admin.createPort(Map.of("network_id", net.id())).get("id");
        String id = routerId(admin);

        var r = addInterface(admin, id, Map.of("port_id", portId));

        assertEquals(200, r.status(), r.raw());
        assertEquals(portId, r.json().get("port_id"));
        assertEquals(net.subnetId(), r.json().get("subnet_id"));
        Map<String, Object> port = admin.get("/v2.0/ports/" + portId).member("port");
        assertEquals(id, port.get("device_id"));
        assertEquals("network:router_interface", port.get("device_owner"));
    }

    @Test
    void anInterfaceByAPortThatAlreadyHasADeviceIsPortInUse() {
        Net net = network(admin, "10.74.0.0/24");
        String portId = (String) admin.createPort(Map.of("network_id", net.id(), "device_id", "some-vm")).get("id");

        var r = addInterface(admin, routerId(admin), Map.of("port_id", portId));

        assertEquals(409, r.status(), r.raw());
        assertEquals("PortInUse", r.errorType());
    }

    @Test
    void aSubnetAlreadyOnOneRouterCannotBeAttachedToAnother() {
        Net net = network(admin, "10.75.0.0/24");
        assertEquals(200, addInterface(admin, routerId(admin), Map.of("subnet_id", net.subnetId())).status());
        String other = routerId(admin);

        var bySubnet = addInterface(admin, other, Map.of("subnet_id", net.subnetId()));
        String portId = (String) admin.createPort(Map.of("network_id", net.id())).get("id");
        var byPort = addInterface(admin, other, Map.of("port_id", portId));

        assertEquals(409, bySubnet.status(), bySubnet.raw());
        assertEquals("IpAddressAlreadyAllocated", bySubnet.errorType());
        assertEquals(409, byPort.status(), byPort.raw());
        assertEquals("RouterInterfaceAttachmentConflict", byPort.errorType());
        assertEquals("", admin.get("/v2.0/ports/" + portId).member("port").get("device_id"));
    }

    @Test
    void aSubnetAttachedTwiceToOneRouterIsABadRequest() {
        Net net = network(admin, "10.76.0.0/24");
        String id = routerId(admin);
        addInterface(admin, id, Map.of("subnet_id", net.subnetId()));

        var r = addInterface(admin, id, Map.of("subnet_id", net.subnetId()));

        assertEquals(400, r.status(), r.raw());
        assertEquals("BadRequest", r.errorType());
    }

    @Test
    void twoSubnetsWithOverlappingCidrsCannotShareARouter() {
        Net a = network(admin, "10.77.0.0/24"), b = network(admin, "10.77.0.0/25");
        String id = routerId(admin);
        assertEquals(200, addInterface(admin, id, Map.of("subnet_id", a.subnetId())).status());

        var r = addInterface(admin, id, Map.of("subnet_id", b.subnetId()));

        assertEquals(400, r.status(), r.raw());
        assertTrue(r.raw().contains("overlaps"), r.raw());
        assertTrue(ports("network_id=" + b.id()).isEmpty());
    }

    @Test
    void anInterfaceRequestNeedsExactlyOneOfSubnetAndPort() {
        String id = routerId(admin);

        var neither = addInterface(admin, id, Map.of());
        var junk = addInterface(admin, id, Map.of("subnet_id", "not-a-uuid"));
        var unknown = addInterface(admin, id, Map.of("network_id", java.util.UUID.randomUUID().toString()));

        assertEquals(400, neither.status(), neither.raw());
        assertEquals(400, junk.status(), junk.raw());
        assertEquals(400, unknown.status(), unknown.raw());
    }

    @Test
    void aRouterWithInterfacesCannotBeDeleted() {
        Net net = network(admin, "10.78.0.0/24");
        String id = routerId(admin);
        addInterface(admin, id, Map.of("subnet_id", net.subnetId()));

        var r = admin.delete("/v2.0/routers/" + id);

        assertEquals(409, r.status(), r.raw());
        assertEquals("RouterInUse", r.errorType());
    }

    @Test
    void theInterfacePortAndItsSubnetCannotBeDeletedDirectly() {
        Net net = network(admin, "10.79.0.0/24");
        String portId = (String) addInterface(admin, routerId(admin), Map.of("subnet_id", net.subnetId())).json().get("port_id");

        var port = admin.delete("/v2.0/ports/" + portId);
        var subnet = admin.delete("/v2.0/subnets/" + net.subnetId());

        assertEquals(409, port.status(), port.raw());
        assertEquals("ServicePortInUse", port.errorType());
        assertEquals(409, subnet.status(), subnet.raw());
        assertEquals("SubnetInUse", subnet.errorType());
    }

    @Test
    void theInterfacePortsDeviceAndAddressesChangeOnlyThroughTheRouter() {
        Net net = network(admin, "10.84.0.0/24");
        String portId = (String) addInterface(admin, routerId(admin), Map.of("subnet_id", net.subnetId())).json().get("port_id");

        var device = admin.put("/v2.0/ports/" + portId, Map.of("port", Map.of("device_id", "")));
        var ips = admin.put("/v2.0/ports/" + portId, Map.of("port", Map.of("fixed_ips", List.of())));
        var name = admin.put("/v2.0/ports/" + portId, Map.of("port", Map.of("name", "still-mine")));

        assertEquals(409, device.status(), device.raw());
        assertEquals("ServicePortInUse", device.errorType());
        assertEquals(409, ips.status(), ips.raw());
        assertEquals(200, name.status(), name.raw());
    }

    @Test
    void anExternalNetworkWithGatewaysStaysExternal() {
        Net ext = externalNetwork("172.24.16.0/24");
        setGateway(routerId(admin), Map.of("network_id", ext.id()));

        var r = admin.put("/v2.0/networks/" + ext.id(), Map.of("network", Map.of("router:external", false)));

        assertEquals(409, r.status(), r.raw());
        assertEquals("ExternalNetworkInUse", r.errorType());
    }

    @Test
    void removingAnInterfaceBySubnetDeletesItsPortAndLetsTheRouterBeDeleted() {
        Net net = network(admin, "10.80.0.0/24");
        String id = routerId(admin);
        String portId = (String) addInterface(admin, id, Map.of("subnet_id", net.subnetId())).json().get("port_id");

        var r = removeInterface(admin, id, Map.of("subnet_id", net.subnetId()));

        assertEquals(200, r.status(), r.raw());
        assertEquals(portId, r.json().get("port_id"));
        assertEquals(404, admin.get("/v2.0/ports/" + portId).status());
        assertEquals(204, admin.delete("/v2.0/routers/" + id).status());
        assertEquals(204, admin.delete("/v2.0/subnets/" + net.subnetId()).status());
    }

    @Test
    void removingAnInterfaceByPortFreesTheSubnetForAnotherRouter() {
        Net net = network(admin, "10.81.0.0/24");
        String id = routerId(admin);
        String portId = (String) addInterface(admin, id, Map.of("subnet_id", net.subnetId())).json().get("port_id");

        assertEquals(200, removeInterface(admin, id, Map.of("port_id", portId)).status());

        assertEquals(200, addInterface(admin, routerId(admin), Map.of("subnet_id", net.subnetId())).status());
    }

    @Test
    void removingAnInterfaceTheRouterDoesNotHaveIsNotFound() {
        Net net = network(admin, "10.82.0.0/24");
        String id = routerId(admin);

        var bySubnet = removeInterface(admin, id, Map.of("subnet_id", net.subnetId()));
        var byPort = removeInterface(admin, id, Map.of("port_id", java.util.UUID.randomUUID().toString()));

        assertEquals(404, bySubnet.status(), bySubnet.raw());
        assertEquals("RouterInterfaceNotFoundForSubnet", bySubnet.errorType());
        assertEquals(404, byPort.status(), byPort.raw());
        assertEquals("RouterInterfaceNotFound", byPort.errorType());
    }

    @Test
    void anotherProjectsRouterIsNotFoundForEveryOperation() {
        NeutronClient alice = controller.project("alice-routers"), bob = controller.project("bob-routers");
        String id = routerId(alice);
        Net bobs = network(bob, "10.83.0.0/24");

        assertEquals(404, bob.get("/v2.0/routers/" + id).status());
        assertEquals(404, bob.put("/v2.0/routers/" + id, Map.of("router", Map.of("name", "x"))).status());
        assertEquals(404, addInterface(bob, id, Map.of("subnet_id", bobs.subnetId())).status());
        assertEquals(404, bob.delete("/v2.0/routers/" + id).status());
        assertTrue(bob.get("/v2.0/routers").list("routers").stream().noneMatch(r -> id.equals(r.get("id"))));
        assertEquals(1, alice.get("/v2.0/routers").list("routers").size());
        var others = addInterface(alice, id, Map.of("subnet_id", bobs.subnetId()));
        assertEquals(404, others.status(), others.raw());
        assertEquals("SubnetNotFound", others.errorType());
    }

    @Test
    void routersAreFilteredByName() {
        String id = (String) router(admin, Map.of("name", "find-me-router")).get("id");

        var listed = admin.get("/v2.0/routers?name=find-me-router").list("routers");

        assertEquals(List.of(id), listed.stream().map(r -> r.get("id")).toList());
    }

    @Test
    void anUnknownRouterActionIsNotFoundAndAGetOnAnActionIsNotAllowed() {
        String id = routerId(admin);

        assertEquals(404, admin.put("/v2.0/routers/" + id + "/explode", Map.of()).status());
        assertEquals(405, admin.get("/v2.0/routers/" + id + "/add_router_interface").status());
        assertEquals(404, addInterface(admin, java.util.UUID.randomUUID().toString(), Map.of("subnet_id",
                java.util.UUID.randomUUID().toString())).status());
    }

    @Test
    void theL3ExtensionsAreAdvertised() {
        var aliases = admin.get("/v2.0/extensions").list("extensions").stream().map(e -> e.get("alias")).toList();

        assertTrue(aliases.containsAll(List.of("router", "extraroute", "extraroute-atomic", "ext-gw-mode", "external-net")), aliases::toString);
        assertEquals(200, admin.get("/v2.0/extensions/extraroute-atomic").status());
    }

    @Test
    void theOpenApiDocumentListsTheRouterActions() {
        @SuppressWarnings("unchecked")
        var paths = (Map<String, Object>) admin.get("/openapi.json").json().get("paths");

        assertTrue(paths.containsKey("/v2.0/routers/{id}/add_router_interface"), paths.keySet()::toString);
        assertTrue(paths.containsKey("/v2.0/floatingips/{id}"), paths.keySet()::toString);
        assertTrue(paths.containsKey("/v2.0/network-acls/{id}/add_rules"), paths.keySet()::toString);
    }

    @Test
    void routesCannotBeGivenOnCreate() {
        var r = admin.post("/v2.0/routers", Map.of("router", Map.of("routes", List.of())));

        assertEquals(400, r.status(), r.raw());
        assertNotNull(r.errorType());
    }
}
