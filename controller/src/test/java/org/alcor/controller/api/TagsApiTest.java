package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TagsApiTest {
    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    /** A project of its own, so that filtered lists hold only what the test created. */
    private static NeutronClient freshProject() { return controller.project("tags-" + UUID.randomUUID()); }

    private static String network(NeutronClient client, String name) { return (String) client.createNetwork(Map.of("name", name)).get("id"); }

    private static void tag(NeutronClient client, String path, String... tags) {
        for (String t : tags) assertEquals(201, client.put(path + "/tags/" + t, null).status(), path + " " + t);
    }

    @SuppressWarnings("unchecked")
    private static List<String> tagsOf(NeutronClient client, String path) {
        var r = client.get(path + "/tags");
        assertEquals(200, r.status(), r.raw());
        return (List<String>) r.json().get("tags");
    }

    private static Set<String> names(NeutronClient client, String query) {
        var r = client.get("/v2.0/networks?" + query);
        assertEquals(200, r.status(), r.raw());
        return Set.copyOf(r.list("networks").stream().map(n -> (String) n.get("name")).toList());
    }

    @Test
    void puttingATagAnswers201AndAddsIt() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        var r = client.put(path + "/tags/red", null);
        assertEquals(201, r.status(), r.raw());
        assertEquals(List.of("red"), tagsOf(client, path));
        assertEquals(List.of("red"), client.get(path).member("network").get("tags"));
        assertEquals(2, client.get(path).member("network").get("revision_number"));
    }

    @Test
    void puttingATagTwiceKeepsOneCopy() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        tag(client, path, "red", "red");
        assertEquals(List.of("red"), tagsOf(client, path));
    }

    @Test
    void gettingAPresentTagAnswers204AndAMissingOne404() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        tag(client, path, "red");
        assertEquals(204, client.get(path + "/tags/red").status());
        var missing = client.get(path + "/tags/blue");
        assertEquals(404, missing.status(), missing.raw());
        assertEquals("TagNotFound", missing.errorType());
    }

    @Test
    void tagsFilterMatchesNetworksWithAllTheTags() {
        var client = freshProject();
        tag(client, "/v2.0/networks/" + network(client, "ab"), "a", "b");
        tag(client, "/v2.0/networks/" + network(client, "a"), "a");
        network(client, "none");
        assertEquals(Set.of("ab"), names(client, "tags=a,b"));
        assertEquals(Set.of("ab", "a"), names(client, "tags=a"));
    }

    @Test
    void tagsAnyFilterMatchesNetworksWithAnyOfTheTags() {
        var client = freshProject();
        tag(client, "/v2.0/networks/" + network(client, "a"), "a");
        tag(client, "/v2.0/networks/" + network(client, "b"), "b");
        tag(client, "/v2.0/networks/" + network(client, "c"), "c");
        assertEquals(Set.of("a", "b"), names(client, "tags-any=a,b"));
    }

    @Test
    void notTagsFilterExcludesNetworksWithAllTheTags() {
        var client = freshProject();
        tag(client, "/v2.0/networks/" + network(client, "ab"), "a", "b");
        tag(client, "/v2.0/networks/" + network(client, "a"), "a");
        network(client, "none");
        assertEquals(Set.of("a", "none"), names(client, "not-tags=a,b"));
    }

    @Test
    void notTagsAnyFilterExcludesNetworksWithAnyOfTheTags() {
        var client = freshProject();
        tag(client, "/v2.0/networks/" + network(client, "a"), "a");
        tag(client, "/v2.0/networks/" + network(client, "b"), "b");
        network(client, "none");
        assertEquals(Set.of("none"), names(client, "not-tags-any=a,b"));
    }

    @Test
    void puttingTheTagListReplacesIt() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        tag(client, path, "old");
        var r = client.put(path + "/tags", Map.of("tags", List.of("x", "y")));
        assertEquals(200, r.status(), r.raw());
        assertEquals(List.of("x", "y"), r.json().get("tags"));
        assertEquals(List.of("x", "y"), tagsOf(client, path));
    }

    @Test
    void aTagListThatIsNotAListOfStringsIsRejected() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        tag(client, path, "keep");
        assertEquals(400, client.put(path + "/tags", Map.of("tags", "x")).status());
        assertEquals(400, client.put(path + "/tags", Map.of("tags", List.of(1))).status());
        assertEquals(400, client.put(path + "/tags", Map.of("tags", List.of("t".repeat(61)))).status());
        assertEquals(List.of("keep"), tagsOf(client, path));
    }

    @Test
    void deletingAMissingTagIsNotFound() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        tag(client, path, "red");
        var r = client.delete(path + "/tags/blue");
        assertEquals(404, r.status(), r.raw());
        assertEquals("TagNotFound", r.errorType());
        assertEquals(List.of("red"), tagsOf(client, path));
    }

    @Test
    void deletingATagRemovesOnlyIt() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        tag(client, path, "red", "blue");
        assertEquals(204, client.delete(path + "/tags/red").status());
        assertEquals(List.of("blue"), tagsOf(client, path));
    }

    @Test
    void deletingAllTagsAnswers204AndLeavesNone() {
        var client = freshProject();
        String path = "/v2.0/networks/" + network(client, "n");
        tag(client, path, "red", "blue");
        var r = client.delete(path + "/tags");
        assertEquals(204, r.status(), r.raw());
        assertEquals(List.of(), tagsOf(client, path));
    }

    @Test
    void tagsOfAMissingNetworkAreNotFound() {
        var client = freshProject();
        var r = client.put("/v2.0/networks/" + UUID.randomUUID() + "/tags/red", null);
        assertEquals(404, r.status(), r.raw());
        assertEquals("NetworkNotFound", r.errorType());
    }

    private static String port(NeutronClient client, String name) {
        String net = network(client, "port-net");
        return (String) client.createPort(Map.of("network_id", net, "name", name)).get("id");
    }

    private static Set<String> portNames(NeutronClient client, String query) {
        var r = client.get("/v2.0/ports?" + query);
        assertEquals(200, r.status(), r.raw());
        return Set.copyOf(r.list("ports").stream().map(p -> (String) p.get("name")).toList());
    }

    @Test
    void aPortTakesTagsOneByOne() {
        var client = freshProject();
        String path = "/v2.0/ports/" + port(client, "p");
        var r = client.put(path + "/tags/red", null);
        assertEquals(201, r.status(), r.raw());
        assertEquals(204, client.get(path + "/tags/red").status());
        assertEquals(404, client.get(path + "/tags/blue").status());
        assertEquals(List.of("red"), client.get(path).member("port").get("tags"));
    }

    @Test
    void portListsFilterOnTags() {
        var client = freshProject();
        tag(client, "/v2.0/ports/" + port(client, "ab"), "a", "b");
        tag(client, "/v2.0/ports/" + port(client, "a"), "a");
        port(client, "none");
        assertEquals(Set.of("ab"), portNames(client, "tags=a,b"));
        assertEquals(Set.of("ab", "a"), portNames(client, "tags-any=a,b"));
        assertEquals(Set.of("a", "none"), portNames(client, "not-tags=a,b"));
        assertEquals(Set.of("none"), portNames(client, "not-tags-any=a"));
    }

    @Test
    void aPortsTagListIsReplacedAndCleared() {
        var client = freshProject();
        String path = "/v2.0/ports/" + port(client, "p");
        tag(client, path, "old");
        assertEquals(200, client.put(path + "/tags", Map.of("tags", List.of("x", "y"))).status());
        assertEquals(List.of("x", "y"), tagsOf(client, path));
        assertEquals(404, client.delete(path + "/tags/old").status());
        assertEquals(204, client.delete(path + "/tags").status());
        assertEquals(List.of(), tagsOf(client, path));
    }

    @Test
    void tagsGivenAtCreateAreKept() {
        var client = freshProject();
        var r = client.post("/v2.0/networks", Map.of("network", Map.of("name", "n", "tags", List.of("a", "b"))));
        assertEquals(201, r.status(), r.raw());
        assertEquals(List.of("a", "b"), r.member("network").get("tags"));
        assertEquals(Set.of("n"), names(client, "tags=b"));
    }
}
