package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SubnetApiTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    private static String newNetwork() { return (String) admin.createNetwork(Map.of("name", "subnet-test")).get("id"); }

    private static NeutronClient.Response postSubnet(String networkId, String cidr, Map<String, Object> extra) {
        Map<String, Object> subnet = new HashMap<>(extra);
        subnet.put("network_id", networkId);
        subnet.put("cidr", cidr);
        subnet.put("ip_version", cidr.contains(":") ? 6 : 4);
        return admin.post("/v2.0/subnets", Map.of("subnet", subnet));
    }

    private static Map<String, Object> pool(String start, String end) { return Map.of("start", start, "end", end); }

    @Test
    void aSlash24GetsGatewayDotOneAndPoolDotTwoToDot254() {
        var subnet = admin.createSubnet(newNetwork(), "10.1.0.0/24");
        assertEquals("10.1.0.1", subnet.get("gateway_ip"));
        assertEquals(List.of(pool("10.1.0.2", "10.1.0.254")), subnet.get("allocation_pools"));
        assertEquals("10.1.0.0/24", subnet.get("cidr"));
        assertEquals(4, subnet.get("ip_version"));
        assertEquals(true, subnet.get("enable_dhcp"));
        assertEquals(1, subnet.get("revision_number"));
    }

    @Test
    void aNullGatewayLeavesThePoolCoveringDotOneToDot254() {
        Map<String, Object> noGateway = new HashMap<>();
        noGateway.put("gateway_ip", null);
        var r = postSubnet(newNetwork(), "10.2.0.0/24", noGateway);
        assertEquals(201, r.status(), r.raw());
        assertNull(r.member("subnet").get("gateway_ip"));
        assertTrue(r.member("subnet").containsKey("gateway_ip"));
        assertEquals(List.of(pool("10.2.0.1", "10.2.0.254")), r.member("subnet").get("allocation_pools"));
    }

    @Test
    void anExplicitGatewayInTheMiddleSplitsTheDefaultPool() {
        var r = postSubnet(newNetwork(), "10.3.0.0/24", Map.of("gateway_ip", "10.3.0.100"));
        assertEquals(201, r.status(), r.raw());
        assertEquals(List.of(pool("10.3.0.1", "10.3.0.99"), pool("10.3.0.101", "10.3.0.254")), r.member("subnet").get("allocation_pools"));
    }

    @Test
    void explicitPoolsAreKept() {
        var r = postSubnet(newNetwork(), "10.4.0.0/24", Map.of("allocation_pools",
                List.of(pool("10.4.0.100", "10.4.0.120"), pool("10.4.0.10", "10.4.0.20"))));
        assertEquals(201, r.status(), r.raw());
        assertEquals(List.of(pool("10.4.0.10", "10.4.0.20"), pool("10.4.0.100", "10.4.0.120")), r.member("subnet").get("allocation_pools"));
    }

    @Test
    void aPoolOutsideTheCidrIsRejected() {
        String net = newNetwork();
        var r = postSubnet(net, "10.5.0.0/24", Map.of("allocation_pools", List.of(pool("10.5.0.10", "10.5.1.10"))));
        assertEquals(400, r.status(), r.raw());
        assertEquals("OutOfBoundsAllocationPool", r.errorType());
        assertEquals(List.of(), admin.get("/v2.0/networks/" + net).member("network").get("subnets"));
    }

    @Test
    void aPoolHoldingTheBroadcastAddressIsRejected() {
        var r = postSubnet(newNetwork(), "10.5.1.0/24", Map.of("allocation_pools", List.of(pool("10.5.1.10", "10.5.1.255"))));
        assertEquals(400, r.status(), r.raw());
    }

    @Test
    void aPoolThatEndsBeforeItStartsIsRejected() {
        var r = postSubnet(newNetwork(), "10.5.2.0/24", Map.of("allocation_pools", List.of(pool("10.5.2.20", "10.5.2.10"))));
        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidAllocationPool", r.errorType());
    }

    /** Neutron (neutron-lib OverlappingAllocationPools) answers 409 Conflict here, not 400. */
    @Test
    void overlappingPoolsAreRejected() {
        String net = newNetwork();
        var r = postSubnet(net, "10.6.0.0/24", Map.of("allocation_pools",
                List.of(pool("10.6.0.10", "10.6.0.20"), pool("10.6.0.20", "10.6.0.30"))));
        assertEquals(409, r.status(), r.raw());
        assertEquals("OverlappingAllocationPools", r.errorType());
        assertEquals(List.of(), admin.get("/v2.0/networks/" + net).member("network").get("subnets"));
    }

    @Test
    void aGatewayInsideAPoolIsAConflict() {
        var r = postSubnet(newNetwork(), "10.7.0.0/24", Map.of("gateway_ip", "10.7.0.15",
                "allocation_pools", List.of(pool("10.7.0.10", "10.7.0.20"))));
        assertEquals(409, r.status(), r.raw());
        assertEquals("GatewayConflictWithAllocationPools", r.errorType());
    }

    @Test
    void theDefaultGatewayInsideAnExplicitPoolIsAConflict() {
        var r = postSubnet(newNetwork(), "10.7.1.0/24", Map.of("allocation_pools", List.of(pool("10.7.1.1", "10.7.1.20"))));
        assertEquals(409, r.status(), r.raw());
    }

    @Test
    void aGatewayOutsideTheCidrIsRejected() {
        var r = postSubnet(newNetwork(), "10.7.2.0/24", Map.of("gateway_ip", "10.7.3.1"));
        assertEquals(400, r.status(), r.raw());
    }

    @Test
    void aCidrWithHostBitsIsRejectedNamingTheNetworkMeant() {
        var r = postSubnet(newNetwork(), "10.8.0.5/24", Map.of());
        assertEquals(400, r.status(), r.raw());
        String message = (String) ((Map<?, ?>) r.json().get("NeutronError")).get("message");
        assertTrue(message.contains("'10.8.0.0/24'"), message);
    }

    @Test
    void anOverlappingCidrInTheSameNetworkIsRejected() {
        String net = newNetwork();
        admin.createSubnet(net, "10.9.0.0/16");
        var r = postSubnet(net, "10.9.4.0/24", Map.of());
        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidInput", r.errorType());
        assertEquals(1, ((List<?>) admin.get("/v2.0/networks/" + net).member("network").get("subnets")).size());
    }

    @Test
    void theSameCidrInAnotherNetworkIsAllowed() {
        admin.createSubnet(newNetwork(), "10.10.0.0/24");
        var r = postSubnet(newNetwork(), "10.10.0.0/24", Map.of());
        assertEquals(201, r.status(), r.raw());
    }

    @Test
    void aDisjointCidrInTheSameNetworkIsAllowed() {
        String net = newNetwork();
        admin.createSubnet(net, "10.11.0.0/24");
        assertEquals(201, postSubnet(net, "10.11.1.0/24", Map.of()).status());
    }

    @Test
    void aCidrThatDoesNotMatchIpVersionIsRejected() {
        var r = admin.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", newNetwork(), "cidr", "10.12.0.0/24", "ip_version", 6)));
        assertEquals(400, r.status(), r.raw());
    }

    @Test
    void anIpv6Slash64GetsGatewayColonColonOneRenderedCompressed() {
        var subnet = admin.createSubnet(newNetwork(), "2001:db8:1::/64");
        assertEquals("2001:db8:1::1", subnet.get("gateway_ip"));
        assertEquals(6, subnet.get("ip_version"));
        assertEquals(List.of(pool("2001:db8:1::2", "2001:db8:1:0:ffff:ffff:ffff:ffff")), subnet.get("allocation_pools"));
    }

    @Test
    void anIpv6CidrIsStoredInCanonicalForm() {
        var subnet = admin.createSubnet(newNetwork(), "2001:0DB8:0002:0000::/64");
        assertEquals("2001:db8:2::/64", subnet.get("cidr"));
    }

    @Test
    void aSubnetAppearsInItsNetworksSubnets() {
        String net = newNetwork();
        var first = admin.createSubnet(net, "10.13.0.0/24");
        var second = admin.createSubnet(net, "10.13.1.0/24");
        assertEquals(List.of(first.get("id"), second.get("id")), admin.get("/v2.0/networks/" + net).member("network").get("subnets"));
    }

    @Test
    void aSubnetOnAMissingNetworkIsNotFound() {
        var r = postSubnet("6c0e6c1e-0000-4000-8000-000000000000", "10.14.0.0/24", Map.of());
        assertEquals(404, r.status(), r.raw());
        assertEquals("NetworkNotFound", r.errorType());
    }

    @Test
    void aSubnetWithAPortOnItCannotBeDeleted() {
        String net = newNetwork();
        var subnet = admin.createSubnet(net, "10.15.0.0/24");
        admin.createPort(Map.of("network_id", net));
        var r = admin.delete("/v2.0/subnets/" + subnet.get("id"));
        assertEquals(409, r.status(), r.raw());
        assertEquals("SubnetInUse", r.errorType());
        assertEquals(200, admin.get("/v2.0/subnets/" + subnet.get("id")).status());
    }

    @Test
    void aSubnetIsDeletedOnceItsLastPortIsGoneAndLeavesItsNetwork() {
        String net = newNetwork();
        var subnet = admin.createSubnet(net, "10.16.0.0/24");
        var port = admin.createPort(Map.of("network_id", net));
        assertEquals(204, admin.delete("/v2.0/ports/" + port.get("id")).status());

        var r = admin.delete("/v2.0/subnets/" + subnet.get("id"));
        assertEquals(204, r.status(), r.raw());
        assertEquals(404, admin.get("/v2.0/subnets/" + subnet.get("id")).status());
        assertEquals("SubnetNotFound", admin.get("/v2.0/subnets/" + subnet.get("id")).errorType());
        assertEquals(List.of(), admin.get("/v2.0/networks/" + net).member("network").get("subnets"));
    }

    @Test
    void aDeletedSubnetsCidrCanBeUsedAgainInItsNetwork() {
        String net = newNetwork();
        var subnet = admin.createSubnet(net, "10.17.0.0/24");
        assertEquals(204, admin.delete("/v2.0/subnets/" + subnet.get("id")).status());
        assertEquals(201, postSubnet(net, "10.17.0.0/24", Map.of()).status());
    }

    @Test
    void aGatewayUpdateIntoThePoolIsAConflictAndChangesNothing() {
        var subnet = admin.createSubnet(newNetwork(), "10.18.0.0/24");
        var r = admin.put("/v2.0/subnets/" + subnet.get("id"), Map.of("subnet", Map.of("gateway_ip", "10.18.0.50")));
        assertEquals(409, r.status(), r.raw());
        assertEquals("10.18.0.1", admin.get("/v2.0/subnets/" + subnet.get("id")).member("subnet").get("gateway_ip"));
    }

    @Test
    void listFiltersSubnetsByNetwork() {
        String net = newNetwork();
        var subnet = admin.createSubnet(net, "10.19.0.0/24");
        admin.createSubnet(newNetwork(), "10.19.0.0/24");
        var r = admin.get("/v2.0/subnets?network_id=" + net);
        assertEquals(200, r.status(), r.raw());
        assertEquals(List.of(subnet.get("id")), r.list("subnets").stream().map(s -> s.get("id")).toList());
    }
}
