package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two projects and an admin, every project-scoped resource type of issue 3: another project's resource is not in
 * its lists and answers 404 to show, update and delete, as if it did not exist; the owner and the admin see it.
 * Admin-only collections answer 403 to members. (Networks, subnets and ports: {@link ProjectScopingTest}.)
 */
class AuthorizationMatrixTest {
    private static TestController controller;
    private static NeutronClient admin, p1, p2;
    private static String p1Id;

    /** One resource type: its URL segment, its JSON member and collection keys, a create body and an update body. */
    private record Kind(String path, String member, String collection, Map<String, Object> create, Map<String, Object> update) {}

    @BeforeAll
    static void start() {
        controller = TestController.start();
        admin = controller.admin();
        String suffix = UUID.randomUUID().toString();
        p1Id = "p1-" + suffix;
        p1 = controller.project(p1Id);
        p2 = controller.project("p2-" + suffix);
    }

    @AfterAll
    static void stop() { controller.close(); }

    private static List<Kind> kinds() {
        var ext = admin.createNetwork(Map.of("name", "public", "router:external", true));
        admin.createSubnet((String) ext.get("id"), "203.0.113.0/24");
        var group = p1.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "g"))).member("security_group");
        return List.of(
                new Kind("security-groups", "security_group", "security_groups", Map.of("name", "web"), Map.of("name", "web2")),
                new Kind("security-group-rules", "security_group_rule", "security_group_rules",
                        Map.of("security_group_id", group.get("id"), "direction", "ingress", "protocol", "tcp",
                                "port_range_min", 80, "port_range_max", 80), null),
                new Kind("routers", "router", "routers", Map.of("name", "r"), Map.of("name", "r2")),
                new Kind("floatingips", "floatingip", "floatingips", Map.of("floating_network_id", ext.get("id")),
                        Map.of("description", "moved")),
                new Kind("network-acls", "network_acl", "network_acls", Map.of("name", "acl"), Map.of("name", "acl2")));
    }

    @Test
    void anotherProjectsResourcesAreInvisibleAndUntouchableEverywhere() {
        for (Kind k : kinds()) {
            var created = p1.post("/v2.0/" + k.path(), Map.of(k.member(), k.create()));
            assertEquals(201, created.status(), k.path() + ": " + created.raw());
            String id = (String) created.member(k.member()).get("id");
            String url = "/v2.0/" + k.path() + "/" + id;

            assertFalse(ids(p2, k).contains(id), k.path() + ": listed to another project");
            assertNotFound(p2.get(url), k);
            if (k.update() != null) assertNotFound(p2.put(url, Map.of(k.member(), k.update())), k);
            assertNotFound(p2.delete(url), k);

            assertTrue(ids(p1, k).contains(id), k.path() + ": the owner lists it");
            assertTrue(ids(admin, k).contains(id), k.path() + ": the admin lists it");
            assertEquals(200, admin.get(url).status(), k.path());
            assertEquals(p1Id, p1.get(url).member(k.member()).get("project_id"), k.path() + ": nothing changed it");
            assertEquals(204, p1.delete(url).status(), k.path() + ": the owner deletes it");
        }
    }

    @Test
    void adminOnlyCollectionsAreForbiddenToMembers() {
        assertEquals(403, p1.get("/v2.0/hosts").status());
        assertEquals(403, p1.post("/v2.0/hosts", Map.of("host", Map.of("id", "h-" + UUID.randomUUID(), "host_ip", "192.0.2.1"))).status());
        var range = p1.post("/v2.0/network_segment_ranges", Map.of("network_segment_range",
                Map.of("network_type", "vxlan", "minimum", 100, "maximum", 200)));
        assertEquals(403, range.status(), range.raw());
        var quota = p1.put("/v2.0/quotas/" + p1Id, Map.of("quota", Map.of("port", 1_000)));
        assertEquals(403, quota.status(), quota.raw());
        var othersQuota = p2.get("/v2.0/quotas/" + p1Id);
        assertEquals(403, othersQuota.status(), othersQuota.raw());
    }

    private static List<String> ids(NeutronClient client, Kind k) {
        var r = client.get("/v2.0/" + k.path());
        assertEquals(200, r.status(), r.raw());
        return r.list(k.collection()).stream().map(x -> (String) x.get("id")).toList();
    }

    private static void assertNotFound(NeutronClient.Response r, Kind k) {
        assertEquals(404, r.status(), k.path() + ": " + r.raw());
        assertTrue(r.errorType() != null && r.errorType().endsWith("NotFound"), k.path() + ": " + r.raw());
    }
}
