package org.alcor.controller.ipavailability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Network IP availability: pool sizes and allocated addresses per network and subnet, for admins. */
class IpAvailabilityApiTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> subnetsOf(Map<String, Object> availability) {
        return (List<Map<String, Object>>) availability.get("subnet_ip_availability");
    }

    @Test
    void aNetworkShowsTotalAndUsedAddressesPerSubnet() {
        String net = (String) admin.createNetwork(Map.of("name", "avail")).get("id");
        String v4 = (String) admin.createSubnet(net, "10.30.0.0/24").get("id");
        admin.createSubnet(net, "2001:db8:30::/64");
        for (int i = 0; i < 3; i++) admin.createPort(Map.of("network_id", net));

        var r = admin.get("/v2.0/network-ip-availabilities/" + net);
        assertEquals(200, r.status(), r.raw());
        Map<String, Object> availability = r.member("network_ip_availability");
        assertEquals(net, availability.get("network_id"));
        assertEquals("avail", availability.get("network_name"));
        assertEquals(6, ((Number) availability.get("used_ips")).intValue(), "each port has an IPv4 and an IPv6 address");
        Map<String, Object> ipv4 = subnetsOf(availability).stream().filter(s -> v4.equals(s.get("subnet_id"))).findFirst().orElseThrow();
        assertEquals(253, ((Number) ipv4.get("total_ips")).intValue(), "10.30.0.2 - 10.30.0.254");
        assertEquals(3, ((Number) ipv4.get("used_ips")).intValue());
        assertEquals("10.30.0.0/24", ipv4.get("cidr"));
        assertEquals(4, ipv4.get("ip_version"));
        Map<String, Object> ipv6 = subnetsOf(availability).stream().filter(s -> !v4.equals(s.get("subnet_id"))).findFirst().orElseThrow();
        assertEquals(new java.math.BigInteger("18446744073709551614"), new java.math.BigInteger(ipv6.get("total_ips").toString()));
    }

    @Test
    void theListFiltersByNetworkAndIpVersionAndReleasedAddressesAreFreeAgain() {
        String net = (String) admin.createNetwork(Map.of("name", "avail-list")).get("id");
        admin.createSubnet(net, "10.31.0.0/28");
        String port = (String) admin.createPort(Map.of("network_id", net)).get("id");
        var listed = admin.get("/v2.0/network-ip-availabilities?network_id=" + net + "&ip_version=4").list("network_ip_availabilities");
        assertEquals(1, listed.size(), listed::toString);
        assertEquals(13, ((Number) listed.getFirst().get("total_ips")).intValue());
        assertEquals(1, ((Number) listed.getFirst().get("used_ips")).intValue());
        assertEquals(0, admin.get("/v2.0/network-ip-availabilities?network_id=" + net + "&ip_version=6").list("network_ip_availabilities").size());

        assertEquals(204, admin.delete("/v2.0/ports/" + port).status());
        assertEquals(0, ((Number) admin.get("/v2.0/network-ip-availabilities/" + net).member("network_ip_availability").get("used_ips")).intValue());
    }

    @Test
    void aNonAdminSeesNoAvailabilityAndAnUnknownNetworkIsNotFound() {
        NeutronClient member = controller.project("avail-member");
        String net = (String) member.createNetwork(Map.of("name", "mine")).get("id");
        assertEquals(List.of(), member.get("/v2.0/network-ip-availabilities").list("network_ip_availabilities"));
        assertEquals(404, member.get("/v2.0/network-ip-availabilities/" + net).status());
        assertEquals(404, admin.get("/v2.0/network-ip-availabilities/" + java.util.UUID.randomUUID()).status());
        assertEquals(405, admin.post("/v2.0/network-ip-availabilities", Map.of()).status());
    }
}
