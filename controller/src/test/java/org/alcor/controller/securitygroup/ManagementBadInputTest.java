package org.alcor.controller.securitygroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed requests to security groups, rules, quotas, segment ranges and IP availability: every
 * answer is a 4xx with a NeutronError, and what is stored is the same afterwards.
 */
class ManagementBadInputTest {
    private static final List<Object> HOSTILE = List.of("", " ", "x".repeat(300), "'; DROP TABLE ports; --", "<script>", "../../etc/passwd",
            "\u0000", -1, 1.5, 99_999_999_999L, true, List.of(), List.of(1, 2), Map.of(), Map.of("a", "b"), "null", "10.0.0.0/99",
            "fe80::/129", "00000000-0000-0000-0000-000000000000/1");

    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    private record Request(String method, String path, Object body) {}

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    /** What the store holds, as the project and the admin see it. */
    private static List<Object> snapshot(NeutronClient client, String project) {
        List<Object> state = new ArrayList<>();
        state.add(client.get("/v2.0/security-groups").raw());
        state.add(client.get("/v2.0/security-group-rules").raw());
        state.add(controller.admin().get("/v2.0/quotas/" + project + "/details").raw());
        state.add(controller.admin().get("/v2.0/network_segment_ranges").raw());
        state.add(client.get("/v2.0/ports").raw());
        return state;
    }

    @Test
    void hundredsOfBadRequestsAreAllClientErrorsAndChangeNothing() {
        String project = "bad-mgmt";
        NeutronClient client = controller.project(project);
        NeutronClient admin = controller.admin();
        String group = (String) client.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "target")))
                .member("security_group").get("id");
        String net = (String) client.createNetwork(Map.of("name", "bad-net")).get("id");
        client.createSubnet(net, "10.50.0.0/24");

        Map<String, Object> rule = Map.of("security_group_id", group, "direction", "ingress", "protocol", "tcp",
                "port_range_min", 10, "port_range_max", 20);
        List<Request> requests = new ArrayList<>();
        for (String key : List.of("security_group_id", "direction", "ethertype", "protocol", "port_range_min", "port_range_max",
                "remote_ip_prefix", "remote_group_id", "remote_address_group_id", "id", "name", "bogus")) {
            for (Object value : HOSTILE) {
                requests.add(new Request("POST", "/v2.0/security-group-rules", Map.of("security_group_rule", with(rule, key, value))));
            }
        }
        for (Object value : HOSTILE) {
            // true, -1 (unlimited) and [] (no groups) are valid there.
            if (!(value instanceof Boolean)) {
                requests.add(new Request("POST", "/v2.0/security-groups", Map.of("security_group", Map.of("stateful", value))));
            }
            if (!Integer.valueOf(-1).equals(value)) requests.add(new Request("PUT", "/v2.0/quotas/" + project, Map.of("quota", Map.of("port", value))));
            if (!List.of().equals(value)) {
                requests.add(new Request("POST", "/v2.0/ports", Map.of("port", Map.of("network_id", net, "security_groups", value))));
            }
            requests.add(new Request("POST", "/v2.0/ports", Map.of("port", Map.of("network_id", net, "security_groups", List.of(value)))));
            requests.add(new Request("POST", "/v2.0/network_segment_ranges", Map.of("network_segment_range",
                    Map.of("network_type", "vxlan", "minimum", value, "maximum", 10))));
        }
        for (String body : List.of("", "{", "[]", "null", "{\"security_group\": null}", "{\"security_groups\": []}",
                "{\"security_group\": {\"security_group_rules\": []}}", "{\"quota\": \"all\"}")) {
            requests.add(new Request("POST", "/v2.0/security-groups", body));
            requests.add(new Request("POST", "/v2.0/security-group-rules", body));
            requests.add(new Request("PUT", "/v2.0/quotas/" + project, body));
            requests.add(new Request("PUT", "/v2.0/security-groups/" + group, body));
        }
        for (String path : List.of("/v2.0/security-groups/nope", "/v2.0/security-group-rules/nope", "/v2.0/quotas/a/b/c",
                "/v2.0/quotas/%20", "/v2.0/network-ip-availabilities/nope", "/v2.0/network_segment_ranges/nope",
                "/v2.0/network-ip-availabilities?bogus=1", "/v2.0/security-groups?bogus=1")) {
            requests.add(new Request("GET", path, null));
            requests.add(new Request("DELETE", path, null));
        }
        requests.add(new Request("PUT", "/v2.0/security-group-rules/" + group, Map.of("security_group_rule", Map.of("protocol", "udp"))));
        requests.add(new Request("POST", "/v2.0/quotas", Map.of()));
        requests.add(new Request("PUT", "/v2.0/network-ip-availabilities/" + net, Map.of()));
        requests.add(new Request("DELETE", "/v2.0/security-groups/" + group + "/tags/" + "x".repeat(100), null));

        List<Object> before = snapshot(client, project);
        for (Request r : requests) {
            NeutronClient as = r.path().startsWith("/v2.0/quotas") || r.path().startsWith("/v2.0/network_segment_ranges") ? admin : client;
            var response = as.send(r.method(), r.path(), r.body(), Map.of());
            assertTrue(response.status() >= 400 && response.status() < 500, r + " -> " + response.status() + " " + response.raw());
            assertNotNull(response.json(), r + " -> " + response.raw());
            var error = (Map<?, ?>) response.json().get("NeutronError");
            assertNotNull(error, r + " -> " + response.raw());
            assertFalse(((String) error.get("type")).isEmpty(), response.raw());
        }
        assertTrue(requests.size() > 300, "requests: " + requests.size());
        assertEquals(before, snapshot(client, project));
    }
}
