package org.alcor.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.alcor.controller.floatingip.FloatingIpBindings;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read side the goal-state builder uses: what the API wrote, read back by key from the store. */
class RouterTopologyTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    @Test
    @SuppressWarnings("unchecked")
    void aRoutersGatewayInterfacesRoutesAndFloatingIpsAreReadableByKey() {
        String ext = (String) admin.createNetwork(Map.of("name", "ext", "router:external", true)).get("id");
        admin.createSubnet(ext, "198.20.0.0/24");
        String net = (String) admin.createNetwork(Map.of("name", "int")).get("id");
        String subnet = (String) admin.createSubnet(net, "10.140.0.0/24").get("id");
        String id = (String) admin.post("/v2.0/routers", Map.of("router", Map.of("external_gateway_info", Map.of("network_id", ext))))
                .member("router").get("id");
        String ifacePort = (String) admin.put("/v2.0/routers/" + id + "/add_router_interface", Map.of("subnet_id", subnet)).json().get("port_id");
        admin.put("/v2.0/routers/" + id, Map.of("router", Map.of("routes", List.of(Map.of("destination", "192.168.0.0/16", "nexthop", "10.140.0.9")))));
        Map<String, Object> vm = admin.createPort(Map.of("network_id", net));
        String fip = (String) admin.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", ext, "port_id", vm.get("id"))))
                .member("floatingip").get("id");

        var topology = new RouterTopology(controller.app().store());
        RouterTopology.RouterState router = topology.router(id).orElseThrow();

        assertEquals(ext, router.gateway().orElseThrow().networkId());
        assertEquals(1, admin.get("/v2.0/ports?id=" + router.gateway().orElseThrow().portId() + "&device_owner=network:router_gateway").list("ports").size());
        assertEquals(1, router.interfaces().size());
        RouterInterface iface = router.interfaces().getFirst();
        Map<String, Object> port = admin.get("/v2.0/ports/" + ifacePort).member("port");
        assertEquals(new RouterInterface(subnet, ifacePort, net, "10.140.0.1", (String) port.get("mac_address"), "10.140.0.0/24"), iface);
        assertEquals(List.of(new RouterTopology.Route("192.168.0.0/16", "10.140.0.9")), router.routes());
        SubnetRouterLink link = topology.routerOfSubnet(subnet).orElseThrow();
        assertEquals(id, link.routerId());
        assertEquals(ext, link.gatewayNetworkId());
        assertEquals(List.of(fip), link.floatingIpIds());
        var bindings = new FloatingIpBindings(controller.app().store()).ofPort((String) vm.get("id"));
        assertEquals(1, bindings.size());
        assertEquals(id, bindings.getFirst().routerId());
        assertEquals(((List<Map<String, Object>>) vm.get("fixed_ips")).getFirst().get("ip_address"), bindings.getFirst().fixedIpAddress());
        assertTrue(topology.routerOfSubnet(java.util.UUID.randomUUID().toString()).isEmpty());
    }
}
