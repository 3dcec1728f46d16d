package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.OpenStackCli;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real OpenStack CLI driving security groups, quotas, segment ranges and IP availability (noauth, as
 * {@link OpenStackCliTest}). Set-up goes through REST; each CLI call is a Python process of ~1.5 s.
 */
class OpenStackCliManagementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestController controller;
    private static NeutronClient rest;
    private static Path outputDir;

    @BeforeAll
    static void start() {
        OpenStackCli.requireInstalled();
        outputDir = TestController.createTempDir();
        controller = TestController.start();
        rest = controller.admin();
    }

    @AfterAll
    static void stop() {
        try {
            if (controller != null) controller.close();
        } finally {
            if (outputDir != null) TestController.deleteRecursively(outputDir);
        }
    }

    private static OpenStackCli.Result openstack(String... args) { return new OpenStackCli(controller.baseUrl(), outputDir).run(args); }

    private static String network(String name, String cidr) {
        String id = (String) rest.createNetwork(Map.of("name", name)).get("id");
        var r = rest.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", id, "name", name + "-subnet", "cidr", cidr, "ip_version", 4)));
        assertEquals(201, r.status(), r.raw());
        return id;
    }

    private static JsonNode rowWithId(JsonNode list, String id) {
        for (JsonNode row : list) if (id.equals(row.path("ID").asText())) return row;
        throw new AssertionError(id + " not listed: " + list);
    }

    @Test
    void securityGroupCreateRuleCreateRuleListAndDeleteWork() {
        JsonNode group = openstack("security", "group", "create", "cli-sg", "--description", "from the cli", "-f", "json").json();
        String groupId = group.path("id").asText();
        assertEquals("cli-sg", group.path("name").asText());

        JsonNode rule = openstack("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22:22",
                "--remote-ip", "10.0.0.0/8", "cli-sg", "-f", "json").json();
        String ruleId = rule.path("id").asText();
        assertEquals("tcp", rule.path("protocol").asText());
        assertEquals(22, rule.path("port_range_min").asInt());
        assertEquals(22, rule.path("port_range_max").asInt());
        assertEquals("10.0.0.0/8", rule.path("remote_ip_prefix").asText());
        assertEquals(groupId, rule.path("security_group_id").asText());

        JsonNode listed = openstack("security", "group", "rule", "list", "cli-sg", "-f", "json").json();
        assertEquals(3, listed.size(), listed::toString);
        assertEquals("tcp", rowWithId(listed, ruleId).path("IP Protocol").asText());

        OpenStackCli.Result duplicate = openstack("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22",
                "--remote-ip", "10.0.0.0/8", "cli-sg");
        assertNotEquals(0, duplicate.exit(), duplicate::toString);
        assertTrue(duplicate.err().contains("409") || duplicate.err().contains("already exists"), duplicate::toString);

        openstack("security", "group", "rule", "delete", ruleId).ok();
        assertEquals(404, rest.get("/v2.0/security-group-rules/" + ruleId).status());
        openstack("security", "group", "delete", "cli-sg").ok();
        assertEquals(404, rest.get("/v2.0/security-groups/" + groupId).status());
    }

    @Test
    void securityGroupListShowsTheDefaultGroup() {
        JsonNode listed = openstack("security", "group", "list", "-f", "json").json();
        boolean found = false;
        for (JsonNode row : listed) found |= "default".equals(row.path("Name").asText());
        assertTrue(found, listed::toString);
    }

    @Test
    void portCreateWithASecurityGroupByNameUsesThatGroup() {
        network("cli-sg-net", "10.70.0.0/24");
        String groupId = (String) rest.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "cli-port-sg")))
                .member("security_group").get("id");

        JsonNode port = openstack("port", "create", "--network", "cli-sg-net", "--security-group", "cli-port-sg", "cli-sg-port", "-f", "json").json();

        assertEquals(List.of(groupId), JSON.convertValue(port.path("security_group_ids"), List.class), port::toString);
        OpenStackCli.Result inUse = openstack("security", "group", "delete", "cli-port-sg");
        assertNotEquals(0, inUse.exit(), inUse::toString);
        assertTrue(inUse.err().contains("in use"), inUse::toString);
    }

    @Test
    void quotaSetChangesWhatQuotaShowPrints() {
        JsonNode before = openstack("quota", "show", "cli-quota-project", "-f", "json").json();
        assertEquals(500, before.path("ports").asInt(), before::toString);
        assertEquals(10, before.path("secgroups").asInt(), before::toString);

        openstack("quota", "set", "--ports", "7", "--networks", "3", "cli-quota-project").ok();

        JsonNode after = openstack("quota", "show", "cli-quota-project", "-f", "json").json();
        assertEquals(7, after.path("ports").asInt(), after::toString);
        assertEquals(3, after.path("networks").asInt(), after::toString);
        assertEquals(7, rest.get("/v2.0/quotas/cli-quota-project").member("quota").get("port"));
    }

    @Test
    void quotaListAndDetailsAndDefaultsWorkThroughTheNoauthShims() {
        rest.put("/v2.0/quotas/cli-quota-list", Map.of("quota", Map.of("subnet", 4)));
        JsonNode listed = openstack("quota", "list", "--network", "-f", "json").json();
        JsonNode row = null;
        for (JsonNode r : listed) if ("cli-quota-list".equals(r.path("Project ID").asText())) row = r;
        assertTrue(row != null && row.path("Subnets").asInt() == 4, listed::toString);

        JsonNode detail = openstack("quota", "list", "--network", "--detail", "--project", "cli-quota-list", "-f", "json").json();
        boolean subnets = false;
        for (JsonNode r : detail) subnets |= "subnets".equals(r.path("Resource").asText()) && r.path("Limit").asInt() == 4;
        assertTrue(subnets, detail::toString);

        assertEquals(500, openstack("quota", "show", "--default", "cli-quota-list", "-f", "json").json().path("ports").asInt());
    }

    @Test
    void networkSegmentRangeCreateMakesAVxlanRange() {
        JsonNode range = openstack("network", "segment", "range", "create", "--network-type", "vxlan", "--minimum", "100",
                "--maximum", "200", "--shared", "r1", "-f", "json").json();
        assertEquals("r1", range.path("name").asText());
        assertEquals("vxlan", range.path("network_type").asText());
        assertEquals(100, range.path("minimum").asInt());
        assertEquals(200, range.path("maximum").asInt());
        assertTrue(range.path("shared").asBoolean(), range::toString);
        String id = range.path("id").asText();
        assertEquals(id, openstack("network", "segment", "range", "show", "r1", "-f", "json").json().path("id").asText());
        openstack("network", "segment", "range", "delete", "r1").ok();
        assertEquals(404, rest.get("/v2.0/network_segment_ranges/" + id).status());
    }

    @Test
    void ipAvailabilityListAndShowCountAllocatedAddresses() {
        String networkId = network("cli-avail-net", "10.71.0.0/24");
        rest.createPort(Map.of("network_id", networkId));
        rest.createPort(Map.of("network_id", networkId));

        JsonNode listed = openstack("ip", "availability", "list", "-f", "json").json();
        JsonNode row = null;
        for (JsonNode r : listed) if (networkId.equals(r.path("Network ID").asText())) row = r;
        assertTrue(row != null, listed::toString);
        assertEquals(2, row.path("Used IPs").asInt(), row::toString);
        assertEquals(253, row.path("Total IPs").asInt(), row::toString);

        JsonNode shown = openstack("ip", "availability", "show", "cli-avail-net", "-f", "json").json();
        assertEquals(2, shown.path("used_ips").asInt(), shown::toString);
    }
}
