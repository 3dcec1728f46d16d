package org.alcor.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients racing over HTTP on a real controller (different routers run in different write lanes, so only the
 * store's locks keep them apart): one subnet ends on one router, one address in one floating IP, and concurrent
 * interface adds on one router lose none.
 */
class RouterConcurrencyTest {
    private static final int CLIENTS = 12;

    private static TestController controller;
    private static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    private static List<NeutronClient.Response> race(IntFunction<NeutronClient.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<NeutronClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(n);
                }));
            }
            go.countDown();
            List<NeutronClient.Response> out = new ArrayList<>();
            for (Future<NeutronClient.Response> f : futures) out.add(f.get(2, TimeUnit.MINUTES));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String routerId() { return (String) admin.post("/v2.0/routers", Map.of("router", Map.of())).member("router").get("id"); }

    private static String subnet(String cidr) {
        String net = (String) admin.createNetwork(Map.of("name", "n")).get("id");
        return (String) admin.createSubnet(net, cidr).get("id");
    }

    @Test
    void oneSubnetRacedOntoManyRoutersEndsOnExactlyOne() throws Exception {
        String subnetId = subnet("10.130.0.0/24");
        List<String> routers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) routers.add(routerId());

        var results = race(i -> admin.put("/v2.0/routers/" + routers.get(i) + "/add_router_interface", Map.of("subnet_id", subnetId)));

        assertEquals(1, results.stream().filter(r -> r.status() == 200).count(), results.toString());
        assertTrue(results.stream().allMatch(r -> r.status() == 200 || r.status() == 409), results.toString());
        assertEquals(1, admin.get("/v2.0/ports?device_owner=network:router_interface&fixed_ips=subnet_id%3D" + subnetId).list("ports").size());
    }

    /**
     * A port create locks its network, then the subnets; an interface add must too, or the two deadlock and wait for
     * the store's 10 s lock timeout before a retry. So every round must finish well inside that timeout.
     */
    @Test
    void portCreatesRacingAnInterfaceAddOnTheirNetworkNeverWaitForALockTimeout() throws Exception {
        for (int round = 0; round < 5; round++) {
            String net = (String) admin.createNetwork(Map.of("name", "n")).get("id");
            String subnetId = (String) admin.createSubnet(net, "10.133." + round + ".0/24").get("id");
            String router = routerId();
            long started = System.nanoTime();

            var results = race(i -> i == 0 ? admin.put("/v2.0/routers/" + router + "/add_router_interface", Map.of("subnet_id", subnetId))
                    : admin.post("/v2.0/ports", Map.of("port", Map.of("network_id", net))));

            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue(results.stream().allMatch(r -> r.status() == 200 || r.status() == 201), results.toString());
            assertTrue(ms < 8_000, "round " + round + " took " + ms + " ms");
        }
    }

    @Test
    void interfacesAddedConcurrentlyToOneRouterAreAllKept() throws Exception {
        String id = routerId();
        List<String> subnets = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) subnets.add(subnet("10.131." + i + ".0/24"));

        var results = race(i -> admin.put("/v2.0/routers/" + id + "/add_router_interface", Map.of("subnet_id", subnets.get(i))));

        assertTrue(results.stream().allMatch(r -> r.status() == 200), results.toString());
        assertEquals(CLIENTS, admin.get("/v2.0/ports?device_id=" + id).list("ports").size());
        var removed = admin.put("/v2.0/routers/" + id + "/remove_router_interface", Map.of("subnet_id", subnets.getFirst()));
        assertEquals(200, removed.status(), removed.raw());
        assertEquals(409, admin.delete("/v2.0/routers/" + id).status());
    }

    @Test
    void manyFloatingIpsRacingForOneFixedIpLeaveItWithExactlyOne() throws Exception {
        String ext = (String) admin.createNetwork(Map.of("name", "ext", "router:external", true)).get("id");
        admin.createSubnet(ext, "198.24.0.0/24");
        String net = (String) admin.createNetwork(Map.of("name", "int")).get("id");
        String subnetId = (String) admin.createSubnet(net, "10.132.0.0/24").get("id");
        String router = (String) admin.post("/v2.0/routers", Map.of("router", Map.of("external_gateway_info", Map.of("network_id", ext))))
                .member("router").get("id");
        admin.put("/v2.0/routers/" + router + "/add_router_interface", Map.of("subnet_id", subnetId));
        Object port = admin.createPort(Map.of("network_id", net)).get("id");
        List<String> fips = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            fips.add((String) admin.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", ext))).member("floatingip").get("id"));
        }

        var results = race(i -> admin.put("/v2.0/floatingips/" + fips.get(i), Map.of("floatingip", Map.of("port_id", port))));

        assertEquals(1, results.stream().filter(r -> r.status() == 200).count(), results.toString());
        assertTrue(results.stream().allMatch(r -> r.status() == 200 || "FloatingIPPortAlreadyAssociated".equals(r.errorType())), results.toString());
        assertEquals(1, admin.get("/v2.0/floatingips?port_id=" + port).list("floatingips").size());
        assertEquals(1, new RouterTopology(controller.app().store()).routerOfSubnet(subnetId).orElseThrow().floatingIpIds().size());
    }

    @Test
    void oneRequestedFloatingAddressRacedByManyClientsIsAllocatedOnce() throws Exception {
        String ext = (String) admin.createNetwork(Map.of("name", "ext", "router:external", true)).get("id");
        admin.createSubnet(ext, "198.19.0.0/24");

        var results = race(i -> admin.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", ext,
                "floating_ip_address", "198.19.0.42"))));
        var automatic = race(i -> admin.post("/v2.0/floatingips", Map.of("floatingip", Map.of("floating_network_id", ext))));

        assertEquals(1, results.stream().filter(r -> r.status() == 201).count(), results.toString());
        assertTrue(automatic.stream().allMatch(r -> r.status() == 201), automatic.toString());
        Set<Object> addresses = new HashSet<>();
        automatic.forEach(r -> addresses.add(r.member("floatingip").get("floating_ip_address")));
        addresses.add("198.19.0.42");
        assertEquals(CLIENTS + 1, addresses.size());
    }
}
