package org.alcor.controller.securitygroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Security groups and their rules through the REST API, on a real controller. */
class SecurityGroupApiTest {
    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    /** A client of a project of its own, so each test sees a fresh default group and fresh quotas. */
    private static NeutronClient freshProject() { return controller.project("p-" + UUID.randomUUID().toString().substring(0, 8)); }

    private static Map<String, Object> createGroup(NeutronClient client, String name) {
        var r = client.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", name)));
        assertEquals(201, r.status(), r.raw());
        return r.member("security_group");
    }

    private static NeutronClient.Response postRule(NeutronClient client, String groupId, Map<String, Object> attrs) {
        Map<String, Object> rule = new HashMap<>(attrs);
        rule.put("security_group_id", groupId);
        return client.post("/v2.0/security-group-rules", Map.of("security_group_rule", rule));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rulesOf(Map<String, Object> group) {
        return (List<Map<String, Object>>) group.get("security_group_rules");
    }

    private static String network(NeutronClient client) {
        String id = (String) client.createNetwork(Map.of("name", "sg-net")).get("id");
        client.createSubnet(id, "10.9.0.0/24");
        return id;
    }

    private static String defaultGroupId(NeutronClient client) {
        var r = client.get("/v2.0/security-groups?name=default");
        assertEquals(200, r.status(), r.raw());
        assertEquals(1, r.list("security_groups").size(), r.raw());
        return (String) r.list("security_groups").getFirst().get("id");
    }

    @Test
    void aProjectsFirstGroupListCreatesItsDefaultGroupWithNeutronsFourRules() {
        NeutronClient client = freshProject();
        var groups = client.get("/v2.0/security-groups").list("security_groups");
        assertEquals(1, groups.size(), groups::toString);
        Map<String, Object> group = groups.getFirst();
        assertEquals("default", group.get("name"));
        var rules = rulesOf(group);
        assertEquals(4, rules.size(), rules::toString);
        Set<String> shapes = rules.stream().map(r -> r.get("direction") + "/" + r.get("ethertype") + "/"
                + (group.get("id").equals(r.get("remote_group_id")) ? "self" : r.get("remote_group_id"))).collect(Collectors.toSet());
        assertEquals(Set.of("ingress/IPv4/self", "ingress/IPv6/self", "egress/IPv4/null", "egress/IPv6/null"), shapes);
        assertTrue(rules.stream().allMatch(r -> Boolean.TRUE.equals(r.get("belongs_to_default_sg"))), rules::toString);

        assertEquals(1, client.get("/v2.0/security-groups").list("security_groups").size(), "a second list creates nothing");
    }

    @Test
    void aNewGroupHasTheTwoDefaultEgressRulesEmbeddedAndBothProjectFields() {
        NeutronClient client = freshProject();
        Map<String, Object> group = createGroup(client, "web");
        assertEquals(group.get("project_id"), group.get("tenant_id"));
        assertEquals(true, group.get("stateful"));
        var rules = rulesOf(group);
        assertEquals(Set.of("egress/IPv4", "egress/IPv6"), rules.stream().map(r -> r.get("direction") + "/" + r.get("ethertype"))
                .collect(Collectors.toSet()));
        assertTrue(rules.stream().allMatch(r -> group.get("id").equals(r.get("security_group_id")) && r.get("protocol") == null
                && r.get("remote_ip_prefix") == null && group.get("project_id").equals(r.get("tenant_id"))), rules::toString);
        assertEquals(rules.size(), client.get("/v2.0/security-group-rules?security_group_id=" + group.get("id"))
                .list("security_group_rules").size());
    }

    @Test
    void aSecondGroupNamedDefaultIsRefused() {
        var r = freshProject().post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "default")));
        assertEquals(409, r.status(), r.raw());
        assertEquals("SecurityGroupDefaultAlreadyExists", r.errorType());
    }

    @Test
    void aTcpRuleIsStoredCanonicallyAndShownInItsGroup() {
        NeutronClient client = freshProject();
        String groupId = (String) createGroup(client, "ssh").get("id");
        var r = postRule(client, groupId, Map.of("direction", "ingress", "ethertype", "ipv4", "protocol", "TCP",
                "port_range_min", 22, "port_range_max", 22, "remote_ip_prefix", "192.168.1.7/24"));
        assertEquals(201, r.status(), r.raw());
        Map<String, Object> rule = r.member("security_group_rule");
        assertEquals("IPv4", rule.get("ethertype"));
        assertEquals("tcp", rule.get("protocol"));
        assertEquals("192.168.1.0/24", rule.get("remote_ip_prefix"));
        assertEquals("192.168.1.0/24", rule.get("normalized_cidr"));
        assertEquals(22, rule.get("port_range_min"));
        var group = client.get("/v2.0/security-groups/" + groupId).member("security_group");
        assertTrue(rulesOf(group).stream().anyMatch(x -> x.get("id").equals(rule.get("id"))), group::toString);
        assertEquals(3, controller.app().securityGroups().rulesOf(groupId).size());
    }

    @Test
    void invalidRulesAreRefusedWithNeutronsErrorTypes() {
        NeutronClient client = freshProject();
        String groupId = (String) createGroup(client, "bad-rules").get("id");
        String other = (String) createGroup(client, "other").get("id");
        Map<Map<String, Object>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(Map.of("direction", "sideways"), "HTTPBadRequest");
        cases.put(Map.of("direction", "ingress", "ethertype", "IPv5"), "HTTPBadRequest");
        cases.put(Map.of("direction", "ingress", "protocol", "bogus"), "SecurityGroupRuleInvalidProtocol");
        cases.put(Map.of("direction", "ingress", "protocol", 256), "SecurityGroupRuleInvalidProtocol");
        cases.put(Map.of("direction", "ingress", "port_range_min", 80, "port_range_max", 80), "SecurityGroupProtocolRequiredWithPorts");
        cases.put(Map.of("direction", "ingress", "protocol", "tcp", "port_range_min", 90, "port_range_max", 80), "SecurityGroupInvalidPortRange");
        cases.put(Map.of("direction", "ingress", "protocol", "udp", "port_range_min", 0, "port_range_max", 80), "SecurityGroupInvalidPortValue");
        cases.put(Map.of("direction", "ingress", "protocol", "tcp", "port_range_min", 1, "port_range_max", 70000), "HTTPBadRequest");
        cases.put(Map.of("direction", "ingress", "protocol", "gre", "port_range_min", 1, "port_range_max", 2), "SecurityGroupInvalidProtocolForPortRange");
        cases.put(Map.of("direction", "ingress", "protocol", "icmp", "port_range_max", 0), "SecurityGroupMissingIcmpType");
        cases.put(Map.of("direction", "ingress", "protocol", "icmp", "port_range_min", 300), "SecurityGroupInvalidIcmpValue");
        cases.put(Map.of("direction", "ingress", "protocol", "ipv6-icmp", "ethertype", "IPv4"), "SecurityGroupEthertypeConflictWithProtocol");
        cases.put(Map.of("direction", "ingress", "remote_ip_prefix", "10.0.0.0/8", "remote_group_id", other), "SecurityGroupRemoteGroupAndRemoteIpPrefix");
        cases.put(Map.of("direction", "ingress", "ethertype", "IPv4", "remote_ip_prefix", "2001:db8::/64"), "SecurityGroupRuleParameterConflict");
        cases.put(Map.of("direction", "ingress", "remote_ip_prefix", "10.0.0.0/33"), "HTTPBadRequest");
        cases.put(Map.of("direction", "ingress", "remote_group_id", UUID.randomUUID().toString()), "SecurityGroupNotFound");
        cases.forEach((attrs, type) -> {
            var r = postRule(client, groupId, attrs);
            assertEquals(type, r.errorType(), attrs + " -> " + r.raw());
            assertTrue(r.status() == 400 || r.status() == 404, attrs + " -> " + r.raw());
        });
        assertEquals(2, controller.app().securityGroups().rulesOf(groupId).size(), "nothing was stored");
    }

    @Test
    void icmpTypeAndCodeAndProtocolNumbersAreAccepted() {
        NeutronClient client = freshProject();
        String groupId = (String) createGroup(client, "icmp").get("id");
        assertEquals(201, postRule(client, groupId, Map.of("direction", "ingress", "protocol", "icmp", "port_range_min", 8, "port_range_max", 0)).status());
        assertEquals(201, postRule(client, groupId, Map.of("direction", "ingress", "protocol", "icmp", "port_range_min", 3)).status());
        var byNumber = postRule(client, groupId, Map.of("direction", "ingress", "protocol", 132, "port_range_min", 5000, "port_range_max", 5001));
        assertEquals(201, byNumber.status(), byNumber.raw());
        assertEquals("132", byNumber.member("security_group_rule").get("protocol"));
        assertEquals(201, postRule(client, groupId, Map.of("direction", "egress", "protocol", "ipv6-icmp", "ethertype", "IPv6")).status());
    }

    @Test
    void aDuplicateRuleIsAConflictEvenWithTheProtocolGivenAsANumber() {
        NeutronClient client = freshProject();
        String groupId = (String) createGroup(client, "dup").get("id");
        var first = postRule(client, groupId, Map.of("direction", "ingress", "protocol", "tcp", "port_range_min", 80, "port_range_max", 80));
        assertEquals(201, first.status(), first.raw());
        var again = postRule(client, groupId, Map.of("direction", "ingress", "protocol", "6", "port_range_min", 80, "port_range_max", 80));
        assertEquals(409, again.status(), again.raw());
        assertEquals("SecurityGroupRuleExists", again.errorType());
        assertTrue(((String) ((Map<?, ?>) again.json().get("NeutronError")).get("message")).contains((String) first.member("security_group_rule").get("id")));
        var defaultEgress = postRule(client, groupId, Map.of("direction", "egress", "ethertype", "IPv4"));
        assertEquals("SecurityGroupRuleExists", defaultEgress.errorType(), "the egress rule every group starts with");
    }

    @Test
    void aBulkRuleCreateIsAllOrNothingAndForOneGroupOnly() {
        NeutronClient client = freshProject();
        String a = (String) createGroup(client, "bulk-a").get("id");
        String b = (String) createGroup(client, "bulk-b").get("id");
        var ok = client.post("/v2.0/security-group-rules", Map.of("security_group_rules", List.of(
                Map.of("security_group_id", a, "direction", "ingress", "protocol", "tcp", "port_range_min", 1, "port_range_max", 100),
                Map.of("security_group_id", a, "direction", "ingress", "protocol", "udp", "port_range_min", 53, "port_range_max", 53))));
        assertEquals(201, ok.status(), ok.raw());
        assertEquals(2, ok.list("security_group_rules").size());

        var twoGroups = client.post("/v2.0/security-group-rules", Map.of("security_group_rules", List.of(
                Map.of("security_group_id", a, "direction", "ingress", "protocol", "tcp"),
                Map.of("security_group_id", b, "direction", "ingress", "protocol", "tcp"))));
        assertEquals(400, twoGroups.status(), twoGroups.raw());
        assertEquals("SecurityGroupNotSingleGroupRules", twoGroups.errorType());

        var oneDuplicate = client.post("/v2.0/security-group-rules", Map.of("security_group_rules", List.of(
                Map.of("security_group_id", a, "direction", "ingress", "protocol", "icmp"),
                Map.of("security_group_id", a, "direction", "ingress", "protocol", "udp", "port_range_min", 53, "port_range_max", 53))));
        assertEquals(409, oneDuplicate.status(), oneDuplicate.raw());
        assertEquals(4, controller.app().securityGroups().rulesOf(a).size(), "the bulk's first rule was rolled back too");
    }

    @Test
    void concurrentCreatesOfTheSameRuleStoreItOnce() throws Exception {
        NeutronClient client = freshProject();
        String groupId = (String) createGroup(client, "race").get("id");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> postRule(client, groupId, Map.of("direction", "ingress", "protocol", "tcp",
                        "port_range_min", 443, "port_range_max", 443)).status()));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var f : results) statuses.add(f.get());
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
            assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses::toString);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aRuleCanBeDeletedAndIsThenNotFound() {
        NeutronClient client = freshProject();
        String groupId = (String) createGroup(client, "del-rule").get("id");
        String ruleId = (String) postRule(client, groupId, Map.of("direction", "ingress", "protocol", "tcp")).member("security_group_rule").get("id");
        assertEquals(204, client.delete("/v2.0/security-group-rules/" + ruleId).status());
        var gone = client.get("/v2.0/security-group-rules/" + ruleId);
        assertEquals(404, gone.status());
        assertEquals("SecurityGroupRuleNotFound", gone.errorType());
    }

    @Test
    void anotherProjectsGroupAndRulesAreNotFound() {
        NeutronClient owner = freshProject(), other = freshProject();
        String groupId = (String) createGroup(owner, "private").get("id");
        String ruleId = (String) rulesOf(owner.get("/v2.0/security-groups/" + groupId).member("security_group")).getFirst().get("id");
        assertEquals("SecurityGroupNotFound", other.get("/v2.0/security-groups/" + groupId).errorType());
        assertEquals(404, other.delete("/v2.0/security-groups/" + groupId).status());
        assertEquals(404, other.put("/v2.0/security-groups/" + groupId, Map.of("security_group", Map.of("name", "x"))).status());
        assertEquals(404, other.get("/v2.0/security-group-rules/" + ruleId).status());
        assertEquals(404, postRule(other, groupId, Map.of("direction", "ingress")).status());
        assertTrue(other.get("/v2.0/security-groups").list("security_groups").stream().noneMatch(g -> g.get("id").equals(groupId)));
        assertTrue(other.get("/v2.0/security-group-rules").list("security_group_rules").stream().noneMatch(r -> r.get("id").equals(ruleId)));
    }

    @Test
    void aGroupCanBeRenamedButTheDefaultGroupCannot() {
        NeutronClient client = freshProject();
        String groupId = (String) createGroup(client, "old").get("id");
        var renamed = client.put("/v2.0/security-groups/" + groupId, Map.of("security_group", Map.of("name", "new", "description", "d")));
        assertEquals(200, renamed.status(), renamed.raw());
        assertEquals("new", renamed.member("security_group").get("name"));
        assertEquals(2, rulesOf(renamed.member("security_group")).size());
        var r = client.put("/v2.0/security-groups/" + defaultGroupId(client), Map.of("security_group", Map.of("name", "mine")));
        assertEquals(409, r.status(), r.raw());
        assertEquals("SecurityGroupCannotUpdateDefault", r.errorType());
    }

    @Test
    void aPortWithoutGroupsGetsItsProjectsDefaultGroup() {
        NeutronClient client = freshProject();
        String net = network(client);
        Map<String, Object> port = client.createPort(Map.of("network_id", net));
        assertEquals(List.of(defaultGroupId(client)), port.get("security_groups"));
        assertEquals(List.of(port.get("id")), controller.app().securityGroupMembers().portsOf(defaultGroupId(client)));
    }

    @Test
    void aPortWithPortSecurityOffOrAnEmptyListGetsNoGroup() {
        NeutronClient client = freshProject();
        String net = network(client);
        assertEquals(List.of(), client.createPort(Map.of("network_id", net, "port_security_enabled", false)).get("security_groups"));
        assertEquals(List.of(), client.createPort(Map.of("network_id", net, "security_groups", List.of())).get("security_groups"));
        String group = (String) createGroup(client, "g").get("id");
        var r = client.post("/v2.0/ports", Map.of("port", Map.of("network_id", net, "port_security_enabled", false, "security_groups", List.of(group))));
        assertEquals(409, r.status(), r.raw());
        assertEquals("PortSecurityAndIPRequiredForSecurityGroups", r.errorType());
    }

    @Test
    void aPortNamingAnUnknownOrForeignGroupIsRefused() {
        NeutronClient client = freshProject(), other = freshProject();
        String net = network(client);
        String foreign = (String) createGroup(other, "theirs").get("id");
        for (String group : List.of(UUID.randomUUID().toString(), foreign)) {
            var r = client.post("/v2.0/ports", Map.of("port", Map.of("network_id", net, "security_groups", List.of(group))));
            assertEquals(404, r.status(), r.raw());
            assertEquals("SecurityGroupNotFound", r.errorType());
        }
        var bad = client.post("/v2.0/ports", Map.of("port", Map.of("network_id", net, "security_groups", List.of("not-a-uuid"))));
        assertEquals(400, bad.status(), bad.raw());
        assertEquals(0, client.get("/v2.0/ports?network_id=" + net).list("ports").size());
    }

    @Test
    void aGroupInUseByAPortCannotBeDeletedUntilThePortLeavesIt() {
        NeutronClient client = freshProject();
        String net = network(client);
        String group = (String) createGroup(client, "busy").get("id");
        String port = (String) client.createPort(Map.of("network_id", net, "security_groups", List.of(group))).get("id");
        var r = client.delete("/v2.0/security-groups/" + group);
        assertEquals(409, r.status(), r.raw());
        assertEquals("SecurityGroupInUse", r.errorType());

        var moved = client.put("/v2.0/ports/" + port, Map.of("port", Map.of("security_groups", List.of(defaultGroupId(client)))));
        assertEquals(200, moved.status(), moved.raw());
        assertEquals(List.of(), controller.app().securityGroupMembers().portsOf(group));
        assertEquals(204, client.delete("/v2.0/security-groups/" + group).status());
        assertEquals(0, client.get("/v2.0/security-group-rules?security_group_id=" + group).list("security_group_rules").size(),
                "its rules went with it");
    }

    @Test
    void aPortUpdateNamingAnUnknownGroupIsRefusedAndChangesNothing() {
        NeutronClient client = freshProject();
        String net = network(client);
        Map<String, Object> port = client.createPort(Map.of("network_id", net));
        var r = client.put("/v2.0/ports/" + port.get("id"), Map.of("port", Map.of("security_groups", List.of(UUID.randomUUID().toString()))));
        assertEquals(404, r.status(), r.raw());
        assertEquals(port.get("security_groups"), client.get("/v2.0/ports/" + port.get("id")).member("port").get("security_groups"));
    }

    @Test
    void theDefaultGroupCannotBeDeletedWhileTheProjectHasPorts() {
        String project = "p-" + UUID.randomUUID().toString().substring(0, 8);
        NeutronClient client = controller.project(project);
        NeutronClient admin = controller.admin();
        String net = network(client);
        String port = (String) client.createPort(Map.of("network_id", net, "security_groups", List.of())).get("id");
        String defaultId = defaultGroupId(client);
        var byMember = client.delete("/v2.0/security-groups/" + defaultId);
        assertEquals(409, byMember.status(), byMember.raw());
        assertEquals("SecurityGroupCannotRemoveDefault", byMember.errorType());
        var byAdmin = admin.delete("/v2.0/security-groups/" + defaultId);
        assertEquals(409, byAdmin.status(), byAdmin.raw());
        assertEquals("SecurityGroupInUse", byAdmin.errorType());

        assertEquals(204, client.delete("/v2.0/ports/" + port).status());
        assertEquals(204, admin.delete("/v2.0/security-groups/" + defaultId).status());
        assertEquals(defaultId, defaultGroupId(client), "the next list creates it again");
    }

    @Test
    void deletingAGroupDeletesOtherGroupsRulesThatNameItAsRemote() {
        NeutronClient client = freshProject();
        String web = (String) createGroup(client, "web").get("id");
        String db = (String) createGroup(client, "db").get("id");
        var r = postRule(client, db, Map.of("direction", "ingress", "protocol", "tcp", "port_range_min", 5432,
                "port_range_max", 5432, "remote_group_id", web));
        assertEquals(201, r.status(), r.raw());
        String ruleId = (String) r.member("security_group_rule").get("id");
        assertEquals(List.of(ruleId), controller.app().securityGroups().rulesReferencing(web).stream().map(x -> x.id()).toList());

        assertEquals(204, client.delete("/v2.0/security-groups/" + web).status());

        assertEquals(404, client.get("/v2.0/security-group-rules/" + ruleId).status());
        assertEquals(2, rulesOf(client.get("/v2.0/security-groups/" + db).member("security_group")).size());
    }
}
