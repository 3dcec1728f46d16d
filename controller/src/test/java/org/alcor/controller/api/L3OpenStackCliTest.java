package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.OpenStackCli;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routers and floating IPs driven by the real OpenStack CLI: it resolves names, probes extensions, sends its own
 * bodies (router set --external-gateway, add_extraroutes, floating ip set --port) and must accept every response.
 * Set-up goes through REST; each CLI call is a Python start (~1.5 s), so there are few of them.
 */
class L3OpenStackCliTest {
    private static TestController controller;
    private static NeutronClient rest;
    private static Path outputDir;
    private static OpenStackCli cli;

    @BeforeAll
    static void start() {
        OpenStackCli.requireInstalled();
        outputDir = TestController.createTempDir();
        controller = TestController.start();
        rest = controller.admin();
        cli = new OpenStackCli(controller.baseUrl(), outputDir);
    }

    @AfterAll
    static void stop() {
        try {
            if (controller != null) controller.close();
        } finally {
            if (outputDir != null) TestController.deleteRecursively(outputDir);
        }
    }

    private static String externalNetwork(String name, String cidr) {
        String id = (String) rest.createNetwork(Map.of("name", name, "router:external", true)).get("id");
        rest.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", id, "name", name + "-subnet", "cidr", cidr, "ip_version", 4)));
        return id;
    }

    private static String subnet(String networkName, String subnetName, String cidr) {
        String id = (String) rest.createNetwork(Map.of("name", networkName)).get("id");
        var r = rest.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", id, "name", subnetName, "cidr", cidr, "ip_version", 4)));
        assertEquals(201, r.status(), r.raw());
        return (String) r.member("subnet").get("id");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> router(String id) { return rest.get("/v2.0/routers/" + id).member("router"); }

    @Test
    void aRouterGetsAGatewayAnInterfaceAndARouteFromTheCliAndLosesTheInterfaceAgain() {
        String extId = externalNetwork("cli-ext-1", "198.18.1.0/24");
        String subnetId = subnet("cli-int-1", "cli-int-subnet-1", "10.110.0.0/24");

        JsonNode created = cli.run("router", "create", "cli-router-1", "-f", "json").json();
        String id = created.path("id").asText();
        assertEquals("ACTIVE", created.path("status").asText());

        cli.run("router", "set", "--external-gateway", "cli-ext-1", "cli-router-1").ok();
        cli.run("router", "add", "subnet", "cli-router-1", "cli-int-subnet-1").ok();
        cli.run("router", "add", "route", "--route", "destination=192.168.50.0/24,gateway=10.110.0.20", "cli-router-1").ok();

        JsonNode shown = cli.run("router", "show", "cli-router-1", "-f", "json").json();
        assertEquals(id, shown.path("id").asText());
        assertTrue(shown.toString().contains(extId), shown::toString);
        assertTrue(shown.toString().contains("192.168.50.0/24"), shown::toString);
        Map<String, Object> stored = router(id);
        assertEquals(extId, ((Map<?, ?>) stored.get("external_gateway_info")).get("network_id"));
        assertEquals(List.of(Map.of("destination", "192.168.50.0/24", "nexthop", "10.110.0.20")), stored.get("routes"));
        assertEquals(1, rest.get("/v2.0/ports?device_id=" + id + "&device_owner=network:router_interface").list("ports").size());

        cli.run("router", "remove", "route", "--route", "destination=192.168.50.0/24,gateway=10.110.0.20", "cli-router-1").ok();
        cli.run("router", "remove", "subnet", "cli-router-1", "cli-int-subnet-1").ok();
        assertEquals(List.of(), router(id).get("routes"));
        assertTrue(rest.get("/v2.0/ports?device_id=" + id + "&device_owner=network:router_interface").list("ports").isEmpty());
        assertEquals(204, rest.delete("/v2.0/subnets/" + subnetId).status());
    }

    @Test
    void aRouteWhoseGatewayTheRouterCannotReachIsRefusedWithTheReason() {
        subnet("cli-int-2", "cli-int-subnet-2", "10.111.0.0/24");
        String id = (String) rest.post("/v2.0/routers", Map.of("router", Map.of("name", "cli-router-2"))).member("router").get("id");
        cli.run("router", "add", "subnet", "cli-router-2", "cli-int-subnet-2").ok();

        OpenStackCli.Result refused = cli.run("router", "add", "route", "--route", "destination=192.168.51.0/24,gateway=10.9.9.9", "cli-router-2");

        assertNotEquals(0, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("nexthop is not connected with router"), refused::toString);
        assertEquals(List.of(), router(id).get("routes"));
    }

    @Test
    void aFloatingIpIsCreatedAssociatedDisassociatedAndDeletedWithTheCli() {
        String extId = externalNetwork("cli-ext-3", "198.18.3.0/24");
        String subnetId = subnet("cli-int-3", "cli-int-subnet-3", "10.112.0.0/24");
        String routerId = (String) rest.post("/v2.0/routers", Map.of("router", Map.of("name", "cli-router-3",
                "external_gateway_info", Map.of("network_id", extId)))).member("router").get("id");
        assertEquals(200, rest.put("/v2.0/routers/" + routerId + "/add_router_interface", Map.of("subnet_id", subnetId)).status());
        Map<String, Object> port = rest.createPort(Map.of("network_id", rest.get("/v2.0/subnets/" + subnetId).member("subnet").get("network_id"),
                "name", "cli-fip-port"));

        JsonNode created = cli.run("floating", "ip", "create", "cli-ext-3", "-f", "json").json();
        String fipId = created.path("id").asText();
        String address = created.path("floating_ip_address").asText();
        assertTrue(address.startsWith("198.18.3."), created::toString);
        assertEquals(extId, created.path("floating_network_id").asText());

        cli.run("floating", "ip", "set", "--port", "cli-fip-port", fipId).ok();
        Map<String, Object> associated = rest.get("/v2.0/floatingips/" + fipId).member("floatingip");
        assertEquals(port.get("id"), associated.get("port_id"));
        assertEquals(routerId, associated.get("router_id"));
        JsonNode listed = cli.run("floating", "ip", "list", "-f", "json").json();
        assertTrue(listed.toString().contains(address) && listed.toString().contains((String) port.get("id")), listed::toString);

        cli.run("floating", "ip", "unset", "--port", fipId).ok();
        assertEquals(null, rest.get("/v2.0/floatingips/" + fipId).member("floatingip").get("port_id"));

        cli.run("floating", "ip", "delete", fipId).ok();
        assertEquals(404, rest.get("/v2.0/floatingips/" + fipId).status());
        assertTrue(rest.get("/v2.0/ports?device_id=" + fipId).list("ports").isEmpty());
    }

    @Test
    void unsettingTheGatewayAndDeletingTheRouterWithTheCliFreeTheGatewayPort() {
        externalNetwork("cli-ext-4", "198.18.4.0/24");
        String id = cli.run("router", "create", "cli-router-4", "-f", "json").json().path("id").asText();
        cli.run("router", "set", "--external-gateway", "cli-ext-4", "cli-router-4").ok();
        assertEquals(1, rest.get("/v2.0/ports?device_id=" + id).list("ports").size());

        cli.run("router", "unset", "--external-gateway", "cli-router-4").ok();
        assertEquals(null, router(id).get("external_gateway_info"));
        assertTrue(rest.get("/v2.0/ports?device_id=" + id).list("ports").isEmpty());

        cli.run("router", "delete", "cli-router-4").ok();
        assertEquals(404, rest.get("/v2.0/routers/" + id).status());
    }
}
