package org.alcor.controller.api;

import java.nio.file.Path;
import org.alcor.controller.testing.FreePorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpsEndpointsTest {
    static TestController controller;
    static NeutronClient client;

    @BeforeAll static void start() {
        controller = TestController.start();
        client = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    private static String contentType(NeutronClient.Response r) { return r.http().headers().firstValue("Content-Type").orElse(""); }

    @Test
    void theOpsListenerServesHealthReadinessAndMetricsOnlyWithoutAToken() {
        Path dir = TestController.createTempDir();
        var c = TestController.config(dir, new org.alcor.controller.alloc.ValueRange(1, 16_777_215), FreePorts.next());
        var api = new ApiSettings("127.0.0.1", c.api().port(), 16 << 20, "127.0.0.1", 0);
        var app = org.alcor.controller.ControllerApp.start(new org.alcor.controller.config.ControllerConfig(api, c.store(), c.southbound(),
                c.vniRange(), c.macPrefix(), c.writeLanes(), c.maxBatch(), c.auth()));
        try {
            var ops = new NeutronClient("http://127.0.0.1:" + app.opsPort(), null);
            assertEquals(200, ops.get("/health").status());
            assertEquals(200, ops.get("/ready").status());
            assertTrue(ops.get("/metrics").raw().contains("alcor_http_requests") || ops.get("/metrics").raw().contains("jvm_"), "metrics are scraped there");
            assertEquals(404, ops.get("/v2.0/networks").status(), "the API is not");
            assertEquals(404, ops.get("/southbound/hosts").status(), "nor the fleet's delivery state");
            // On the API listener a member cannot scrape the fleet.
            var member = new NeutronClient("http://127.0.0.1:" + app.port(), "some-project");
            assertEquals(403, member.get("/metrics").status());
            assertEquals(403, member.get("/southbound/hosts").status());
            assertEquals(200, member.get("/health").status());
        } finally {
            app.close();
            TestController.deleteRecursively(dir);
        }
    }

    @Test
    void healthIsUp() {
        var r = client.get("/health");
        assertEquals(200, r.status(), r.raw());
        assertEquals("UP", r.json().get("status"));
    }

    @Test
    void aStartedControllerIsReady() {
        var r = client.get("/ready");
        assertEquals(200, r.status(), r.raw());
        assertEquals("READY", r.json().get("status"));
    }

    @Test
    void metricsCountRequestsByRoute() throws InterruptedException {
        assertEquals(200, client.get("/v2.0/networks").status());
        // The request is timed after its response is sent, so the scrape may briefly run ahead of it.
        String metrics = "";
        for (int i = 0; i < 50 && !hasNetworksRoute(metrics); i++) {
            if (i > 0) Thread.sleep(100);
            var r = client.get("/metrics");
            assertEquals(200, r.status());
            assertTrue(contentType(r).startsWith("text/plain"), contentType(r));
            metrics = r.raw();
        }
        assertTrue(hasNetworksRoute(metrics), metrics);
    }

    private static boolean hasNetworksRoute(String metrics) {
        return metrics.lines().anyMatch(l -> l.startsWith("alcor_http_requests") && l.contains("route=\"/v2.0/networks\"")
                && l.contains("method=\"GET\"") && l.contains("status=\"200\""));
    }

    @Test
    void metricsNameTheRouteTemplateNotTheId() throws InterruptedException {
        String id = (String) client.createNetwork(Map.of("name", "ops")).get("id");
        assertEquals(200, client.get("/v2.0/networks/" + id).status());
        String metrics = "";
        for (int i = 0; i < 50 && !metrics.contains("route=\"/v2.0/networks/{id}\""); i++) {
            if (i > 0) Thread.sleep(100);
            metrics = client.get("/metrics").raw();
        }
        assertTrue(metrics.contains("route=\"/v2.0/networks/{id}\""), metrics);
        assertFalse(metrics.contains(id), "a metric label holds a resource id");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryResourcePath() {
        var r = client.get("/openapi.json");
        assertEquals(200, r.status(), r.raw());
        assertTrue(((String) r.json().get("openapi")).startsWith("3."));
        var paths = (Map<String, Object>) r.json().get("paths");
        for (String path : List.of("/v2.0/networks", "/v2.0/networks/{id}", "/v2.0/subnets", "/v2.0/subnets/{id}", "/v2.0/ports", "/v2.0/ports/{id}")) {
            assertTrue(paths.containsKey(path), path + " in " + paths.keySet());
        }
        var port = (Map<String, Object>) paths.get("/v2.0/ports/{id}");
        assertEquals(Set.of("get", "put", "delete"), port.keySet());
    }

    @Test
    void theDocsPageLoadsSwaggerUi() {
        var r = client.get("/docs");
        assertEquals(200, r.status(), r.raw());
        assertTrue(contentType(r).startsWith("text/html"), contentType(r));
        assertTrue(r.raw().contains("swagger-ui-bundle.js"), r.raw());
        assertTrue(r.raw().contains("/openapi.json"), r.raw());
    }

    @Test
    void theSwaggerUiBundleIsServed() {
        var r = client.get("/docs/swagger-ui-bundle.js");
        assertEquals(200, r.status());
        assertTrue(contentType(r).startsWith("application/javascript"), contentType(r));
        assertTrue(r.raw().length() > 100_000, "bundle of " + r.raw().length() + " chars");
    }

    @Test
    void aMissingDocsAssetIsNotFound() {
        var r = client.get("/docs/nope.js");
        assertEquals(404, r.status());
        assertEquals("HTTPNotFound", r.errorType());
    }

    @Test
    void aPathEscapingTheDocsIsNotServed() {
        var r = client.get("/docs/..%2F..%2F..%2F..%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.properties");
        assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.raw());
        assertFalse(r.raw().contains("artifactId"), r.raw());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRootListsVersionTwo() {
        var r = client.get("/");
        assertEquals(200, r.status(), r.raw());
        var versions = (List<Map<String, Object>>) r.json().get("versions");
        assertEquals(List.of("v2.0"), versions.stream().map(v -> v.get("id")).toList());
        assertEquals("CURRENT", versions.getFirst().get("status"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theVersionRootListsTheResources() {
        var r = client.get("/v2.0");
        assertEquals(200, r.status(), r.raw());
        var resources = (List<Map<String, Object>>) r.json().get("resources");
        var collections = resources.stream().map(x -> x.get("collection")).toList();
        assertTrue(collections.containsAll(List.of("networks", "subnets", "ports", "routers", "floatingips", "network_acls", "hosts",
                "security_groups", "security_group_rules", "network_segment_ranges")), collections.toString());
    }

    @Test
    void extensionsListTheAliasesClientsProbe() {
        var r = client.get("/v2.0/extensions");
        assertEquals(200, r.status(), r.raw());
        var aliases = r.list("extensions").stream().map(e -> e.get("alias")).toList();
        assertTrue(aliases.containsAll(List.of("binding", "provider", "net-mtu", "standard-attr-tag", "pagination", "sorting")), aliases.toString());
    }

    @Test
    void oneExtensionIsShownByAlias() {
        var r = client.get("/v2.0/extensions/binding");
        assertEquals(200, r.status(), r.raw());
        assertEquals("binding", r.member("extension").get("alias"));
    }

    @Test
    void anUnknownExtensionIsNotFound() {
        var r = client.get("/v2.0/extensions/nope");
        assertEquals(404, r.status(), r.raw());
        assertEquals("ExtensionNotFound", r.errorType());
    }

    @Test
    void everyAnswerCarriesARequestId() {
        for (String path : List.of("/health", "/", "/v2.0/networks", "/v2.0/nope")) {
            var r = client.get(path);
            assertTrue(r.requestId() != null && r.requestId().startsWith("req-"), path + ": " + r.requestId());
        }
    }
}
