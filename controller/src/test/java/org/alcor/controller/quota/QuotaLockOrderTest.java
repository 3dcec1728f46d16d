package org.alcor.controller.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ports of two projects created at once on many networks: every write lane's batches mix both projects, so they
 * take both quota rows and both default groups. Taken in batch order, two lanes would hold them crosswise and
 * wait out the 10 s transaction time-out; locked first in one global order, nothing waits.
 */
class QuotaLockOrderTest {
    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    @Test
    void concurrentPortsOfTwoProjectsOnManyNetworksAllSucceedWithoutLockTimeouts() throws Exception {
        NeutronClient admin = controller.admin();
        List<String> networks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = (String) admin.createNetwork(Map.of("name", "lock-" + i, "shared", true)).get("id");
            admin.createSubnet(id, "10.8" + i + ".0.0/24");
            networks.add(id);
        }
        List<NeutronClient> projects = List.of(controller.project("lock-a"), controller.project("lock-b"));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        long started = System.nanoTime();
        try {
            List<Future<NeutronClient.Response>> results = new ArrayList<>();
            for (int i = 0; i < 320; i++) {
                NeutronClient client = projects.get(i % 2);
                String net = networks.get((i / 2) % networks.size());
                results.add(pool.submit(() -> client.post("/v2.0/ports", Map.of("port", Map.of("network_id", net)))));
            }
            for (var f : results) assertEquals(201, f.get().status(), () -> "port create failed");
        } finally {
            pool.shutdown();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // A single lock time-out costs 10 s; 320 ports take about a second here.
        assertTrue(took.compareTo(Duration.ofSeconds(9)) < 0, "took " + took);
        for (NeutronClient client : projects) assertEquals(160, client.get("/v2.0/ports").list("ports").size());
    }
}
