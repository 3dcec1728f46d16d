package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alcor's own host registration: /v2.0/hosts, admin only. */
class HostApiTest {
    private static TestController controller;
    private static NeutronClient admin;

    @BeforeAll
    static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll
    static void stop() { controller.close(); }

    private static String name() { return "compute-" + UUID.randomUUID(); }

    @Test
    void aHostIsRegisteredShownUpdatedAndDeleted() {
        String id = name();
        var host = admin.registerHost(id, "192.0.2.50");
        assertEquals(id, host.get("id"));
        assertEquals("nova", host.get("availability_zone"));
        assertEquals("192.0.2.50", admin.get("/v2.0/hosts/" + id).member("host").get("host_ip"));
        var updated = admin.put("/v2.0/hosts/" + id, Map.of("host", Map.of("host_ip", "192.0.2.51", "host_mac", "52:54:00:12:34:56")));
        assertEquals(200, updated.status(), updated.raw());
        assertEquals("192.0.2.51", updated.member("host").get("host_ip"));
        assertEquals(204, admin.delete("/v2.0/hosts/" + id).status());
        assertEquals(404, admin.get("/v2.0/hosts/" + id).status());
    }

    @Test
    void manyHostsAreRegisteredInOneBulkRequest() {
        List<Map<String, Object>> hosts = List.of(Map.of("id", name(), "host_ip", "192.0.2.60"), Map.of("id", name(), "host_ip", "192.0.2.61"));
        var r = admin.post("/v2.0/hosts", Map.of("hosts", hosts));
        assertEquals(201, r.status(), r.raw());
        assertEquals(2, r.list("hosts").size());
    }

    @Test
    void aHostIdIsRegisteredOnce() {
        String id = name();
        admin.registerHost(id, "192.0.2.70");
        var again = admin.post("/v2.0/hosts", Map.of("host", Map.of("id", id, "host_ip", "192.0.2.71")));
        assertEquals(409, again.status());
        assertEquals("HostExists", again.errorType());
    }

    @Test
    void aHostWithBoundPortsCannotBeDeleted() {
        String id = name();
        admin.registerHost(id, "192.0.2.80");
        var net = admin.createNetwork(Map.of("name", "n"));
        admin.createSubnet((String) net.get("id"), "10.80.0.0/24");
        admin.createPort(Map.of("network_id", net.get("id"), "binding:host_id", id));
        var r = admin.delete("/v2.0/hosts/" + id);
        assertEquals(409, r.status());
        assertEquals("HostInUse", r.errorType());
    }

    @Test
    void onlyAdminsSeeOrChangeHosts() {
        String id = name();
        admin.registerHost(id, "192.0.2.90");
        var member = controller.project("p-" + UUID.randomUUID());
        assertEquals(403, member.get("/v2.0/hosts").status());
        assertEquals(403, member.get("/v2.0/hosts/" + id).status());
        assertEquals(403, member.post("/v2.0/hosts", Map.of("host", Map.of("id", name(), "host_ip", "192.0.2.91"))).status());
        assertEquals(403, member.delete("/v2.0/hosts/" + id).status());
    }

    @Test
    void aHostNeedsAValidUnderlayAddress() {
        var r = admin.post("/v2.0/hosts", Map.of("host", Map.of("id", name(), "host_ip", "not-an-ip")));
        assertEquals(400, r.status(), r.raw());
        var missing = admin.post("/v2.0/hosts", Map.of("host", Map.of("id", name())));
        assertEquals(400, missing.status(), missing.raw());
    }
}
