package org.alcor.controller.nacl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetworkAclApiTest {
    static TestController controller;
    static NeutronClient admin;
    static int nextCidr = 1;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    static Map<String, Object> rule(int number, String direction, String action, Object... more) {
        Map<String, Object> r = new HashMap<>(Map.of("rule_number", number, "direction", direction, "action", action));
        for (int i = 0; i < more.length; i += 2) r.put((String) more[i], more[i + 1]);
        return r;
    }

    static NeutronClient.Response create(NeutronClient client, Map<String, Object> attrs) {
        return client.post("/v2.0/network-acls", Map.of("network_acl", attrs));
    }

    static Map<String, Object> acl(NeutronClient client, Map<String, Object> attrs) {
        var r = create(client, attrs);
        assertEquals(201, r.status(), r.raw());
        return r.member("network_acl");
    }

    static String subnet(NeutronClient client) {
        String net = (String) client.createNetwork(Map.of("name", "n")).get("id");
        return (String) client.createSubnet(net, "10.120." + nextCidr++ + ".0/24").get("id");
    }

    static NeutronClient.Response update(NeutronClient client, Object id, Map<String, Object> attrs) {
        return client.put("/v2.0/network-acls/" + id, Map.of("network_acl", attrs));
    }

    @Test
    void rulesAreStoredSortedByNumberWithEveryFieldFilledIn() {
        Map<String, Object> acl = acl(admin, Map.of("name", "web", "rules", List.of(
                rule(200, "ingress", "deny"),
                rule(100, "ingress", "allow", "protocol", "tcp", "port_range_min", 443, "cidr", "203.0.113.0/24"),
                rule(110, "egress", "allow", "protocol", 17, "port_range_max", 53, "ethertype", "IPv6"))));

        assertEquals("web", acl.get("name"));
        assertEquals(List.of(), acl.get("subnets"));
        assertEquals(List.of(
                Map.of("rule_number", 100, "direction", "ingress", "action", "allow", "protocol", "tcp", "ethertype", "IPv4",
                        "cidr", "203.0.113.0/24", "port_range_min", 443, "port_range_max", 443),
                Map.of("rule_number", 110, "direction", "egress", "action", "allow", "protocol", "udp", "ethertype", "IPv6",
                        "cidr", "::/0", "port_range_min", 53, "port_range_max", 53),
                withNulls(Map.of("rule_number", 200, "direction", "ingress", "action", "deny", "protocol", "any", "ethertype", "IPv4",
                        "cidr", "0.0.0.0/0"))), acl.get("rules"));
        assertEquals(acl, admin.get("/v2.0/network-acls/" + acl.get("id")).member("network_acl"));
    }

    private static Map<String, Object> withNulls(Map<String, Object> m) {
        Map<String, Object> out = new HashMap<>(m);
        out.put("port_range_min", null);
        out.put("port_range_max", null);
        return out;
    }

    @Test
    void invalidRulesAreBadRequests() {
        List<Map<String, Object>> bad = List.of(
                rule(1, "ingress", "allow", "protocol", "icmp", "port_range_min", 22),
                rule(1, "ingress", "allow", "protocol", "tcp", "port_range_min", 90, "port_range_max", 80),
                rule(1, "ingress", "allow", "cidr", "10.0.0.0/8", "ethertype", "IPv6"),
                rule(1, "ingress", "allow", "cidr", "10.0.0.1/8"),
                rule(1, "ingress", "maybe"),
                rule(1, "sideways", "allow"),
                rule(0, "ingress", "allow"),
                rule(32767, "ingress", "allow"),
                rule(1, "ingress", "allow", "protocol", 300),
                rule(1, "ingress", "allow", "protocol", "gre; drop table"),
                rule(1, "ingress", "allow", "port_range_min", 70000, "protocol", "tcp"),
                Map.of("direction", "ingress", "action", "allow"),
                rule(1, "ingress", "allow", "colour", "red"));
        for (Map<String, Object> r : bad) {
            var response = create(admin, Map.of("rules", List.of(r)));
            assertEquals(400, response.status(), r + " -> " + response.raw());
        }
        var twice = create(admin, Map.of("rules", List.of(rule(5, "ingress", "allow"), rule(5, "egress", "deny"))));
        assertEquals(400, twice.status(), twice.raw());
        assertEquals("InvalidNetworkAclRules", twice.errorType());
    }

    @Test
    void addRulesAppendsAndRefusesANumberInUse() {
        Object id = acl(admin, Map.of("rules", List.of(rule(100, "ingress", "allow")))).get("id");

        var added = admin.put("/v2.0/network-acls/" + id + "/add_rules", Map.of("network_acl", Map.of("rules", List.of(rule(50, "egress", "deny")))));
        var taken = admin.put("/v2.0/network-acls/" + id + "/add_rules", Map.of("network_acl", Map.of("rules", List.of(rule(100, "egress", "deny")))));

        assertEquals(200, added.status(), added.raw());
        assertEquals(List.of(50, 100), numbers(added.member("network_acl")));
        assertEquals(409, taken.status(), taken.raw());
        assertEquals("NetworkAclRuleNumberInUse", taken.errorType());
    }

    @Test
    void removeRulesRemovesByNumberAndAnUnknownNumberIsNotFound() {
        Object id = acl(admin, Map.of("rules", List.of(rule(1, "ingress", "allow"), rule(2, "egress", "allow")))).get("id");

        var removed = admin.put("/v2.0/network-acls/" + id + "/remove_rules", Map.of("network_acl", Map.of("rule_numbers", List.of(1))));
        var unknown = admin.put("/v2.0/network-acls/" + id + "/remove_rules", Map.of("network_acl", Map.of("rule_numbers", List.of(9))));
        var malformed = admin.put("/v2.0/network-acls/" + id + "/remove_rules", Map.of("rule_numbers", List.of(2)));

        assertEquals(200, removed.status(), removed.raw());
        assertEquals(List.of(2), numbers(removed.member("network_acl")));
        assertEquals(404, unknown.status(), unknown.raw());
        assertEquals("NetworkAclRuleNotFound", unknown.errorType());
        assertEquals(400, malformed.status(), malformed.raw());
    }

    @Test
    void updatingRulesReplacesThemAll() {
        Object id = acl(admin, Map.of("rules", List.of(rule(1, "ingress", "allow")))).get("id");

        var r = update(admin, id, Map.of("rules", List.of(rule(7, "egress", "deny"))));

        assertEquals(200, r.status(), r.raw());
        assertEquals(List.of(7), numbers(r.member("network_acl")));
        assertEquals(2, ((Number) r.member("network_acl").get("revision_number")).intValue());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> numbers(Map<String, Object> acl) {
        return ((List<Map<String, Object>>) acl.get("rules")).stream().map(r -> r.get("rule_number")).toList();
    }

    @Test
    void aSubnetBelongsToAtMostOneAcl() {
        String subnetId = subnet(admin);
        Object first = acl(admin, Map.of("subnets", List.of(subnetId))).get("id");

        var second = create(admin, Map.of("subnets", List.of(subnetId)));
        Object other = acl(admin, Map.of()).get("id");
        var moved = update(admin, other, Map.of("subnets", List.of(subnetId)));

        assertEquals(409, second.status(), second.raw());
        assertEquals("SubnetHasNetworkAcl", second.errorType());
        assertEquals(409, moved.status(), moved.raw());
        assertEquals(200, update(admin, first, Map.of("subnets", List.of())).status());
        assertEquals(List.of(subnetId), update(admin, other, Map.of("subnets", List.of(subnetId))).member("network_acl").get("subnets"));
        assertEquals(List.of(other), admin.get("/v2.0/network-acls?subnets=" + subnetId).list("network_acls").stream().map(a -> a.get("id")).toList());
    }

    @Test
    void anAssociatedAclCannotBeDeletedUntilItsSubnetsLeave() {
        String subnetId = subnet(admin);
        Object id = acl(admin, Map.of("subnets", List.of(subnetId))).get("id");

        var inUse = admin.delete("/v2.0/network-acls/" + id);
        update(admin, id, Map.of("subnets", List.of()));

        assertEquals(409, inUse.status(), inUse.raw());
        assertEquals("NetworkAclInUse", inUse.errorType());
        assertEquals(204, admin.delete("/v2.0/network-acls/" + id).status());
        assertEquals(404, admin.get("/v2.0/network-acls/" + id).status());
    }

    @Test
    void deletingASubnetOrItsNetworkTakesItOutOfItsAcl() {
        String kept = subnet(admin), deleted = subnet(admin), withNetwork = subnet(admin);
        Object id = acl(admin, Map.of("subnets", List.of(kept, deleted, withNetwork))).get("id");
        Object networkId = admin.get("/v2.0/subnets/" + withNetwork).member("subnet").get("network_id");

        assertEquals(204, admin.delete("/v2.0/subnets/" + deleted).status());
        assertEquals(204, admin.delete("/v2.0/networks/" + networkId).status());

        assertEquals(List.of(kept), admin.get("/v2.0/network-acls/" + id).member("network_acl").get("subnets"));
        assertEquals(201, create(admin, Map.of()).status());
    }

    @Test
    void anotherProjectsAclAndSubnetsAreNotFound() {
        NeutronClient alice = controller.project("alice-nacl"), bob = controller.project("bob-nacl");
        Object id = acl(alice, Map.of("name", "alices")).get("id");
        String bobsSubnet = subnet(bob);

        assertEquals(404, bob.get("/v2.0/network-acls/" + id).status());
        assertEquals(404, update(bob, id, Map.of("name", "x")).status());
        assertEquals(404, bob.delete("/v2.0/network-acls/" + id).status());
        assertTrue(bob.get("/v2.0/network-acls").list("network_acls").isEmpty());
        var foreign = update(alice, id, Map.of("subnets", List.of(bobsSubnet)));
        assertEquals(404, foreign.status(), foreign.raw());
        assertEquals("SubnetNotFound", foreign.errorType());
    }

    @Test
    void theCollectionIsServedUnderItsHyphenatedPathOnly() {
        assertEquals(200, admin.get("/v2.0/network-acls").status());
        assertEquals(404, admin.get("/v2.0/network_acls").status());
    }
}
