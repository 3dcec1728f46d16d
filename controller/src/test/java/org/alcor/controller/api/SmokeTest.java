package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmokeTest {
    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    @Test
    void aCreatedPortGetsAnAddressFromTheSubnetAndARequestId() {
        var net = controller.admin().createNetwork(Map.of("name", "smoke"));
        controller.admin().createSubnet((String) net.get("id"), "10.9.0.0/24");
        var r = controller.admin().post("/v2.0/ports", Map.of("port", Map.of("network_id", net.get("id"))));
        assertEquals(201, r.status(), r.raw());
        assertTrue(r.requestId().startsWith("req-"));
        assertTrue(r.raw().contains("\"ip_address\":\"10.9.0.2\""), r.raw());
    }
}
