package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.controller.store.Table;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed, hostile and impossible requests at the router, floating IP and network ACL endpoints and actions:
 * every answer is a 4xx NeutronError, and no row of any table changes.
 */
class L3BadInputTest {
    private static final String UNKNOWN = UUID.randomUUID().toString();
    private static final List<Object> JUNK = Arrays.asList(null, "", "x", 42, -1, true, List.of(), List.of("a"), Map.of(), Map.of("a", 1),
            "'; DROP TABLE routers; --", "<script>alert(1)</script>", "../../etc/passwd", "x".repeat(10_000), "10.0.0.0/33", "999.1.1.1",
            UNKNOWN);

    static TestController controller;
    static NeutronClient admin;
    static String router, routerWithInterface, fip, acl, subnet, ext, port;

    @BeforeAll
    static void start() {
        controller = TestController.start();
        admin = controller.admin();
        ext = (String) admin.createNetwork(Map.of("name", "ext", "router:external", true)).get("id");
        admin.createSubnet(ext, "198.21.0.0/24");
        String net = (String) admin.createNetwork(Map.of("name", "int")).get("id");
        subnet = (String) admin.createSubnet(net, "10.150.0.0/24").get("id");
        port = (String) admin.createPort(Map.of("network_id", net)).get("id");
        router = (String) admin.post("/v2.0/routers", Map.of("router", Map.of("name", "r"))).member("router").get("id");
        routerWithInterface = (String) admin.post("/v2.0/routers", Map.of("router", Map.of("name", "r2"))).member("router").get("id");
        String otherNet = (String) admin.createNetwork(Map.of("name", "int2")).get("id");
        String otherSubnet = (String) admin.createSubnet(otherNet, "10.151.0.0/24").get("id");
        admin.put("/v2.0/routers/" + routerWithInterface + "/add_router_interface", Map.of("subnet_id", otherSubnet));
        fip = (String) admin.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", ext))).member("floatingip").get("id");
        acl = (String) admin.post("/v2.0/network-acls", Map.of("network_acl", Map.of("name", "a"))).member("network_acl").get("id");
    }

    @AfterAll static void stop() { controller.close(); }

    private record Call(String method, String path, Object body) {}

    private static Map<String, Object> one(String key, Object value) { return Collections.singletonMap(key, value); }

    /** The junk value, or "x" where the junk happens to be a valid value of that field (null, an empty list...). */
    private static Object invalid(Object junk, Object... valid) {
        if (junk == null) return "x";
        for (Object v : valid) if (junk.equals(v)) return "x";
        return junk;
    }

    private static List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        for (Object junk : JUNK) {
            calls.add(new Call("POST", "/v2.0/routers", one("router", one("external_gateway_info", invalid(junk, Map.of())))));
            calls.add(new Call("POST", "/v2.0/routers", one("router", one("admin_state_up", junk == null ? "maybe" : junk instanceof Boolean ? "maybe" : junk))));
            calls.add(new Call("POST", "/v2.0/routers", one("router", Map.of("external_gateway_info", one("network_id", junk == null ? "x" : junk)))));
            calls.add(new Call("PUT", "/v2.0/routers/" + router, one("router", one("routes", invalid(junk, List.of())))));
            calls.add(new Call("PUT", "/v2.0/routers/" + router, one("router", one("routes", List.of(one("destination", junk), Map.of("nexthop", "10.150.0.5"))))));
            calls.add(new Call("PUT", "/v2.0/routers/" + router + "/add_router_interface", one("subnet_id", junk == null ? "x" : junk)));
            calls.add(new Call("PUT", "/v2.0/routers/" + router + "/add_router_interface", one("port_id", junk == null ? "x" : junk)));
            calls.add(new Call("PUT", "/v2.0/routers/" + routerWithInterface + "/remove_router_interface", one("subnet_id", junk == null ? "x" : junk)));
            calls.add(new Call("PUT", "/v2.0/routers/" + router + "/add_extraroutes", one("router", one("routes", invalid(junk, List.of())))));
            calls.add(new Call("PUT", "/v2.0/routers/" + router + "/remove_extraroutes", junk == null ? "x" : junk));
            calls.add(new Call("POST", "/v2.0/floatingips", one("floatingip", one("floating_network_id", junk == null ? "x" : junk))));
            calls.add(new Call("POST", "/v2.0/floatingips", one("floatingip", Map.of("floating_network_id", ext,
                    "floating_ip_address", junk == null || junk.equals(UNKNOWN) ? "198.22.0.1" : junk))));
            calls.add(new Call("PUT", "/v2.0/floatingips/" + fip, one("floatingip", one("port_id", junk == null ? "x" : junk))));
            calls.add(new Call("PUT", "/v2.0/floatingips/" + fip, one("floatingip", Map.of("port_id", port, "fixed_ip_address",
                    junk == null || junk.equals(UNKNOWN) ? "10.150.0.250" : junk))));
            calls.add(new Call("POST", "/v2.0/network-acls", one("network_acl", one("rules", invalid(junk, List.of())))));
            calls.add(new Call("POST", "/v2.0/network-acls", one("network_acl", one("rules", List.of(one("rule_number", junk))))));
            calls.add(new Call("PUT", "/v2.0/network-acls/" + acl, one("network_acl", one("subnets", junk == null ? "x" : List.of(junk)))));
            calls.add(new Call("PUT", "/v2.0/network-acls/" + acl + "/add_rules", one("network_acl", one("rules", invalid(junk, List.of())))));
            calls.add(new Call("PUT", "/v2.0/network-acls/" + acl + "/remove_rules", one("network_acl", one("rule_numbers", invalid(junk, List.of())))));
        }
        for (String path : List.of("/v2.0/routers", "/v2.0/floatingips", "/v2.0/network-acls")) {
            calls.add(new Call("POST", path, "{not json"));
            calls.add(new Call("POST", path, "[]"));
            calls.add(new Call("POST", path, "{\"a\": 1, \"a\": 2}"));
            calls.add(new Call("PUT", path + "/" + UNKNOWN, "{}"));
            calls.add(new Call("DELETE", path + "/" + UNKNOWN, null));
            calls.add(new Call("GET", path + "?sort_key=nope", null));
            calls.add(new Call("GET", path + "?nope=1", null));
        }
        calls.add(new Call("PUT", "/v2.0/routers/" + router + "/add_router_interface", "{not json"));
        calls.add(new Call("PUT", "/v2.0/routers/" + router + "/add_router_interface", null));
        calls.add(new Call("POST", "/v2.0/routers/" + router + "/add_router_interface", Map.of("subnet_id", subnet)));
        calls.add(new Call("PUT", "/v2.0/routers/" + router + "/add_router_interface", Map.of("subnet_id", subnet, "port_id", port)));
        calls.add(new Call("DELETE", "/v2.0/routers/" + routerWithInterface, null));
        calls.add(new Call("PUT", "/v2.0/floatingips/" + fip, one("floatingip", one("port_id", port))));
        calls.add(new Call("PUT", "/v2.0/floatingips/" + fip, one("floatingip", one("floating_network_id", ext))));
        calls.add(new Call("PUT", "/v2.0/routers/" + router, one("router", one("status", "DOWN"))));
        return calls;
    }

    private static List<Long> rowCounts() {
        var store = controller.app().store();
        return Arrays.stream(Table.values()).map(store::count).toList();
    }

    @Test
    void everyBadRequestIsA4xxNeutronErrorAndChangesNoRow() {
        List<Long> before = rowCounts();
        var routerBefore = admin.get("/v2.0/routers/" + router).member("router");
        var fipBefore = admin.get("/v2.0/floatingips/" + fip).member("floatingip");
        var aclBefore = admin.get("/v2.0/network-acls/" + acl).member("network_acl");
        List<Call> calls = calls();

        for (Call c : calls) {
            var r = admin.send(c.method(), c.path(), c.body(), Map.of());
            String what = c + " -> " + r.status() + " " + r.raw();
            assertTrue(r.status() >= 400 && r.status() < 500, what);
            assertNotNull(r.json(), what);
            var error = (Map<?, ?>) r.json().get("NeutronError");
            assertNotNull(error, what);
            assertFalse(((String) error.get("type")).isEmpty(), what);
        }

        assertTrue(calls.size() > 300, "calls: " + calls.size());
        assertEquals(before, rowCounts());
        assertEquals(routerBefore, admin.get("/v2.0/routers/" + router).member("router"));
        assertEquals(fipBefore, admin.get("/v2.0/floatingips/" + fip).member("floatingip"));
        assertEquals(aclBefore, admin.get("/v2.0/network-acls/" + acl).member("network_acl"));
    }
}
