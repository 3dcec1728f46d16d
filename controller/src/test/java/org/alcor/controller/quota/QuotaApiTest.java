package org.alcor.controller.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quotas through the REST API: limits, usage counted in the creating transaction, admin-only changes. */
class QuotaApiTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    private static String newProject() { return "q-" + UUID.randomUUID().toString().substring(0, 8); }

    private static void setQuota(String project, Map<String, Object> limits) {
        var r = admin.put("/v2.0/quotas/" + project, Map.of("quota", limits));
        assertEquals(200, r.status(), r.raw());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(NeutronClient client, String project, String resource) {
        var r = client.get("/v2.0/quotas/" + project + "/details");
        assertEquals(200, r.status(), r.raw());
        return (Map<String, Object>) r.member("quota").get(resource);
    }

    private static String network(NeutronClient client) {
        String id = (String) client.createNetwork(Map.of("name", "quota-net")).get("id");
        client.createSubnet(id, "10.20.0.0/24");
        return id;
    }

    @Test
    void aNewProjectHasNeutronsDefaultQuotas() {
        String project = newProject();
        var expected = Map.of("network", 100, "subnet", 100, "port", 500, "security_group", 10, "security_group_rule", 100,
                "router", 10, "floatingip", 50);
        assertEquals(expected, controller.project(project).get("/v2.0/quotas/" + project).member("quota"));
        assertEquals(expected, admin.get("/v2.0/quotas/" + project + "/default").member("quota"));
        assertEquals(expected, admin.get("/v2.0/quotas/" + project + ".json").member("quota"), "the old client's .json suffix");
    }

    @Test
    void detailsCountWhatTheProjectCreatedIncludingItsDefaultSecurityGroup() {
        String project = newProject();
        NeutronClient client = controller.project(project);
        String net = network(client);
        client.createPort(Map.of("network_id", net));
        client.createPort(Map.of("network_id", net));
        assertEquals(Map.of("limit", 500, "used", 2, "reserved", 0), detail(client, project, "port"));
        assertEquals(1, detail(client, project, "network").get("used"));
        assertEquals(1, detail(client, project, "subnet").get("used"));
        assertEquals(1, detail(client, project, "security_group").get("used"));
        assertEquals(4, detail(client, project, "security_group_rule").get("used"));
    }

    @Test
    void aPortOverQuotaIsRefusedAndADeleteGivesTheRoomBack() {
        String project = newProject();
        NeutronClient client = controller.project(project);
        String net = network(client);
        setQuota(project, Map.of("port", 2));
        String first = (String) client.createPort(Map.of("network_id", net)).get("id");
        client.createPort(Map.of("network_id", net));
        var over = client.post("/v2.0/ports", Map.of("port", Map.of("network_id", net)));
        assertEquals(409, over.status(), over.raw());
        assertEquals("OverQuota", over.errorType());
        assertTrue(over.raw().contains("Quota exceeded for resources: ['port']."), over.raw());

        assertEquals(204, client.delete("/v2.0/ports/" + first).status());
        assertEquals(201, client.post("/v2.0/ports", Map.of("port", Map.of("network_id", net))).status());
    }

    @Test
    void aPortMadeThroughTheApiCountsWhateverOwnerItClaimsAndGivesItsUnitBackWhateverOwnerItHasThen() {
        String project = newProject();
        NeutronClient client = controller.project(project);
        String net = network(client);
        setQuota(project, Map.of("port", 1));
        // An admin may give a service's device owner; the port is still the project's.
        var claimed = admin.createPort(Map.of("network_id", net, "project_id", project, "device_owner", "network:router_interface"));
        assertEquals(1, detail(client, project, "port").get("used"));
        assertEquals("OverQuota", client.post("/v2.0/ports", Map.of("port", Map.of("network_id", net))).errorType());
        assertEquals(204, admin.delete("/v2.0/ports/" + claimed.get("id")).status());
        assertEquals(0, detail(client, project, "port").get("used"));

        // A port of the project taken as a router's interface, then let go with it: its unit comes back.
        String port = (String) client.createPort(Map.of("network_id", net)).get("id");
        String router = (String) client.post("/v2.0/routers", Map.of("router", Map.of("name", "quota-r"))).member("router").get("id");
        assertEquals(200, client.put("/v2.0/routers/" + router + "/add_router_interface", Map.of("port_id", port)).status());
        assertEquals(200, client.put("/v2.0/routers/" + router + "/remove_router_interface", Map.of("port_id", port)).status());
        assertEquals(404, client.get("/v2.0/ports/" + port).status(), "removing the interface deleted its port, as Neutron does");
        assertEquals(0, detail(client, project, "port").get("used"), "and gave the project its unit back");
        assertEquals(204, client.delete("/v2.0/routers/" + router).status());
    }

    @Test
    void routersAndFloatingIpsCountAgainstTheirQuotas() {
        String project = newProject();
        NeutronClient client = controller.project(project);
        String external = (String) admin.createNetwork(Map.of("name", "ext-" + project, "router:external", true)).get("id");
        admin.createSubnet(external, "203.0." + (100 + (project.hashCode() & 0x7f)) + ".0/24");
        setQuota(project, Map.of("router", 1, "floatingip", 1));

        String router = (String) client.post("/v2.0/routers", Map.of("router", Map.of("name", "r1"))).member("router").get("id");
        var secondRouter = client.post("/v2.0/routers", Map.of("router", Map.of("name", "r2")));
        assertEquals(409, secondRouter.status(), secondRouter.raw());
        assertTrue(secondRouter.raw().contains("['router']"), secondRouter.raw());
        assertEquals(1, detail(client, project, "router").get("used"));
        assertEquals(204, client.delete("/v2.0/routers/" + router).status());
        assertEquals(201, client.post("/v2.0/routers", Map.of("router", Map.of("name", "r3"))).status(), "a delete gives the room back");

        var fip = client.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", external)));
        assertEquals(201, fip.status(), fip.raw());
        var secondFip = client.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", external)));
        assertEquals(409, secondFip.status(), secondFip.raw());
        assertEquals("OverQuota", secondFip.errorType());
        assertEquals(204, client.delete("/v2.0/floatingips/" + fip.member("floatingip").get("id")).status());
        assertEquals(0, detail(client, project, "floatingip").get("used"));
        assertEquals(204, admin.delete("/v2.0/networks/" + external).status(), "the external network goes with the test");
    }

    @Test
    void aBulkCreateOverQuotaFailsWhole() {
        String project = newProject();
        NeutronClient client = controller.project(project);
        String net = network(client);
        setQuota(project, Map.of("port", 3));
        client.createPort(Map.of("network_id", net));
        var bulk = client.post("/v2.0/ports", Map.of("ports", List.of(Map.of("network_id", net), Map.of("network_id", net),
                Map.of("network_id", net))));
        assertEquals(409, bulk.status(), bulk.raw());
        assertEquals("OverQuota", bulk.errorType());
        assertEquals(1, client.get("/v2.0/ports").list("ports").size());
        assertEquals(1, detail(client, project, "port").get("used"));
    }

    @Test
    void concurrentCreatesNeverExceedTheLimit() throws Exception {
        String project = newProject();
        NeutronClient client = controller.project(project);
        setQuota(project, Map.of("network", 5));
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> client.post("/v2.0/networks", Map.of("network", Map.of("name", "n"))).status()));
            }
            int created = 0;
            for (var f : results) if (f.get() == 201) created++;
            assertEquals(5, created);
        } finally {
            pool.shutdown();
        }
        // its own: shared and external networks of other tests are visible to every project
        assertEquals(5, client.get("/v2.0/networks?project_id=" + project).list("networks").size());
        assertEquals(5, detail(client, project, "network").get("used"));
    }

    @Test
    void minusOneIsUnlimitedAndZeroRefusesEverything() {
        String project = newProject();
        NeutronClient client = controller.project(project);
        setQuota(project, Map.of("network", 0));
        assertEquals("OverQuota", client.post("/v2.0/networks", Map.of("network", Map.of())).errorType());
        setQuota(project, Map.of("network", -1));
        assertEquals(201, client.post("/v2.0/networks", Map.of("network", Map.of())).status());
        assertEquals(-1, client.get("/v2.0/quotas/" + project).member("quota").get("network"));
    }

    @Test
    void securityGroupsAndRulesAreCounted() {
        String project = newProject();
        NeutronClient client = controller.project(project);
        client.get("/v2.0/security-groups");
        setQuota(project, Map.of("security_group", 2, "security_group_rule", 7));
        var group = client.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "one")));
        assertEquals(201, group.status(), group.raw());
        assertEquals("OverQuota", client.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "two"))).errorType());
        String groupId = (String) group.member("security_group").get("id");
        var rule = client.post("/v2.0/security-group-rules", Map.of("security_group_rule",
                Map.of("security_group_id", groupId, "direction", "ingress", "protocol", "tcp")));
        assertEquals(201, rule.status(), rule.raw());
        var over = client.post("/v2.0/security-group-rules", Map.of("security_group_rule",
                Map.of("security_group_id", groupId, "direction", "ingress", "protocol", "udp")));
        assertEquals("OverQuota", over.errorType(), over.raw());
        assertEquals(204, client.delete("/v2.0/security-groups/" + groupId).status());
        assertEquals(1, detail(client, project, "security_group").get("used"));
        assertEquals(4, detail(client, project, "security_group_rule").get("used"));
    }

    @Test
    void onlyAnAdminMaySetListOrResetQuotasAndMembersSeeOnlyTheirOwn() {
        String project = newProject(), other = newProject();
        NeutronClient member = controller.project(project);
        assertEquals(403, member.put("/v2.0/quotas/" + project, Map.of("quota", Map.of("port", 1))).status());
        assertEquals(403, member.get("/v2.0/quotas/" + other).status());
        assertEquals(403, member.get("/v2.0/quotas/" + other + "/details").status());
        assertEquals(403, member.get("/v2.0/quotas").status());
        assertEquals(403, member.delete("/v2.0/quotas/" + project).status());

        setQuota(project, Map.of("subnet", 7));
        var listed = admin.get("/v2.0/quotas").list("quotas");
        assertTrue(listed.stream().anyMatch(q -> project.equals(q.get("project_id")) && Integer.valueOf(7).equals(q.get("subnet"))), listed::toString);
        assertEquals(204, admin.delete("/v2.0/quotas/" + project).status());
        assertEquals(100, member.get("/v2.0/quotas/" + project).member("quota").get("subnet"));
    }

    @Test
    void invalidQuotaValuesAreBadRequests() {
        String project = newProject();
        for (Object body : List.of(Map.of("quota", Map.of("port", -2)), Map.of("quota", Map.of("ports", 5)),
                Map.of("quota", Map.of("port", "many")), Map.of("quota", List.of()), Map.of("port", 5))) {
            var r = admin.put("/v2.0/quotas/" + project, body);
            assertEquals(400, r.status(), body + " -> " + r.raw());
            assertTrue(r.errorType() != null, r.raw());
        }
        assertEquals(404, admin.get("/v2.0/quotas/" + project + "/nonsense").status());
    }
}
