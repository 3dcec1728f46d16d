package org.alcor.controller.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Network segment ranges: once defined, networks take their VNIs from them; exhaustion is a 503, never a
 * duplicate; a range holding VNIs of networks cannot be deleted. One controller, tests in a fixed order of ranges.
 */
class NetworkSegmentRangeApiTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    private static NeutronClient.Response createRange(Map<String, Object> attrs) {
        return admin.post("/v2.0/network_segment_ranges", Map.of("network_segment_range", attrs));
    }

    private static long vniOf(Map<String, Object> network) { return ((Number) network.get("provider:segmentation_id")).longValue(); }

    @Test
    void networksTakeVnisFromTheDefinedRangesUntilTheyAreExhausted() {
        var created = createRange(Map.of("name", "small", "network_type", "vxlan", "minimum", 5000, "maximum", 5002, "shared", true));
        assertEquals(201, created.status(), created.raw());
        Map<String, Object> range = created.member("network_segment_range");
        assertEquals(List.of(5000, 5001, 5002), range.get("available"));
        assertEquals(Map.of(), range.get("used"));
        assertEquals(false, range.get("default"));
        String rangeId = (String) range.get("id");

        NeutronClient member = controller.project("seg-member");
        Set<Long> vnis = new HashSet<>();
        List<String> networks = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> network = member.createNetwork(Map.of("name", "seg-" + i));
            networks.add((String) network.get("id"));
            // the segment is shown to admins only
            vnis.add(vniOf(admin.get("/v2.0/networks/" + network.get("id")).member("network")));
        }
        assertEquals(Set.of(5000L, 5001L, 5002L), vnis);
        var exhausted = member.post("/v2.0/networks", Map.of("network", Map.of("name", "one-too-many")));
        assertEquals(503, exhausted.status(), exhausted.raw());
        assertEquals("NoNetworkAvailable", exhausted.errorType());

        Map<String, Object> shown = admin.get("/v2.0/network_segment_ranges/" + rangeId).member("network_segment_range");
        assertEquals(List.of(), shown.get("available"));
        assertEquals(Map.of("5000", "seg-member", "5001", "seg-member", "5002", "seg-member"), shown.get("used"));

        var inUse = admin.delete("/v2.0/network_segment_ranges/" + rangeId);
        assertEquals(409, inUse.status(), inUse.raw());
        assertEquals("NetworkSegmentRangeReferencedByProject", inUse.errorType());
        var shrink = admin.put("/v2.0/network_segment_ranges/" + rangeId, Map.of("network_segment_range", Map.of("maximum", 5001)));
        assertEquals(409, shrink.status(), shrink.raw());

        for (String id : networks) assertEquals(204, member.delete("/v2.0/networks/" + id).status());
        var grown = admin.put("/v2.0/network_segment_ranges/" + rangeId, Map.of("network_segment_range", Map.of("maximum", 5003)));
        assertEquals(200, grown.status(), grown.raw());
        assertEquals(4, ((List<?>) grown.member("network_segment_range").get("available")).size());
        assertEquals(204, admin.delete("/v2.0/network_segment_ranges/" + rangeId).status());
        assertTrue(vniOf(admin.get("/v2.0/networks/" + member.createNetwork(Map.of("name", "back-to-config")).get("id")).member("network")) > 0, "the configured range applies again");
    }

    @Test
    void invalidRangesAreBadRequestsAndOnlyAdminsSeeRanges() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("network_type", "vxlan", "minimum", 10, "maximum", 5),
                Map.of("network_type", "vxlan", "minimum", 0, "maximum", 5),
                Map.of("network_type", "vxlan", "minimum", 1, "maximum", 16_777_216),
                Map.of("network_type", "vlan", "minimum", 1, "maximum", 5),
                Map.of("network_type", "vxlan", "minimum", 1),
                Map.of("network_type", "vxlan", "minimum", "x", "maximum", 5))) {
            var r = createRange(bad);
            assertEquals(400, r.status(), bad + " -> " + r.raw());
        }
        NeutronClient member = controller.project("seg-other");
        var r = member.post("/v2.0/network_segment_ranges", Map.of("network_segment_range",
                Map.of("network_type", "vxlan", "minimum", 7000, "maximum", 7001)));
        assertEquals(403, r.status(), r.raw());
        var created = createRange(Map.of("network_type", "vxlan", "minimum", 8000, "maximum", 8000, "shared", false, "project_id", "seg-owner"));
        assertEquals(201, created.status(), created.raw());
        String id = (String) created.member("network_segment_range").get("id");
        assertEquals(List.of(), member.get("/v2.0/network_segment_ranges").list("network_segment_ranges"));
        assertEquals(404, member.get("/v2.0/network_segment_ranges/" + id).status());
        assertEquals(204, admin.delete("/v2.0/network_segment_ranges/" + id).status());
    }
}
