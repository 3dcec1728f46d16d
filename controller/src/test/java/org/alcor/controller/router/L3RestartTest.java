package org.alcor.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.Test;

/** Routers, their links, floating IPs and network ACLs are in the persistent store: a restarted controller has them all. */
class L3RestartTest {

    @Test
    @SuppressWarnings("unchecked")
    void aRestartedControllerKeepsGatewaysInterfacesRoutesFloatingIpsAndAcls() {
        Path dir = TestController.createTempDir();
        // One config for both runs: the same Ignite consistent id finds the same persistence files.
        ControllerConfig config = TestController.config(dir, new ValueRange(1, 16_777_215), FreePorts.next());
        try {
            String router, subnet, fip, acl, address;
            try (ControllerApp app = ControllerApp.start(config)) {
                NeutronClient admin = new NeutronClient("http://127.0.0.1:" + app.port(), null);
                String ext = (String) admin.createNetwork(Map.of("name", "ext", "router:external", true)).get("id");
                admin.createSubnet(ext, "198.23.0.0/24");
                String net = (String) admin.createNetwork(Map.of("name", "int")).get("id");
                subnet = (String) admin.createSubnet(net, "10.160.0.0/24").get("id");
                router = (String) admin.post("/v2.0/routers", Map.of("router", Map.of("external_gateway_info", Map.of("network_id", ext))))
                        .member("router").get("id");
                admin.put("/v2.0/routers/" + router + "/add_router_interface", Map.of("subnet_id", subnet));
                admin.put("/v2.0/routers/" + router, Map.of("router", Map.of("routes", List.of(Map.of("destination", "192.168.0.0/16", "nexthop", "10.160.0.9")))));
                Object port = admin.createPort(Map.of("network_id", net)).get("id");
                var created = admin.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", ext, "port_id", port))).member("floatingip");
                fip = (String) created.get("id");
                address = (String) created.get("floating_ip_address");
                acl = (String) admin.post("/v2.0/network-acls", Map.of("network_acl", Map.of("subnets", List.of(subnet)))).member("network_acl").get("id");
            }
            try (ControllerApp app = ControllerApp.start(config)) {
                NeutronClient admin = new NeutronClient("http://127.0.0.1:" + app.port(), null);
                Map<String, Object> r = admin.get("/v2.0/routers/" + router).member("router");
                assertEquals(1, ((List<?>) r.get("routes")).size());
                String ext = (String) ((Map<String, Object>) r.get("external_gateway_info")).get("network_id");
                assertEquals(router, admin.get("/v2.0/floatingips/" + fip).member("floatingip").get("router_id"));
                assertEquals(List.of(subnet), admin.get("/v2.0/network-acls/" + acl).member("network_acl").get("subnets"));
                assertEquals("RouterInterfaceInUseByFloatingIP",
                        admin.put("/v2.0/routers/" + router + "/remove_router_interface", Map.of("subnet_id", subnet)).errorType());
                assertEquals("IpAddressAlreadyAllocated", admin.post("/v2.0/floatingips", Map.of("floatingip",
                        Map.of("floating_network_id", ext, "floating_ip_address", address))).errorType());
                assertEquals(subnet, new RouterTopology(app.store()).router(router).orElseThrow().interfaces().getFirst().subnetId());
            }
        } finally {
            TestController.deleteRecursively(dir);
        }
    }
}
