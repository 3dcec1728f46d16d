package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every malformed or invalid request gets a 4xx with a NeutronError (type and message) and a request id, and
 * changes nothing: each test works in a project of its own whose networks are compared before and after.
 */
class BadInputTest {
    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    /** A project holding one network with a subnet and a port, to aim bad requests at. */
    private record Project(NeutronClient client, String network, String port) {
        List<Map<String, Object>> networks() {
            var r = client.get("/v2.0/networks");
            assertEquals(200, r.status(), r.raw());
            return r.list("networks");
        }

        List<Map<String, Object>> ports() { return client.get("/v2.0/ports").list("ports"); }
    }

    private static Project project() {
        var client = controller.project("bad-" + UUID.randomUUID());
        String net = (String) client.createNetwork(Map.of("name", "target")).get("id");
        client.createSubnet(net, "10.0.0.0/24");
        String port = (String) client.createPort(Map.of("network_id", net)).get("id");
        return new Project(client, net, port);
    }

    /** Sends the bad request, checks the error's shape and status, and that the project's networks and ports did not change. */
    private static NeutronClient.Response assertRejected(int status, Function<Project, NeutronClient.Response> request) {
        var p = project();
        var networksBefore = p.networks();
        var portsBefore = p.ports();
        var r = request.apply(p);
        assertEquals(status, r.status(), r.raw());
        assertNeutronError(r);
        assertEquals(networksBefore, p.networks());
        assertEquals(portsBefore, p.ports());
        return r;
    }

    private static void assertNeutronError(NeutronClient.Response r) {
        assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.raw());
        assertNotNull(r.json(), r.raw());
        var error = (Map<?, ?>) r.json().get("NeutronError");
        assertNotNull(error, r.raw());
        assertFalse(((String) error.get("type")).isEmpty(), r.raw());
        assertFalse(((String) error.get("message")).isEmpty(), r.raw());
        assertNotNull(r.requestId(), "X-Openstack-Request-Id");
        assertTrue(r.requestId().startsWith("req-"), r.requestId());
    }

    private static Map<String, Object> network(Object... keyValues) {
        Map<String, Object> attrs = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) attrs.put((String) keyValues[i], keyValues[i + 1]);
        return Map.of("network", attrs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"network\": ", "{\"network\": {\"name\": \"x\",}}", "not json", "{\"network\": {}} trailing",
            "{\"network\": {\"name\": \"a\", \"name\": \"b\"}}"})
    void malformedJsonIsRejected(String body) {
        assertRejected(400, p -> p.client().post("/v2.0/networks", body));
    }

    @Test
    void anEmptyBodyIsRejected() {
        assertRejected(400, p -> p.client().send("POST", "/v2.0/networks", "", Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"name\": \"x\"}]", "\"network\"", "42", "null", "{\"network\": \"x\"}", "{\"network\": [1]}",
            "{\"networks\": [\"x\"]}"})
    void aBodyThatIsNotAnObjectIsRejected(String body) {
        assertRejected(400, p -> p.client().post("/v2.0/networks", body));
    }

    @Test
    void aWrongMemberKeyIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", Map.of("netwrk", Map.of("name", "x"))));
    }

    @Test
    void anExtraMemberKeyIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", Map.of("network", Map.of("name", "x"), "port", Map.of())));
    }

    @Test
    void anEmptyBulkIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", Map.of("networks", List.of())));
    }

    @Test
    void anUnknownAttributeIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", "x", "colour", "blue")));
    }

    @Test
    void anUnknownAttributeInAnUpdateIsRejected() {
        assertRejected(400, p -> p.client().put("/v2.0/networks/" + p.network(), network("colour", "blue")));
    }

    @Test
    void aReadOnlyAttributeInACreateIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", "x", "status", "DOWN")));
    }

    @Test
    void aReadOnlyAttributeInAnUpdateIsRejected() {
        assertRejected(400, p -> p.client().put("/v2.0/ports/" + p.port(), Map.of("port", Map.of("network_id", p.network()))));
    }

    @Test
    void aServerSetAttributeInAnUpdateIsRejected() {
        assertRejected(400, p -> p.client().put("/v2.0/networks/" + p.network(), network("status", "DOWN")));
    }

    @Test
    void aNonBooleanAdminStateIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", "x", "admin_state_up", "maybe")));
    }

    @Test
    void aNonIntegerMtuIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", "x", "mtu", "abc")));
    }

    @Test
    void aFractionalMtuIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", "x", "mtu", 1400.5)));
    }

    @Test
    void aNonStringNameIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", 5)));
    }

    @Test
    void aNonStringNameInAnUpdateIsRejected() {
        assertRejected(400, p -> p.client().put("/v2.0/networks/" + p.network(), network("name", List.of("x"))));
    }

    @Test
    void aNameOverTheMaximumLengthIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", "n".repeat(256))));
    }

    @Test
    void aNullForANonNullableAttributeIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/networks", network("name", null)));
    }

    @Test
    void anInvalidUuidNetworkIdIsRejectedForAPort() {
        assertRejected(400, p -> p.client().post("/v2.0/ports", Map.of("port", Map.of("network_id", "not-a-uuid"))));
    }

    @Test
    void anInvalidUuidNetworkIdIsRejectedForASubnet() {
        assertRejected(400, p -> p.client().post("/v2.0/subnets",
                Map.of("subnet", Map.of("network_id", "1234", "cidr", "10.1.0.0/24", "ip_version", 4))));
    }

    @Test
    void aPortWithoutNetworkIdIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/ports", Map.of("port", Map.of("name", "x"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "abc", "10.0.0.256/24", "10.1.0.0", "10.1.0.0/", "10.1.0.0/-1", "10.1.0.0/24/1",
            "2001:db8::/129", "010.1.0.0/24", " 10.1.0.0/24"})
    void anInvalidCidrIsRejected(String cidr) {
        var r = assertRejected(400, p -> p.client().post("/v2.0/subnets",
                Map.of("subnet", Map.of("network_id", p.network(), "cidr", cidr, "ip_version", 4))));
        assertEquals("HTTPBadRequest", r.errorType());
    }

    @Test
    void aNonStringCidrIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/subnets",
                Map.of("subnet", Map.of("network_id", p.network(), "cidr", 10, "ip_version", 4))));
    }

    @Test
    void anInvalidFixedIpIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/ports",
                Map.of("port", Map.of("network_id", p.network(), "fixed_ips", List.of(Map.of("ip_address", "10.0.0.300"))))));
    }

    @Test
    void anUnknownKeyInFixedIpsIsRejected() {
        assertRejected(400, p -> p.client().post("/v2.0/ports",
                Map.of("port", Map.of("network_id", p.network(), "fixed_ips", List.of(Map.of("ip", "10.0.0.30"))))));
    }

    @Test
    void aBodyOverTheLimitIsTooLarge() {
        String name = "x".repeat(17 << 20);
        var r = assertRejected(413, p -> p.client().post("/v2.0/networks", "{\"network\": {\"name\": \"" + name + "\"}}"));
        assertEquals("HTTPRequestEntityTooLarge", r.errorType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2.0/nope", "/v2.0/networks/x/y", "/v2.0/networks/x/tagz", "/nope", "/v3/networks"})
    void anUnknownPathIsNotFound(String path) {
        assertRejected(404, p -> p.client().get(path));
    }

    @Test
    void aMissingNetworkIsNotFound() {
        var r = assertRejected(404, p -> p.client().get("/v2.0/networks/" + UUID.randomUUID()));
        assertEquals("NetworkNotFound", r.errorType());
    }

    @Test
    void aWrongMethodOnACollectionIsNotAllowed() {
        assertRejected(405, p -> p.client().delete("/v2.0/networks"));
    }

    @Test
    void aWrongMethodOnAMemberIsNotAllowed() {
        assertRejected(405, p -> p.client().post("/v2.0/networks/" + p.network(), network("name", "x")));
    }

    @Test
    void patchIsNotAllowed() {
        assertRejected(405, p -> p.client().send("PATCH", "/v2.0/networks/" + p.network(), network("name", "x"), Map.of()));
    }

    @Test
    void anUnknownFilterIsRejected() {
        assertRejected(400, p -> p.client().get("/v2.0/networks?colour=blue"));
    }

    @Test
    void anUnknownSortKeyIsRejected() {
        assertRejected(400, p -> p.client().get("/v2.0/networks?sort_key=colour"));
    }

    @Test
    void anUnsortableSortKeyIsRejected() {
        assertRejected(400, p -> p.client().get("/v2.0/networks?sort_key=subnets"));
    }

    @Test
    void aBadSortDirectionIsRejected() {
        assertRejected(400, p -> p.client().get("/v2.0/networks?sort_key=name&sort_dir=up"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5", "99999999999"})
    void aBadLimitIsRejected(String limit) {
        assertRejected(400, p -> p.client().get("/v2.0/networks?limit=" + limit));
    }

    @Test
    void anUnknownMarkerIsNotFound() {
        assertRejected(404, p -> p.client().get("/v2.0/networks?limit=1&marker=" + UUID.randomUUID()));
    }

    @Test
    void anInvalidProjectHeaderIsRejected() {
        assertRejected(400, p -> controller.project("bad project!").get("/v2.0/networks"));
    }
}
