package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProjectScopingTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    /** Two projects of their own per test, so that lists hold only what the test created. */
    private record Projects(NeutronClient p1, NeutronClient p2, String p1Id, String p2Id) {}

    private static Projects projects() {
        String suffix = UUID.randomUUID().toString();
        return new Projects(controller.project("p1-" + suffix), controller.project("p2-" + suffix), "p1-" + suffix, "p2-" + suffix);
    }

    /** A network of p1 with a subnet and a port. */
    private record Owned(String network, String subnet, String port) {}

    private static Owned ownedBy(NeutronClient client) {
        String net = (String) client.createNetwork(Map.of("name", "mine")).get("id");
        String subnet = (String) client.createSubnet(net, "10.0.0.0/24").get("id");
        String port = (String) client.createPort(Map.of("network_id", net)).get("id");
        return new Owned(net, subnet, port);
    }

    /** The ids a list answers; query is "networks", "ports?network_id=..." and the like. */
    private static List<String> ids(NeutronClient client, String query) {
        var r = client.get("/v2.0/" + query);
        assertEquals(200, r.status(), r.raw());
        return r.list(query.split("\\?")[0]).stream().map(x -> (String) x.get("id")).toList();
    }

    /** The ids of a project's own resources: shared networks made by other tests are visible to every project. */
    private static List<String> ownIds(NeutronClient client, String projectId, String collection) {
        return ids(client, collection + "?project_id=" + projectId);
    }

    private static void assertNotFound(NeutronClient.Response r, String type) {
        assertEquals(404, r.status(), r.raw());
        assertEquals(type, r.errorType(), r.raw());
    }

    @Test
    void anotherProjectCannotShowANetworkSubnetOrPort() {
        var p = projects();
        var owned = ownedBy(p.p1());
        assertNotFound(p.p2().get("/v2.0/networks/" + owned.network()), "NetworkNotFound");
        assertNotFound(p.p2().get("/v2.0/subnets/" + owned.subnet()), "SubnetNotFound");
        assertNotFound(p.p2().get("/v2.0/ports/" + owned.port()), "PortNotFound");
    }

    @Test
    void anotherProjectCannotUpdateANetworkSubnetOrPort() {
        var p = projects();
        var owned = ownedBy(p.p1());
        assertNotFound(p.p2().put("/v2.0/networks/" + owned.network(), Map.of("network", Map.of("name", "x"))), "NetworkNotFound");
        assertNotFound(p.p2().put("/v2.0/subnets/" + owned.subnet(), Map.of("subnet", Map.of("name", "x"))), "SubnetNotFound");
        assertNotFound(p.p2().put("/v2.0/ports/" + owned.port(), Map.of("port", Map.of("name", "x"))), "PortNotFound");
        assertEquals("mine", p.p1().get("/v2.0/networks/" + owned.network()).member("network").get("name"));
        assertEquals("", p.p1().get("/v2.0/subnets/" + owned.subnet()).member("subnet").get("name"));
        assertEquals("", p.p1().get("/v2.0/ports/" + owned.port()).member("port").get("name"));
    }

    @Test
    void anotherProjectCannotDeleteANetworkSubnetOrPort() {
        var p = projects();
        var owned = ownedBy(p.p1());
        assertNotFound(p.p2().delete("/v2.0/ports/" + owned.port()), "PortNotFound");
        assertNotFound(p.p2().delete("/v2.0/subnets/" + owned.subnet()), "SubnetNotFound");
        assertNotFound(p.p2().delete("/v2.0/networks/" + owned.network()), "NetworkNotFound");
        assertEquals(200, p.p1().get("/v2.0/ports/" + owned.port()).status());
        assertEquals(200, p.p1().get("/v2.0/subnets/" + owned.subnet()).status());
        assertEquals(200, p.p1().get("/v2.0/networks/" + owned.network()).status());
    }

    @Test
    void anotherProjectCannotTagANetwork() {
        var p = projects();
        var owned = ownedBy(p.p1());
        assertNotFound(p.p2().put("/v2.0/networks/" + owned.network() + "/tags/x", null), "NetworkNotFound");
        assertEquals(List.of(), p.p1().get("/v2.0/networks/" + owned.network()).member("network").get("tags"));
    }

    @Test
    void anotherProjectCannotCreateASubnetOrPortOnANetworkItCannotSee() {
        var p = projects();
        var owned = ownedBy(p.p1());
        var subnet = p.p2().post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", owned.network(), "cidr", "10.1.0.0/24", "ip_version", 4)));
        assertNotFound(subnet, "NetworkNotFound");
        assertNotFound(p.p2().post("/v2.0/ports", Map.of("port", Map.of("network_id", owned.network()))), "NetworkNotFound");
        assertEquals(List.of(owned.port()), ids(admin, "ports?network_id=" + owned.network()));
    }

    @Test
    void listsOfAProjectHoldOnlyItsOwnOrSharedResources() {
        var p = projects();
        var mine = ownedBy(p.p1());
        var theirs = ownedBy(p.p2());
        var shared = sharedNetworkIds();
        for (String collection : List.of("networks", "subnets", "ports")) {
            var r = p.p2().get("/v2.0/" + collection);
            assertEquals(200, r.status(), r.raw());
            for (var item : r.list(collection)) {
                assertTrue(p.p2Id().equals(item.get("project_id")) || shared.contains(item.get("id"))
                        || shared.contains(item.get("network_id")), collection + ": " + item);
            }
        }
        assertFalse(ids(p.p2(), "networks").contains(mine.network()));
        assertFalse(ids(p.p2(), "subnets").contains(mine.subnet()));
        assertFalse(ids(p.p2(), "ports").contains(mine.port()));
        assertTrue(ids(p.p2(), "networks").contains(theirs.network()));
        assertEquals(List.of(theirs.subnet()), ownIds(p.p2(), p.p2Id(), "subnets"));
        assertEquals(List.of(theirs.port()), ids(p.p2(), "ports"));
        assertEquals(List.of(mine.network()), ownIds(p.p1(), p.p1Id(), "networks"));
    }

    private static List<String> sharedNetworkIds() { return ids(admin, "networks?shared=true"); }

    @Test
    void filteringOnAnotherProjectsIdsOrProjectGivesNothing() {
        var p = projects();
        var owned = ownedBy(p.p1());
        assertEquals(List.of(), ids(p.p2(), "networks?id=" + owned.network()));
        assertEquals(List.of(), ids(p.p2(), "networks?project_id=" + p.p1Id()));
        assertEquals(List.of(), ids(p.p2(), "ports?network_id=" + owned.network()));
        assertEquals(List.of(), ids(p.p2(), "subnets?network_id=" + owned.network()));
    }

    @Test
    void adminSeesEveryProjectsResources() {
        var p = projects();
        var one = ownedBy(p.p1());
        var two = ownedBy(p.p2());
        assertTrue(ids(admin, "networks").containsAll(List.of(one.network(), two.network())));
        assertTrue(ids(admin, "subnets").containsAll(List.of(one.subnet(), two.subnet())));
        assertTrue(ids(admin, "ports").containsAll(List.of(one.port(), two.port())));
        assertEquals(200, admin.get("/v2.0/ports/" + one.port()).status());
        assertEquals(p.p2Id(), admin.get("/v2.0/networks/" + two.network()).member("network").get("project_id"));
    }

    @Test
    void aNonAdminCannotCreateForAnotherProject() {
        var p = projects();
        var r = p.p2().post("/v2.0/networks", Map.of("network", Map.of("name", "x", "project_id", p.p1Id())));
        assertEquals(403, r.status(), r.raw());
        assertEquals(List.of(), ownIds(p.p1(), p.p1Id(), "networks"));
    }

    private static String sharedNetworkOf(Projects p) {
        var r = admin.post("/v2.0/networks", Map.of("network", Map.of("name", "shared", "shared", true, "project_id", p.p1Id())));
        assertEquals(201, r.status(), r.raw());
        assertEquals(p.p1Id(), r.member("network").get("project_id"));
        return (String) r.member("network").get("id");
    }

    @Test
    void aSharedNetworkIsVisibleToOtherProjects() {
        var p = projects();
        String shared = sharedNetworkOf(p);
        assertEquals(200, p.p2().get("/v2.0/networks/" + shared).status());
        assertTrue(ids(p.p2(), "networks").contains(shared));
        assertEquals(List.of(shared), ids(p.p2(), "networks?project_id=" + p.p1Id()));
    }

    @Test
    void theSubnetsOfASharedNetworkAreVisibleToOtherProjects() {
        var p = projects();
        String shared = sharedNetworkOf(p);
        String subnet = (String) admin.createSubnet(shared, "10.2.0.0/24").get("id");
        assertEquals(200, p.p2().get("/v2.0/subnets/" + subnet).status());
        assertTrue(ids(p.p2(), "subnets").contains(subnet));
    }

    @Test
    void anotherProjectCanCreateAPortOnASharedNetwork() {
        var p = projects();
        String shared = sharedNetworkOf(p);
        admin.createSubnet(shared, "10.3.0.0/24");
        var r = p.p2().post("/v2.0/ports", Map.of("port", Map.of("network_id", shared)));
        assertEquals(201, r.status(), r.raw());
        assertEquals(p.p2Id(), r.member("port").get("project_id"));
        assertEquals(List.of(r.member("port").get("id")), ids(p.p2(), "ports"));
        assertEquals(List.of(), ids(p.p1(), "ports"));
    }

    @Test
    void anotherProjectCannotDeleteASharedNetworkItCanSee() {
        var p = projects();
        String shared = sharedNetworkOf(p);
        var r = p.p2().delete("/v2.0/networks/" + shared);
        assertEquals(403, r.status(), r.raw());
        assertEquals(200, p.p1().get("/v2.0/networks/" + shared).status());
    }

    @Test
    void unsharingANetworkHidesItAgain() {
        var p = projects();
        String shared = sharedNetworkOf(p);
        var created = admin.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", shared, "cidr", "10.4.0.0/24", "ip_version", 4,
                "project_id", p.p1Id())));
        assertEquals(201, created.status(), created.raw());
        String subnet = (String) created.member("subnet").get("id");
        assertEquals(200, admin.put("/v2.0/networks/" + shared, Map.of("network", Map.of("shared", false))).status());
        assertNotFound(p.p2().get("/v2.0/networks/" + shared), "NetworkNotFound");
        assertNotFound(p.p2().get("/v2.0/subnets/" + subnet), "SubnetNotFound");
        assertFalse(ids(p.p2(), "subnets").contains(subnet));
    }

    /** Neutron's InvalidSharedSetting: otherwise p2 would keep a port on a network it can no longer see. */
    @Test
    void unsharingANetworkAnotherProjectHasPortsOnIsAConflict() {
        var p = projects();
        String shared = sharedNetworkOf(p);
        admin.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", shared, "cidr", "10.5.0.0/24", "ip_version", 4, "project_id", p.p1Id())));
        p.p2().createPort(Map.of("network_id", shared));
        var r = admin.put("/v2.0/networks/" + shared, Map.of("network", Map.of("shared", false)));
        assertEquals(409, r.status(), r.raw());
        assertEquals("InvalidSharedSetting", r.errorType());
        assertEquals(200, p.p2().get("/v2.0/networks/" + shared).status());
    }

    @Test
    void aNonAdminCannotCreateASharedNetwork() {
        var p = projects();
        var r = p.p1().post("/v2.0/networks", Map.of("network", Map.of("name", "x", "shared", true)));
        assertEquals(403, r.status(), r.raw());
        assertEquals("PolicyNotAuthorized", r.errorType());
        assertEquals(List.of(), ownIds(p.p1(), p.p1Id(), "networks"));
    }

    @Test
    void aNonAdminCannotShareANetworkByUpdate() {
        var p = projects();
        String net = (String) p.p1().createNetwork(Map.of("name", "x")).get("id");
        var r = p.p1().put("/v2.0/networks/" + net, Map.of("network", Map.of("shared", true)));
        assertEquals(403, r.status(), r.raw());
        assertEquals(false, p.p1().get("/v2.0/networks/" + net).member("network").get("shared"));
    }

    @Test
    void aNonAdminCannotChooseASegmentationId() {
        var p = projects();
        Map<String, Object> network = new HashMap<>(Map.of("name", "x", "provider:segmentation_id", 4242));
        var r = p.p1().post("/v2.0/networks", Map.of("network", network));
        assertEquals(403, r.status(), r.raw());
        assertEquals("PolicyNotAuthorized", r.errorType());
        assertEquals(List.of(), ownIds(p.p1(), p.p1Id(), "networks"));
    }
}
