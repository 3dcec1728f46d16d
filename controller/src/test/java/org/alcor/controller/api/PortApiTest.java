package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PortApiTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    /** A network with one subnet of the given cidr: its id and the subnet's id. */
    private record Net(String id, String subnetId) {}

    private static Net newNetwork(String cidr) {
        String id = (String) admin.createNetwork(Map.of("name", "port-test")).get("id");
        return new Net(id, (String) admin.createSubnet(id, cidr).get("id"));
    }

    private static NeutronClient.Response postPort(String networkId, Map<String, Object> extra) {
        Map<String, Object> port = new HashMap<>(extra);
        port.put("network_id", networkId);
        return admin.post("/v2.0/ports", Map.of("port", port));
    }

    private static List<Map<String, Object>> fixedIp(String ip) { return List.of(Map.of("ip_address", ip)); }

    @SuppressWarnings("unchecked")
    private static String ipOf(Map<String, Object> port) {
        return (String) ((List<Map<String, Object>>) port.get("fixed_ips")).getFirst().get("ip_address");
    }

    private static List<String> portIds(String query) {
        var r = admin.get("/v2.0/ports?" + query);
        assertEquals(200, r.status(), r.raw());
        return r.list("ports").stream().map(p -> (String) p.get("id")).toList();
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void aPortWithoutFixedIpsGetsTheFirstFreeAddressOfTheSubnet() {
        var net = newNetwork("10.0.0.0/24");
        var port = admin.createPort(Map.of("network_id", net.id()));
        assertEquals(List.of(Map.of("subnet_id", net.subnetId(), "ip_address", "10.0.0.2")), port.get("fixed_ips"));
        assertEquals("10.0.0.3", ipOf(admin.createPort(Map.of("network_id", net.id()))));
    }

    @Test
    void aNewPortIsDownAndUnbound() {
        var port = admin.createPort(Map.of("network_id", newNetwork("10.0.0.0/24").id()));
        assertEquals("DOWN", port.get("status"));
        assertEquals("unbound", port.get("binding:vif_type"));
        assertEquals("normal", port.get("binding:vnic_type"));
        assertEquals(true, port.get("admin_state_up"));
        assertEquals(1, port.get("revision_number"));
    }

    @Test
    void aRequestedAddressIsGiven() {
        var net = newNetwork("10.0.0.0/24");
        var port = admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.77")));
        assertEquals(List.of(Map.of("subnet_id", net.subnetId(), "ip_address", "10.0.0.77")), port.get("fixed_ips"));
    }

    @Test
    void aRequestedSubnetGivesAnAddressFromIt() {
        var net = newNetwork("10.0.0.0/24");
        String second = (String) admin.createSubnet(net.id(), "10.0.1.0/24").get("id");
        var port = admin.createPort(Map.of("network_id", net.id(), "fixed_ips", List.of(Map.of("subnet_id", second))));
        assertEquals(List.of(Map.of("subnet_id", second, "ip_address", "10.0.1.2")), port.get("fixed_ips"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPortOnADualStackNetworkGetsOneAddressOfEachVersion() {
        var net = newNetwork("10.0.0.0/24");
        String v6 = (String) admin.createSubnet(net.id(), "2001:db8:5::/64").get("id");
        var port = admin.createPort(Map.of("network_id", net.id()));
        assertEquals(List.of(Map.of("subnet_id", net.subnetId(), "ip_address", "10.0.0.2"), Map.of("subnet_id", v6, "ip_address", "2001:db8:5::2")),
                port.get("fixed_ips"));
    }

    @Test
    void aSubnetOfAnotherNetworkIsRejected() {
        var net = newNetwork("10.0.0.0/24");
        var other = newNetwork("10.0.0.0/24");
        var r = postPort(net.id(), Map.of("fixed_ips", List.of(Map.of("subnet_id", other.subnetId()))));
        assertEquals(400, r.status(), r.raw());
        assertEquals(List.of(), portIds("network_id=" + net.id()));
    }

    @Test
    void aTakenAddressIsAConflict() {
        var net = newNetwork("10.0.0.0/24");
        admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.50")));
        var r = postPort(net.id(), Map.of("fixed_ips", fixedIp("10.0.0.50")));
        assertEquals(409, r.status(), r.raw());
        assertEquals("IpAddressAlreadyAllocated", r.errorType());
        assertEquals(1, portIds("network_id=" + net.id()).size());
    }

    @Test
    void anAutomaticAddressNeverRepeatsARequestedOne() {
        var net = newNetwork("10.0.0.0/24");
        admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.2")));
        assertEquals("10.0.0.3", ipOf(admin.createPort(Map.of("network_id", net.id()))));
    }

    @Test
    void anAddressOutsideTheNetworksSubnetsIsRejected() {
        var net = newNetwork("10.0.0.0/24");
        var r = postPort(net.id(), Map.of("fixed_ips", fixedIp("10.0.1.5")));
        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidIpForNetwork", r.errorType());
    }

    @Test
    void anAddressOutsideTheRequestedSubnetIsRejected() {
        var net = newNetwork("10.0.0.0/24");
        var r = postPort(net.id(), Map.of("fixed_ips", List.of(Map.of("subnet_id", net.subnetId(), "ip_address", "10.0.1.5"))));
        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidIpForSubnet", r.errorType());
    }

    /** Neutron's ipam_utils.check_subnet_ip: an IPv4 port can never hold its subnet's network or broadcast address. */
    @Test
    void theNetworkAndBroadcastAddressesCannotBeRequested() {
        var net = newNetwork("10.0.0.0/24");
        for (String ip : List.of("10.0.0.0", "10.0.0.255")) {
            var r = postPort(net.id(), Map.of("fixed_ips", fixedIp(ip)));
            assertEquals(400, r.status(), ip + ": " + r.raw());
            assertEquals("InvalidIpForNetwork", r.errorType(), ip);
            var inSubnet = postPort(net.id(), Map.of("fixed_ips", List.of(Map.of("subnet_id", net.subnetId(), "ip_address", ip))));
            assertEquals(400, inSubnet.status(), ip + ": " + inSubnet.raw());
            assertEquals("InvalidIpForSubnet", inSubnet.errorType(), ip);
        }
        assertEquals(List.of(), portIds("network_id=" + net.id()));
    }

    @Test
    void anExhaustedPoolIsAnIpAddressGenerationFailure() {
        var net = newNetwork("10.0.0.0/29"); // pool .2-.6: five addresses
        Set<String> ips = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) ips.add(ipOf(admin.createPort(Map.of("network_id", net.id()))));
        assertEquals(Set.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"), ips);
        var r = postPort(net.id(), Map.of());
        assertEquals(409, r.status(), r.raw());
        assertEquals("IpAddressGenerationFailure", r.errorType());
    }

    @Test
    void aGivenMacAddressIsKeptInLowerCase() {
        var port = admin.createPort(Map.of("network_id", newNetwork("10.0.0.0/24").id(), "mac_address", "FA:16:3E:AA:BB:01"));
        assertEquals("fa:16:3e:aa:bb:01", port.get("mac_address"));
    }

    @Test
    void aMacAddressUsedInTheSameNetworkIsAConflict() {
        var net = newNetwork("10.0.0.0/24");
        admin.createPort(Map.of("network_id", net.id(), "mac_address", "fa:16:3e:aa:bb:02"));
        var r = postPort(net.id(), Map.of("mac_address", "FA-16-3E-AA-BB-02"));
        assertEquals(409, r.status(), r.raw());
        assertEquals("MacAddressInUse", r.errorType());
    }

    @Test
    void aMacAddressUsedInAnotherNetworkIsAllowed() {
        admin.createPort(Map.of("network_id", newNetwork("10.0.0.0/24").id(), "mac_address", "fa:16:3e:aa:bb:03"));
        var r = postPort(newNetwork("10.0.0.0/24").id(), Map.of("mac_address", "fa:16:3e:aa:bb:03"));
        assertEquals(201, r.status(), r.raw());
    }

    @Test
    void aMalformedOrMulticastMacAddressIsRejected() {
        var net = newNetwork("10.0.0.0/24");
        for (String mac : List.of("fa:16:3e:aa:bb", "fa:16:3e:aa:bb:zz", "fa16.3eaa.bb01", "01:00:5e:00:00:01", "00:00:00:00:00:00")) {
            var r = postPort(net.id(), Map.of("mac_address", mac));
            assertEquals(400, r.status(), mac + ": " + r.raw());
        }
        assertEquals(List.of(), portIds("network_id=" + net.id()));
    }

    @Test
    void portsOfOneNetworkGetDistinctMacs() {
        var net = newNetwork("10.0.0.0/24");
        var a = admin.createPort(Map.of("network_id", net.id()));
        var b = admin.createPort(Map.of("network_id", net.id()));
        assertNotEquals(a.get("mac_address"), b.get("mac_address"));
        assertTrue(((String) a.get("mac_address")).startsWith("fa:16:3e:"), (String) a.get("mac_address"));
    }

    @Test
    void deletingAPortFreesItsAddressAndMac() {
        var net = newNetwork("10.0.0.0/24");
        var port = admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.40"), "mac_address", "fa:16:3e:aa:bb:04"));
        assertEquals(204, admin.delete("/v2.0/ports/" + port.get("id")).status());
        assertEquals(404, admin.get("/v2.0/ports/" + port.get("id")).status());
        assertEquals("PortNotFound", admin.get("/v2.0/ports/" + port.get("id")).errorType());

        var again = postPort(net.id(), Map.of("fixed_ips", fixedIp("10.0.0.40"), "mac_address", "fa:16:3e:aa:bb:04"));
        assertEquals(201, again.status(), again.raw());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBulkCreateMakesEveryPortWithDistinctAddressesAndMacs() {
        var net = newNetwork("10.0.0.0/24");
        var r = admin.post("/v2.0/ports", Map.of("ports", List.of(Map.of("network_id", net.id(), "name", "b1"),
                Map.of("network_id", net.id(), "name", "b2"), Map.of("network_id", net.id(), "name", "b3"))));
        assertEquals(201, r.status(), r.raw());
        var ports = r.list("ports");
        assertEquals(List.of("b1", "b2", "b3"), ports.stream().map(p -> p.get("name")).toList());
        assertEquals(3, Set.copyOf(ports.stream().map(PortApiTest::ipOf).toList()).size(), r.raw());
        assertEquals(3, Set.copyOf(ports.stream().map(p -> p.get("mac_address")).toList()).size(), r.raw());
        assertEquals(Set.copyOf(ports.stream().map(p -> p.get("id")).toList()), Set.copyOf(portIds("network_id=" + net.id())));
    }

    @Test
    void aBulkCreateIsAllOrNothing() {
        var net = newNetwork("10.0.0.0/24");
        var existing = admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.30")));
        var r = admin.post("/v2.0/ports", Map.of("ports", List.of(
                Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.31"), "mac_address", "fa:16:3e:aa:bb:31"),
                Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.32"), "mac_address", "fa:16:3e:aa:bb:32"),
                Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.30")))));
        assertEquals(409, r.status(), r.raw());
        assertEquals("IpAddressAlreadyAllocated", r.errorType());
        assertEquals(List.of(existing.get("id")), portIds("network_id=" + net.id()));

        // The first two items' addresses and MACs were never kept: they can be taken now.
        for (String n : List.of("31", "32")) {
            var again = postPort(net.id(), Map.of("fixed_ips", fixedIp("10.0.0." + n), "mac_address", "fa:16:3e:aa:bb:" + n));
            assertEquals(201, again.status(), again.raw());
        }
    }

    @Test
    void aFailedBulkCreateLeavesAutomaticAddressesFree() {
        var net = newNetwork("10.0.0.0/29"); // pool .2-.6
        var r = admin.post("/v2.0/ports", Map.of("ports", List.of(Map.of("network_id", net.id()), Map.of("network_id", net.id()),
                Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.200")))));
        assertEquals(400, r.status(), r.raw());
        Set<String> ips = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) ips.add(ipOf(admin.createPort(Map.of("network_id", net.id()))));
        assertEquals(Set.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"), ips);
    }

    @Test
    void updatingFixedIpsReleasesTheOldAddress() {
        var net = newNetwork("10.0.0.0/24");
        var port = admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.60")));
        var r = admin.put("/v2.0/ports/" + port.get("id"), Map.of("port", Map.of("fixed_ips", fixedIp("10.0.0.61"))));
        assertEquals(200, r.status(), r.raw());
        assertEquals(List.of(Map.of("subnet_id", net.subnetId(), "ip_address", "10.0.0.61")), r.member("port").get("fixed_ips"));
        assertEquals(2, r.member("port").get("revision_number"));

        assertEquals(201, postPort(net.id(), Map.of("fixed_ips", fixedIp("10.0.0.60"))).status());
        assertEquals(409, postPort(net.id(), Map.of("fixed_ips", fixedIp("10.0.0.61"))).status());
    }

    @Test
    void updatingFixedIpsToATakenAddressFailsAndKeepsTheOldOne() {
        var net = newNetwork("10.0.0.0/24");
        admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.70")));
        var port = admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.71")));
        var r = admin.put("/v2.0/ports/" + port.get("id"), Map.of("port", Map.of("fixed_ips", fixedIp("10.0.0.70"))));
        assertEquals(409, r.status(), r.raw());
        assertEquals("10.0.0.71", ipOf(admin.get("/v2.0/ports/" + port.get("id")).member("port")));
        assertEquals(409, postPort(net.id(), Map.of("fixed_ips", fixedIp("10.0.0.71"))).status());
    }

    @Test
    void aNetworkWithPortsCannotBeDeleted() {
        var net = newNetwork("10.0.0.0/24");
        admin.createPort(Map.of("network_id", net.id()));
        var r = admin.delete("/v2.0/networks/" + net.id());
        assertEquals(409, r.status(), r.raw());
        assertEquals("NetworkInUse", r.errorType());
        assertEquals(200, admin.get("/v2.0/networks/" + net.id()).status());
    }

    @Test
    void aPortOnAMissingNetworkIsNotFound() {
        var r = postPort(UUID.randomUUID().toString(), Map.of());
        assertEquals(404, r.status(), r.raw());
        assertEquals("NetworkNotFound", r.errorType());
    }

    @Test
    void listFiltersByDeviceId() {
        var net = newNetwork("10.0.0.0/24");
        String device = "vm-" + UUID.randomUUID();
        var port = admin.createPort(Map.of("network_id", net.id(), "device_id", device));
        admin.createPort(Map.of("network_id", net.id(), "device_id", "vm-other-" + UUID.randomUUID()));
        assertEquals(List.of(port.get("id")), portIds("device_id=" + device));
    }

    @Test
    void anUpdatedDeviceIdIsFoundAndTheOldOneIsNot() {
        var net = newNetwork("10.0.0.0/24");
        String before = "vm-" + UUID.randomUUID(), after = "vm-" + UUID.randomUUID();
        var port = admin.createPort(Map.of("network_id", net.id(), "device_id", before));
        assertEquals(200, admin.put("/v2.0/ports/" + port.get("id"), Map.of("port", Map.of("device_id", after))).status());
        assertEquals(List.of(), portIds("device_id=" + before));
        assertEquals(List.of(port.get("id")), portIds("device_id=" + after));
    }

    @Test
    void listFiltersByHost() {
        var net = newNetwork("10.0.0.0/24");
        String host = "host-" + UUID.randomUUID();
        admin.registerHost(host, "192.0.2.10");
        var port = admin.createPort(Map.of("network_id", net.id(), "binding:host_id", host));
        admin.createPort(Map.of("network_id", net.id()));
        assertEquals(List.of(port.get("id")), portIds("binding:host_id=" + host));
    }

    @Test
    void listFiltersByNetworkId() {
        var net = newNetwork("10.0.0.0/24");
        var a = admin.createPort(Map.of("network_id", net.id()));
        var b = admin.createPort(Map.of("network_id", net.id()));
        admin.createPort(Map.of("network_id", newNetwork("10.0.0.0/24").id()));
        assertEquals(Set.of(a.get("id"), b.get("id")), Set.copyOf(portIds("network_id=" + net.id())));
    }

    @Test
    void listFiltersByFixedIpAddress() {
        var net = newNetwork("10.0.0.0/24");
        var wanted = admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.90")));
        admin.createPort(Map.of("network_id", net.id(), "fixed_ips", fixedIp("10.0.0.91")));
        admin.createPort(Map.of("network_id", newNetwork("10.0.0.0/24").id(), "fixed_ips", fixedIp("10.0.0.91")));
        assertEquals(List.of(wanted.get("id")), portIds("network_id=" + net.id() + "&fixed_ips=" + enc("ip_address=10.0.0.90")));
        assertEquals(2, portIds("fixed_ips=" + enc("ip_address=10.0.0.91")).size());
    }

    @Test
    void addressPairsWithoutPortSecurityAreAConflict() {
        var net = newNetwork("10.0.0.0/24");
        var r = postPort(net.id(), Map.of("port_security_enabled", false,
                "allowed_address_pairs", List.of(Map.of("ip_address", "10.0.0.250"))));
        assertEquals(409, r.status(), r.raw());
        assertEquals("AddressPairAndPortSecurityRequired", r.errorType());
        assertEquals(List.of(), portIds("network_id=" + net.id()));
    }

    @Test
    void anAddressPairWithoutAMacTakesThePortsMac() {
        var net = newNetwork("10.0.0.0/24");
        var port = admin.createPort(Map.of("network_id", net.id(), "allowed_address_pairs", List.of(Map.of("ip_address", "10.0.0.0/28"))));
        assertEquals(List.of(Map.of("ip_address", "10.0.0.0/28", "mac_address", port.get("mac_address"))), port.get("allowed_address_pairs"));
        assertEquals(true, port.get("port_security_enabled"));
    }
}
