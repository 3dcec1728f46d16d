package org.alcor.controller.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Neutron's default port policy on a shared network: a member of another project may put plain ports on it (and
 * pick its subnet) but may not take the gateway's or any chosen address, spoof a MAC, widen its allowed address
 * pairs, turn port security off or claim a network:* device owner; only an admin binds a port to a host. The
 * network's owner may do the owner's part; an admin everything. Per-port and per-subnet caps hold for all.
 */
class SharedNetworkPortPolicyTest {
    private static TestController controller;
    private static NeutronClient admin, member;
    private static String sharedNet, sharedSubnet, gateway, memberProject;

    @BeforeAll
    static void start() {
        controller = TestController.start();
        admin = controller.admin();
        memberProject = "member-" + UUID.randomUUID();
        member = controller.project(memberProject);
        sharedNet = (String) admin.createNetwork(Map.of("name", "shared", "shared", true)).get("id");
        var subnet = admin.createSubnet(sharedNet, "10.77.0.0/29");
        sharedSubnet = (String) subnet.get("id");
        gateway = (String) subnet.get("gateway_ip");
        admin.registerHost("policy-host", "192.0.2.77");
    }

    @AfterAll
    static void stop() { controller.close(); }

    private static int create(NeutronClient as, String network, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("network_id", network);
        return as.post("/v2.0/ports", Map.of("port", body)).status();
    }

    private static List<Map<String, Object>> fixedIp(String ip) { return List.of(Map.of("subnet_id", sharedSubnet, "ip_address", ip)); }

    @Test
    void aMemberOfAnotherProjectGetsPlainPortsOnly() {
        assertEquals(201, create(member, sharedNet, Map.of()), "a plain port");
        assertEquals(201, create(member, sharedNet, Map.of("fixed_ips", List.of(Map.of("subnet_id", sharedSubnet)))), "naming the subnet");
        Map<String, Map<String, Object>> refused = Map.of(
                "the gateway's address", Map.of("fixed_ips", fixedIp(gateway)),
                "a chosen address", Map.of("fixed_ips", fixedIp("10.77.0.5")),
                "a spoofed MAC", Map.of("mac_address", "fa:16:3e:00:00:01"),
                "every address as a pair", Map.of("allowed_address_pairs", List.of(Map.of("ip_address", "0.0.0.0/0"))),
                "no port security", Map.of("port_security_enabled", false),
                "a host binding", Map.of("binding:host_id", "policy-host"),
                "a router's device owner", Map.of("device_owner", "network:router_interface"));
        List<String> wrong = new ArrayList<>();
        refused.forEach((what, attrs) -> {
            var r = member.post("/v2.0/ports", Map.of("port", withNetwork(attrs)));
            if (r.status() != 403 || !r.raw().contains("disallowed by policy")) wrong.add(what + ": " + r.status() + " " + r.raw());
        });
        assertEquals(List.of(), wrong);
    }

    private static Map<String, Object> withNetwork(Map<String, Object> attrs) {
        Map<String, Object> body = new HashMap<>(attrs);
        body.put("network_id", sharedNet);
        return body;
    }

    @Test
    void aMemberCannotChangeItsPortOnASharedNetworkIntoASpoofingOne() {
        String id = (String) member.createPort(Map.of("network_id", sharedNet)).get("id");
        for (Map<String, Object> change : List.of(Map.<String, Object>of("mac_address", "fa:16:3e:00:00:02"),
                Map.<String, Object>of("port_security_enabled", false, "security_groups", List.of()),
                Map.<String, Object>of("binding:host_id", "policy-host"),
                Map.<String, Object>of("fixed_ips", fixedIp(gateway)))) {
            assertEquals(403, member.put("/v2.0/ports/" + id, Map.of("port", change)).status(), change.toString());
        }
        assertEquals(200, member.put("/v2.0/ports/" + id, Map.of("port", Map.of("name", "renamed"))).status(), "other changes stand");
    }

    @Test
    void theNetworksOwnerChoosesAddressesAndMacsButOnlyAnAdminBindsHosts() {
        String own = (String) member.createNetwork(Map.of("name", "own")).get("id");
        member.createSubnet(own, "10.78.0.0/24");
        assertEquals(201, create(member, own, Map.of("mac_address", "fa:16:3e:00:00:03", "port_security_enabled", false)));
        assertEquals(403, create(member, own, Map.of("binding:host_id", "policy-host")));
        assertEquals(201, create(admin, sharedNet, Map.of("binding:host_id", "policy-host", "mac_address", "fa:16:3e:00:00:04")));
    }

    @Test
    void whereAPortRunsIsShownToAdminsOnly() {
        // The admin binds the member's port to a host, as Nova does.
        String id = (String) admin.createPort(Map.of("network_id", sharedNet, "binding:host_id", "policy-host", "project_id", memberProject)).get("id");
        var asMember = member.get("/v2.0/ports/" + id).member("port");
        for (String hidden : List.of("binding:host_id", "binding:profile", "binding:vif_type", "binding:vif_details")) {
            assertEquals(false, asMember.containsKey(hidden), hidden + " is hidden from a member: " + asMember);
        }
        assertEquals("policy-host", admin.get("/v2.0/ports/" + id).member("port").get("binding:host_id"));
        assertEquals(false, member.get("/v2.0/networks/" + sharedNet).member("network").containsKey("provider:segmentation_id"));
        assertEquals(true, admin.get("/v2.0/networks/" + sharedNet).member("network").containsKey("provider:segmentation_id"));
    }

    @Test
    void whatAMemberIsNotShownItCannotFilterOrSortOn() {
        // Its own network: the shared /29 is the other tests' to fill.
        String net = (String) admin.createNetwork(Map.of("name", "oracle", "shared", true)).get("id");
        admin.createSubnet(net, "10.78.0.0/24");
        admin.createPort(Map.of("network_id", net, "binding:host_id", "policy-host", "project_id", memberProject));
        // As an oracle: which of its ports match a host, or their order by host, would say where they run.
        for (String query : List.of("?binding:host_id=policy-host", "?binding:vif_type=ovs", "?sort_key=binding:host_id&sort_dir=asc")) {
            var r = member.get("/v2.0/ports" + query);
            assertEquals(400, r.status(), query + ": " + r.raw());
            assertEquals("HTTPBadRequest", r.errorType(), r.raw());
        }
        var r = member.get("/v2.0/networks?provider:segmentation_id=1&id=" + net);
        assertEquals(400, r.status(), r.raw());
        var asAdmin = admin.get("/v2.0/ports?binding:host_id=policy-host&sort_key=binding:host_id");
        assertEquals(200, asAdmin.status(), "an admin filters and sorts on them: " + asAdmin.raw());
        assertNotEquals(0, ((List<?>) asAdmin.json().get("ports")).size());
    }

    @Test
    void automaticAllocationNeverHandsOutTheGateway() {
        String net = (String) admin.createNetwork(Map.of("name", "small")).get("id");
        String gw = (String) admin.createSubnet(net, "10.79.0.0/29").get("gateway_ip");
        List<Object> ips = new ArrayList<>();
        while (true) {
            var r = admin.post("/v2.0/ports", Map.of("port", Map.of("network_id", net)));
            if (r.status() != 201) break;
            @SuppressWarnings("unchecked")
            var fixed = (List<Map<String, Object>>) r.member("port").get("fixed_ips");
            ips.add(fixed.getFirst().get("ip_address"));
        }
        assertEquals(5, ips.size(), "a /29 has 6 host addresses, one of them the gateway's: " + ips);
        for (Object ip : ips) assertNotEquals(gw, ip);
    }

    @Test
    void capsOnWhatOnePortOrSubnetAsksHostsToProgram() {
        String net = (String) admin.createNetwork(Map.of("name", "caps")).get("id");
        String subnet = (String) admin.createSubnet(net, "10.80.0.0/24").get("id");
        List<Map<String, Object>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) six.add(Map.of("subnet_id", subnet));
        assertEquals(400, create(admin, net, Map.of("fixed_ips", six)));
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (int i = 0; i < 11; i++) pairs.add(Map.of("ip_address", "10.80.1." + i));
        assertEquals(409, create(admin, net, Map.of("allowed_address_pairs", pairs)));
        assertEquals(201, create(admin, net, Map.of("allowed_address_pairs", pairs.subList(0, 10))));
        var r = admin.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", net, "cidr", "10.81.0.0/24", "ip_version", 4,
                "dns_nameservers", List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"))));
        assertEquals(400, r.status(), r.raw());
    }
}
