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
import java.util.stream.StreamSupport;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.OpenStackCli;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real OpenStack CLI (Debian's python3-openstackclient) against a real controller, with noauth as the lab
 * recipe uses it: it resolves names, reads our responses with openstacksdk and must accept every one. Each
 * call starts a Python process (~1.5 s), so tests set up through REST and keep CLI calls few.
 */
class OpenStackCliTest {
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

    private static String network(String name) { return (String) rest.createNetwork(Map.of("name", name)).get("id"); }

    private static String subnet(String networkId, String name, String cidr) {
        var r = rest.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", networkId, "name", name, "cidr", cidr, "ip_version", 4)));
        assertEquals(201, r.status(), r.raw());
        return (String) r.member("subnet").get("id");
    }

    private static Map<String, Object> get(String path) {
        var r = rest.get(path);
        assertEquals(200, r.status(), r.raw());
        return r.json();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(String path, String name) { return (Map<String, Object>) get(path).get(name); }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static JsonNode rowWithId(JsonNode list, String id) {
        for (JsonNode row : list) if (id.equals(row.path("ID").asText())) return row;
        throw new AssertionError(id + " not listed: " + list);
    }

    @Test
    void aNetworkCreatedWithTheCliIsListedAndShownByNameAndById() {
        JsonNode created = openstack("network", "create", "cli-net-show", "-f", "json").json();
        String id = created.path("id").asText();
        assertEquals("cli-net-show", created.path("name").asText());
        assertEquals("ACTIVE", created.path("status").asText());
        assertEquals("vxlan", created.path("provider:network_type").asText());
        assertTrue(created.path("provider:segmentation_id").asLong() > 0, created::toString);

        assertEquals("cli-net-show", rowWithId(openstack("network", "list", "-f", "json").json(), id).path("Name").asText());
        assertEquals(id, openstack("network", "show", "cli-net-show", "-f", "json").json().path("id").asText());
        assertEquals("cli-net-show", openstack("network", "show", id, "-f", "json").json().path("name").asText());
    }

    @Test
    void networkSetChangesNameDescriptionAndTagsAndUnsetRemovesATag() {
        String id = network("cli-net-set");

        openstack("network", "set", "--name", "cli-net-renamed", "--description", "set by the cli",
                "--tag", "red", "--tag", "blue", "cli-net-set").ok();
        JsonNode shown = openstack("network", "show", "cli-net-renamed", "-f", "json").json();
        assertEquals(id, shown.path("id").asText());
        assertEquals("set by the cli", shown.path("description").asText());
        assertEquals(List.of("blue", "red"), texts(shown.path("tags")).stream().sorted().toList());

        // OSC 6 has no `network unset --description`; --tag is what unset offers for networks.
        openstack("network", "unset", "--tag", "red", "cli-net-renamed").ok();
        assertEquals(List.of("blue"), member("/v2.0/networks/" + id, "network").get("tags"));
    }

    @Test
    void networkDeleteByNameRemovesTheNetwork() {
        String id = network("cli-net-delete");

        openstack("network", "delete", "cli-net-delete").ok();

        assertEquals(404, rest.get("/v2.0/networks/" + id).status());
    }

    @Test
    void aSubnetCreatedOnANetworkGivenByNameIsListedAndShown() {
        String networkId = network("cli-net-subnet");

        JsonNode created = openstack("subnet", "create", "--network", "cli-net-subnet", "--subnet-range", "10.60.0.0/24",
                "cli-subnet", "-f", "json").json();
        String id = created.path("id").asText();
        assertEquals(networkId, created.path("network_id").asText());
        assertEquals("10.60.0.0/24", created.path("cidr").asText());
        assertEquals("10.60.0.1", created.path("gateway_ip").asText());
        assertEquals("10.60.0.2", created.path("allocation_pools").path(0).path("start").asText());
        assertEquals("10.60.0.254", created.path("allocation_pools").path(0).path("end").asText());

        JsonNode row = rowWithId(openstack("subnet", "list", "-f", "json").json(), id);
        assertEquals(networkId, row.path("Network").asText());
        assertEquals("10.60.0.0/24", row.path("Subnet").asText());
        assertEquals(id, openstack("subnet", "show", "cli-subnet", "-f", "json").json().path("id").asText());
    }

    @Test
    void subnetCreateHonoursGatewayNoneAndAnAllocationPool() {
        String networkId = network("cli-net-pool");

        JsonNode created = openstack("subnet", "create", "--network", "cli-net-pool", "--subnet-range", "10.61.0.0/24",
                "--gateway", "none", "--allocation-pool", "start=10.61.0.10,end=10.61.0.20", "cli-subnet-pool", "-f", "json").json();

        assertTrue(created.path("gateway_ip").isNull(), created::toString);
        assertEquals("10.61.0.10", created.path("allocation_pools").path(0).path("start").asText());
        assertEquals("10.61.0.20", created.path("allocation_pools").path(0).path("end").asText());
        assertEquals(1, created.path("allocation_pools").size());
        var port = rest.createPort(Map.of("network_id", networkId));
        assertEquals("10.61.0.10", ((List<?>) port.get("fixed_ips")).stream().map(ip -> ((Map<?, ?>) ip).get("ip_address")).findFirst().orElseThrow());
    }

    @Test
    void subnetSetRenamesTheSubnet() {
        String subnetId = subnet(network("cli-net-subnet-set"), "cli-subnet-set", "10.63.0.0/24");

        openstack("subnet", "set", "--name", "cli-subnet-renamed", "cli-subnet-set").ok();

        assertEquals("cli-subnet-renamed", member("/v2.0/subnets/" + subnetId, "subnet").get("name"));
    }

    @Test
    void subnetDeleteByNameRemovesTheSubnetFromItsNetwork() {
        String networkId = network("cli-net-subnet-delete");
        String subnetId = subnet(networkId, "cli-subnet-delete", "10.64.0.0/24");

        openstack("subnet", "delete", "cli-subnet-delete").ok();

        assertEquals(404, rest.get("/v2.0/subnets/" + subnetId).status());
        assertEquals(List.of(), member("/v2.0/networks/" + networkId, "network").get("subnets"));
    }

    @Test
    void aPortCreatedWithAFixedIpAndMacIsListedAndShownByName() {
        String networkId = network("cli-net-port");
        String subnetId = subnet(networkId, "cli-subnet-port", "10.62.0.0/24");

        JsonNode created = openstack("port", "create", "--network", "cli-net-port",
                "--fixed-ip", "subnet=cli-subnet-port,ip-address=10.62.0.50", "--mac-address", "fa:16:3e:aa:bb:cc",
                "cli-port", "-f", "json").json();
        String id = created.path("id").asText();
        assertEquals(networkId, created.path("network_id").asText());
        assertEquals("fa:16:3e:aa:bb:cc", created.path("mac_address").asText());
        assertEquals(subnetId, created.path("fixed_ips").path(0).path("subnet_id").asText());
        assertEquals("10.62.0.50", created.path("fixed_ips").path(0).path("ip_address").asText());
        assertEquals("DOWN", created.path("status").asText());

        JsonNode listed = openstack("port", "list", "--network", "cli-net-port", "-f", "json").json();
        assertEquals(1, listed.size(), listed::toString);
        assertEquals("fa:16:3e:aa:bb:cc", rowWithId(listed, id).path("MAC Address").asText());
        assertEquals("10.62.0.50", rowWithId(listed, id).path("Fixed IP Addresses").path(0).path("ip_address").asText());
        assertEquals(id, openstack("port", "show", "cli-port", "-f", "json").json().path("id").asText());
    }

    @Test
    void portSetRenamesAndPortUnsetFixedIpGivesTheAddressBack() {
        String networkId = network("cli-net-port-set");
        String subnetId = subnet(networkId, "cli-subnet-port-set", "10.65.0.0/24");
        String id = (String) rest.createPort(Map.of("network_id", networkId, "name", "cli-port-set",
                "fixed_ips", List.of(Map.of("subnet_id", subnetId, "ip_address", "10.65.0.9")))).get("id");

        openstack("port", "set", "--name", "cli-port-renamed", "cli-port-set").ok();
        openstack("port", "unset", "--fixed-ip", "subnet=cli-subnet-port-set,ip-address=10.65.0.9", "cli-port-renamed").ok();

        Map<String, Object> port = member("/v2.0/ports/" + id, "port");
        assertEquals("cli-port-renamed", port.get("name"));
        assertEquals(List.of(), port.get("fixed_ips"));
        rest.createPort(Map.of("network_id", networkId, "fixed_ips", List.of(Map.of("ip_address", "10.65.0.9"))));
    }

    @Test
    void portDeleteByNameRemovesThePort() {
        String networkId = network("cli-net-port-delete");
        subnet(networkId, "cli-subnet-port-delete", "10.66.0.0/24");
        String id = (String) rest.createPort(Map.of("network_id", networkId, "name", "cli-port-delete")).get("id");

        openstack("port", "delete", "cli-port-delete").ok();

        assertEquals(404, rest.get("/v2.0/ports/" + id).status());
    }

    @Test
    void aConflictMakesTheCliPrintTheErrorAndExitNonZero() {
        String networkId = network("cli-net-conflict");
        String subnetId = subnet(networkId, "cli-subnet-conflict", "10.67.0.0/24");
        rest.createPort(Map.of("network_id", networkId, "fixed_ips", List.of(Map.of("subnet_id", subnetId, "ip_address", "10.67.0.5"))));

        OpenStackCli.Result taken = openstack("port", "create", "--network", "cli-net-conflict",
                "--fixed-ip", "subnet=cli-subnet-conflict,ip-address=10.67.0.5", "cli-port-conflict");

        assertNotEquals(0, taken.exit(), taken::toString);
        assertTrue(taken.err().contains("409") && taken.err().contains("10.67.0.5 already allocated"), taken::toString);
        assertEquals(1, rest.get("/v2.0/ports?network_id=" + networkId).list("ports").size());
    }
}
