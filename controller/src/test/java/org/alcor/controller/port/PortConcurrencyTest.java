package org.alcor.controller.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.NeutronClient.Response;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many clients creating and deleting ports on one network at once, over HTTP, on a real controller: every
 * acknowledged port has its own address and MAC, and deleting them all gives every address back.
 */
class PortConcurrencyTest {
    private static final int THREADS = 64;
    /** 64 × 47 = 3,008 ports: most of a /20's pool of 4,093 addresses, without exhausting it. */
    private static final int PORTS_PER_THREAD = 47;
    /** Generous: the machine is small and shared; the work itself takes seconds. */
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    private static TestController controller;
    private static NeutronClient client;

    @BeforeAll
    static void start() {
        controller = TestController.start();
        client = controller.admin();
        // Thousands of ports in one project: over Neutron's default quota of 500, lifted as an operator would.
        var r = client.put("/v2.0/quotas/fake_project_id", Map.of("quota", Map.of("port", -1)));
        assertEquals(200, r.status(), r.raw());
    }

    @AfterAll
    static void stop() {
        if (controller != null) controller.close();
    }

    private record NetworkWithSubnet(String networkId, String subnetId) {}

    private static NetworkWithSubnet newNetworkWithSubnet(String name, String cidr) {
        String networkId = (String) client.createNetwork(Map.of("name", name)).get("id");
        return new NetworkWithSubnet(networkId, (String) client.createSubnet(networkId, cidr).get("id"));
    }

    @SuppressWarnings("unchecked")
    private static String ipOf(Map<String, Object> port) {
        var fixedIps = (List<Map<String, Object>>) port.get("fixed_ips");
        assertEquals(1, fixedIps.size(), () -> "one address expected: " + port);
        return (String) fixedIps.getFirst().get("ip_address");
    }

    /**
     * Runs {@code threads} workers that start together; each returns a list of results. Fails if they are not
     * all done before the deadline.
     */
    private static <T> List<T> runConcurrently(int threads, IntFunction<List<T>> worker) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads), go = new CountDownLatch(1);
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return worker.apply(index);
                }));
            }
            assertTrue(ready.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "workers did not start");
            go.countDown();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            List<T> all = new ArrayList<>();
            for (Future<List<T>> f : futures) {
                try {
                    all.addAll(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a worker failed", e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("workers not done within " + DEADLINE);
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static void assertAllHaveStatus(int status, List<Response> responses) {
        List<String> unexpected = responses.stream().filter(r -> r.status() != status)
                .map(r -> r.status() + " " + r.raw()).limit(5).toList();
        assertTrue(unexpected.isEmpty(), () -> unexpected.size() + "+ responses were not " + status + ", e.g. " + unexpected);
    }

    @Test
    void concurrentCreatesGetUniqueAddressesAndMacsAndDeletingThemAllLeaksNothing() throws InterruptedException {
        NetworkWithSubnet created = newNetworkWithSubnet("concurrent-ports", "10.40.0.0/20");
        String networkId = created.networkId();
        int total = THREADS * PORTS_PER_THREAD;

        List<Response> creates = runConcurrently(THREADS, t -> {
            List<Response> mine = new ArrayList<>();
            for (int i = 0; i < PORTS_PER_THREAD; i++) {
                mine.add(client.post("/v2.0/ports", Map.of("port", Map.of("network_id", networkId, "name", "p-" + t + "-" + i))));
            }
            return mine;
        });

        assertEquals(total, creates.size());
        assertAllHaveStatus(201, creates);
        List<Map<String, Object>> ports = creates.stream().map(r -> r.member("port")).toList();
        Set<String> ids = new HashSet<>(), ips = new HashSet<>(), macs = new HashSet<>();
        for (Map<String, Object> p : ports) {
            ids.add((String) p.get("id"));
            ips.add(ipOf(p));
            macs.add((String) p.get("mac_address"));
        }
        assertEquals(total, ids.size(), "port ids are not unique");
        assertEquals(total, ips.size(), "an IP address was given to two ports");
        assertEquals(total, macs.size(), "a MAC address was given to two ports");

        Response listed = client.get("/v2.0/ports?network_id=" + networkId);
        assertEquals(200, listed.status(), listed.raw());
        assertEquals(ids, new HashSet<>(listed.list("ports").stream().map(p -> (String) p.get("id")).toList()));
        assertEquals(ips, new HashSet<>(listed.list("ports").stream().map(PortConcurrencyTest::ipOf).toList()));

        List<String> idList = List.copyOf(ids);
        List<Response> deletes = runConcurrently(THREADS, t -> {
            List<Response> mine = new ArrayList<>();
            for (int i = t; i < idList.size(); i += THREADS) mine.add(client.delete("/v2.0/ports/" + idList.get(i)));
            return mine;
        });

        assertEquals(total, deletes.size());
        assertAllHaveStatus(204, deletes);
        Response empty = client.get("/v2.0/ports?network_id=" + networkId);
        assertEquals(List.of(), empty.list("ports"));
        // Every address went back to the pool: a new port gets the pool's first address again.
        Map<String, Object> fresh = client.createPort(Map.of("network_id", networkId));
        assertEquals("10.40.0.2", ipOf(fresh));
        var ipam = new IpAllocator(new BitmapAllocator());
        long allocated = controller.app().store().transact(tx -> ipam.allocatedCount(tx, created.subnetId()));
        assertEquals(1, allocated, "addresses still allocated besides the fresh port's");
    }

    @Test
    void concurrentRequestsForTheSameAddressGiveItToExactlyOnePort() throws InterruptedException {
        String networkId = newNetworkWithSubnet("same-address", "10.41.0.0/24").networkId();
        var body = Map.of("port", Map.of("network_id", networkId, "fixed_ips", List.of(Map.of("ip_address", "10.41.0.77"))));

        List<Response> responses = runConcurrently(32, t -> List.of(client.post("/v2.0/ports", body)));

        List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        List<Response> refused = responses.stream().filter(r -> r.status() != 201).toList();
        assertEquals(1, created.size(), () -> "created: " + created.stream().map(Response::raw).toList());
        assertAllHaveStatus(409, refused);
        assertTrue(refused.stream().allMatch(r -> "IpAddressAlreadyAllocated".equals(r.errorType())),
                () -> refused.stream().map(Response::raw).distinct().toList().toString());
        assertEquals("10.41.0.77", ipOf(created.getFirst().member("port")));
        assertEquals(1, client.get("/v2.0/ports?network_id=" + networkId).list("ports").size());
    }
}
