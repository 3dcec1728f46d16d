package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetworkApiTest {
    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    /** A project of its own, so that a test's lists hold only what the test created. */
    private static NeutronClient freshProject() { return controller.project("net-" + UUID.randomUUID()); }

    private static String unique(String prefix) { return prefix + "-" + UUID.randomUUID(); }

    private static List<String> names(List<Map<String, Object>> items) {
        return items.stream().map(n -> (String) n.get("name")).toList();
    }

    @Test
    void aCreatedNetworkHasNeutronsDefaults() {
        var client = freshProject();
        var r = client.post("/v2.0/networks", Map.of("network", Map.of("name", "defaults")));
        assertEquals(201, r.status(), r.raw());
        var net = r.member("network");
        assertEquals("ACTIVE", net.get("status"));
        assertEquals(1450, net.get("mtu"));
        // The segment is where the network runs: Neutron's default policy shows it to admins only.
        assertFalse(net.containsKey("provider:network_type") || net.containsKey("provider:segmentation_id"), net.toString());
        var asAdmin = controller.admin().get("/v2.0/networks/" + net.get("id")).member("network");
        assertEquals("vxlan", asAdmin.get("provider:network_type"));
        assertTrue(((Number) asAdmin.get("provider:segmentation_id")).longValue() >= 1, asAdmin.toString());
        assertEquals(true, net.get("admin_state_up"));
        assertEquals(false, net.get("shared"));
        assertEquals(List.of(), net.get("subnets"));
        assertEquals(List.of(), net.get("tags"));
        assertEquals(1, net.get("revision_number"));
        assertNotNull(net.get("created_at"));
        assertEquals(net.get("created_at"), net.get("updated_at"));
    }

    @Test
    void tenantIdEqualsProjectIdAndIsTheCallersProject() {
        var client = controller.project("owner-" + UUID.randomUUID());
        var net = client.createNetwork(Map.of("name", "owned"));
        assertEquals(net.get("project_id"), net.get("tenant_id"));
        var shown = client.get("/v2.0/networks/" + net.get("id")).member("network");
        assertTrue(((String) shown.get("project_id")).startsWith("owner-"), shown.toString());
        assertEquals(shown.get("project_id"), shown.get("tenant_id"));
    }

    @Test
    void showReturnsWhatCreateReturned() {
        var net = controller.admin().createNetwork(Map.of("name", unique("show"), "description", "d"));
        var r = controller.admin().get("/v2.0/networks/" + net.get("id"));
        assertEquals(200, r.status(), r.raw());
        assertEquals(net, r.member("network"));
    }

    @Test
    void listFiltersByName() {
        String name = unique("filtered");
        var wanted = controller.admin().createNetwork(Map.of("name", name));
        controller.admin().createNetwork(Map.of("name", unique("other")));
        var r = controller.admin().get("/v2.0/networks?name=" + name);
        assertEquals(200, r.status(), r.raw());
        assertEquals(List.of(wanted.get("id")), r.list("networks").stream().map(n -> n.get("id")).toList());
    }

    @Test
    void repeatedFilterValuesMatchAnyOfThem() {
        String a = unique("a"), b = unique("b");
        var netA = controller.admin().createNetwork(Map.of("name", a));
        var netB = controller.admin().createNetwork(Map.of("name", b));
        controller.admin().createNetwork(Map.of("name", unique("c")));
        var r = controller.admin().get("/v2.0/networks?name=" + a + "&name=" + b);
        assertEquals(200, r.status(), r.raw());
        assertEquals(Set.of(netA.get("id"), netB.get("id")), Set.copyOf(r.list("networks").stream().map(n -> n.get("id")).toList()));
    }

    @Test
    void fieldsLimitTheRenderedAttributes() {
        var client = freshProject();
        client.createNetwork(Map.of("name", "fields"));
        var r = client.get("/v2.0/networks?fields=id&fields=name");
        assertEquals(200, r.status(), r.raw());
        assertEquals(1, r.list("networks").size());
        assertEquals(Set.of("id", "name"), r.list("networks").getFirst().keySet());
    }

    @Test
    void fieldsApplyToShowToo() {
        var net = controller.admin().createNetwork(Map.of("name", unique("show-fields")));
        var r = controller.admin().get("/v2.0/networks/" + net.get("id") + "?fields=mtu");
        assertEquals(200, r.status(), r.raw());
        assertEquals(Map.of("mtu", 1450), r.member("network"));
    }

    @Test
    void listSortsByTheRequestedKeyAndDirection() {
        var client = freshProject();
        for (String name : List.of("b", "a", "c")) client.createNetwork(Map.of("name", name));
        assertEquals(List.of("c", "b", "a"), names(client.get("/v2.0/networks?sort_key=name&sort_dir=desc").list("networks")));
        assertEquals(List.of("a", "b", "c"), names(client.get("/v2.0/networks?sort_key=name&sort_dir=asc").list("networks")));
    }

    @Test
    void limitGivesOnePageAndANextLinkThatLeadsToTheRest() {
        var client = freshProject();
        for (String name : List.of("n1", "n2", "n3")) client.createNetwork(Map.of("name", name));
        var first = client.get("/v2.0/networks?limit=2&sort_key=name");
        assertEquals(200, first.status(), first.raw());
        assertEquals(List.of("n1", "n2"), names(first.list("networks")));
        String next = link(first.list("networks_links"), "next");
        assertNotNull(next, first.raw());
        assertTrue(next.contains("marker=" + first.list("networks").getLast().get("id")), next);

        var second = client.get(next.substring(controller.baseUrl().length()));
        assertEquals(200, second.status(), second.raw());
        assertEquals(List.of("n3"), names(second.list("networks")));
        assertEquals(null, link(second.list("networks_links"), "next"), second.raw());
    }

    @Test
    void thePreviousLinkOfTheSecondPageLeadsBackToTheFirst() {
        var client = freshProject();
        for (String name : List.of("n1", "n2", "n3")) client.createNetwork(Map.of("name", name));
        var first = client.get("/v2.0/networks?limit=2&sort_key=name");
        var second = client.get(link(first.list("networks_links"), "next").substring(controller.baseUrl().length()));
        String previous = link(second.list("networks_links"), "previous");
        assertNotNull(previous, second.raw());
        var back = client.get(previous.substring(controller.baseUrl().length()));
        assertEquals(200, back.status(), back.raw());
        assertEquals(List.of("n1", "n2"), names(back.list("networks")));
    }

    @Test
    void aListWithoutLimitHasNoLinks() {
        var client = freshProject();
        client.createNetwork(Map.of("name", "nolimit"));
        assertFalse(client.get("/v2.0/networks").json().containsKey("networks_links"));
    }

    private static String link(List<Map<String, Object>> links, String rel) {
        if (links == null) return null;
        return links.stream().filter(l -> rel.equals(l.get("rel"))).map(l -> (String) l.get("href")).findFirst().orElse(null);
    }

    @Test
    void updateChangesTheNetworkAndIncrementsItsRevision() {
        var net = controller.admin().createNetwork(Map.of("name", unique("before")));
        var r = controller.admin().put("/v2.0/networks/" + net.get("id"), Map.of("network", Map.of("name", "after", "mtu", 1400)));
        assertEquals(200, r.status(), r.raw());
        assertEquals("after", r.member("network").get("name"));
        assertEquals(1400, r.member("network").get("mtu"));
        assertEquals(2, r.member("network").get("revision_number"));
        assertEquals(r.member("network"), controller.admin().get("/v2.0/networks/" + net.get("id")).member("network"));
    }

    @Test
    void aRenamedNetworkIsFoundByItsNewNameOnly() {
        String before = unique("old-name"), after = unique("new-name");
        var net = controller.admin().createNetwork(Map.of("name", before));
        assertEquals(200, controller.admin().put("/v2.0/networks/" + net.get("id"), Map.of("network", Map.of("name", after))).status());
        assertEquals(List.of(), controller.admin().get("/v2.0/networks?name=" + before).list("networks"));
        assertEquals(List.of(net.get("id")), controller.admin().get("/v2.0/networks?name=" + after).list("networks")
                .stream().map(n -> n.get("id")).toList());
    }

    @Test
    void anUpdateThatChangesNothingKeepsTheRevision() {
        var net = controller.admin().createNetwork(Map.of("name", unique("same")));
        var r = controller.admin().put("/v2.0/networks/" + net.get("id"), Map.of("network", Map.of("name", net.get("name"))));
        assertEquals(200, r.status(), r.raw());
        assertEquals(1, r.member("network").get("revision_number"));
    }

    @Test
    void ifMatchWithTheCurrentRevisionUpdates() {
        var net = controller.admin().createNetwork(Map.of("name", unique("match")));
        var r = controller.admin().send("PUT", "/v2.0/networks/" + net.get("id"), Map.of("network", Map.of("name", "matched")),
                Map.of("If-Match", "revision_number=1"));
        assertEquals(200, r.status(), r.raw());
        assertEquals("matched", r.member("network").get("name"));
    }

    @Test
    void ifMatchWithAStaleRevisionIsRefusedAndChangesNothing() {
        var net = controller.admin().createNetwork(Map.of("name", unique("stale")));
        controller.admin().put("/v2.0/networks/" + net.get("id"), Map.of("network", Map.of("description", "v2")));
        var r = controller.admin().send("PUT", "/v2.0/networks/" + net.get("id"), Map.of("network", Map.of("name", "lost")),
                Map.of("If-Match", "revision_number=1"));
        assertEquals(412, r.status(), r.raw());
        assertEquals("RevisionNumberConstraintFailed", r.errorType());
        assertEquals(net.get("name"), controller.admin().get("/v2.0/networks/" + net.get("id")).member("network").get("name"));
    }

    @Test
    void deleteAnswers204AndTheNetworkIsGone() {
        var net = controller.admin().createNetwork(Map.of("name", unique("gone")));
        var r = controller.admin().delete("/v2.0/networks/" + net.get("id"));
        assertEquals(204, r.status(), r.raw());
        assertEquals("", r.raw());
        var show = controller.admin().get("/v2.0/networks/" + net.get("id"));
        assertEquals(404, show.status(), show.raw());
        assertEquals("NetworkNotFound", show.errorType());
        assertEquals(404, controller.admin().delete("/v2.0/networks/" + net.get("id")).status());
    }

    @Test
    void deletingANetworkDeletesItsSubnets() {
        var net = controller.admin().createNetwork(Map.of("name", unique("with-subnet")));
        var subnet = controller.admin().createSubnet((String) net.get("id"), "10.20.0.0/24");
        assertEquals(204, controller.admin().delete("/v2.0/networks/" + net.get("id")).status());
        var r = controller.admin().get("/v2.0/subnets/" + subnet.get("id"));
        assertEquals(404, r.status(), r.raw());
        assertEquals(List.of(), controller.admin().get("/v2.0/subnets?network_id=" + net.get("id")).list("subnets"));
    }

    @Test
    void aTrailingJsonSuffixIsAccepted() {
        var net = controller.admin().createNetwork(Map.of("name", unique("suffix")));
        var r = controller.admin().get("/v2.0/networks/" + net.get("id") + ".json");
        assertEquals(200, r.status(), r.raw());
        assertEquals(net.get("id"), r.member("network").get("id"));
    }

    @Test
    void anMtuAboveTheVxlanMaximumIsRejected() {
        var client = freshProject();
        var r = client.post("/v2.0/networks", Map.of("network", Map.of("name", "jumbo", "mtu", 9000)));
        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidInput", r.errorType());
        assertEquals(List.of(), client.get("/v2.0/networks").list("networks"));
    }

    @Test
    void anUpdateToAnMtuAboveTheVxlanMaximumIsRejected() {
        var net = controller.admin().createNetwork(Map.of("name", unique("mtu")));
        var r = controller.admin().put("/v2.0/networks/" + net.get("id"), Map.of("network", Map.of("mtu", 9000)));
        assertEquals(400, r.status(), r.raw());
        assertEquals(1450, controller.admin().get("/v2.0/networks/" + net.get("id")).member("network").get("mtu"));
    }

    @Test
    void twoNetworksGetDifferentVnis() {
        var a = controller.admin().createNetwork(Map.of("name", unique("vni")));
        var b = controller.admin().createNetwork(Map.of("name", unique("vni")));
        assertNotEquals(a.get("provider:segmentation_id"), b.get("provider:segmentation_id"));
    }

    @Test
    void anExplicitSegmentationIdIsKept() {
        var net = controller.admin().createNetwork(Map.of("name", unique("seg"), "provider:segmentation_id", 7_000_001));
        assertEquals(7_000_001, net.get("provider:segmentation_id"));
    }

    @Test
    void aSegmentationIdTakenTwiceIsAConflict() {
        controller.admin().createNetwork(Map.of("name", unique("seg"), "provider:segmentation_id", 7_000_002));
        var r = controller.admin().post("/v2.0/networks", Map.of("network",
                Map.of("name", unique("seg"), "provider:segmentation_id", 7_000_002)));
        assertEquals(409, r.status(), r.raw());
        assertEquals("TunnelIdInUse", r.errorType());
    }

    @Test
    void deletingANetworkFreesItsSegmentationId() {
        var net = controller.admin().createNetwork(Map.of("name", unique("seg"), "provider:segmentation_id", 7_000_003));
        assertEquals(204, controller.admin().delete("/v2.0/networks/" + net.get("id")).status());
        var again = controller.admin().createNetwork(Map.of("name", unique("seg"), "provider:segmentation_id", 7_000_003));
        assertEquals(7_000_003, again.get("provider:segmentation_id"));
    }

    @Test
    void segmentationIdZeroIsNotAVxlanId() {
        var r = controller.admin().post("/v2.0/networks", Map.of("network", Map.of("name", unique("zero"), "provider:segmentation_id", 0)));
        assertEquals(400, r.status(), r.raw());
    }

    @Test
    void aNetworkTypeOtherThanVxlanIsRejected() {
        var r = controller.admin().post("/v2.0/networks", Map.of("network", Map.of("name", unique("vlan"), "provider:network_type", "vlan")));
        assertEquals(400, r.status(), r.raw());
    }

    @Test
    void bulkCreateMakesEveryNetwork() {
        var client = freshProject();
        var r = client.post("/v2.0/networks", Map.of("networks", List.of(Map.of("name", "x"), Map.of("name", "y"))));
        assertEquals(201, r.status(), r.raw());
        assertEquals(List.of("x", "y"), names(r.list("networks")));
        assertEquals(2, client.get("/v2.0/networks").list("networks").size());
    }
}
