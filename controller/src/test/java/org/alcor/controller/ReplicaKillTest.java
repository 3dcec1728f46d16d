package org.alcor.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.alcor.controller.testing.ControllerProcess;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.NeutronClient.Response;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Three controller replicas (separate processes, one persistent Ignite cluster over mutual TLS, one backup of every
 * partition) under port creates spread over all three; one is killed with kill -9. The other two go on serving, and
 * every port any replica acknowledged, before or after the kill, is there with its own address and MAC, on the
 * survivors and on the killed replica once it is back.
 */
class ReplicaKillTest {
    private static final int WRITERS = 6, BEFORE_KILL = 150, AFTER_KILL = 150;

    private Path dir;
    private final List<ControllerProcess> replicas = new ArrayList<>();
    private final List<List<String>> options = new ArrayList<>();
    private final StringBuilder transcript = new StringBuilder();

    @RegisterExtension
    final TestWatcher printOutputOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.err.println("---- replicas' output ----\n" + transcript);
        }
    };

    @BeforeEach
    void setUp() { dir = TestController.createTempDir(); }

    @AfterEach
    void tearDown() {
        try {
            for (ControllerProcess r : replicas) if (r.isAlive()) r.kill();
        } finally {
            TestController.deleteRecursively(dir);
        }
    }

    private void startReplicas() throws Exception {
        // One CA directory for the region, empty: the replicas starting at once must agree on the one CA they create.
        Path ca = dir.resolve("pki");
        int[] discovery = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
        String cluster = "127.0.0.1:" + discovery[0] + ",127.0.0.1:" + discovery[1] + ",127.0.0.1:" + discovery[2];
        for (int i = 0; i < 3; i++) {
            options.add(List.of("--data-dir", dir.resolve("data-" + i).toString(), "--node-name", "replica-" + i, "--southbound-ca", ca.toString(),
                    "--cluster", cluster, "--discovery-port", Integer.toString(discovery[i]), "--comm-port", Integer.toString(FreePorts.next()),
                    "--backups", "1", "--initial-replicas", "3", "--store-memory-mb", "192", "--ops-port", "-1"));
            replicas.add(new ControllerProcess(dir.resolve("replica-" + i + ".log"), transcript, options.get(i)));
        }
        for (ControllerProcess r : replicas) r.awaitReady();
    }

    @SuppressWarnings("unchecked")
    private static String ipOf(Map<String, Object> port) {
        return (String) ((List<Map<String, Object>>) port.get("fixed_ips")).getFirst().get("ip_address");
    }

    @Test
    void killingOneOfThreeReplicasUnderLoadLosesNoAcknowledgedPort() throws Exception {
        startReplicas();
        NeutronClient first = replicas.getFirst().client;
        String networkId = (String) first.createNetwork(Map.of("name", "replicated")).get("id");
        first.createSubnet(networkId, "10.52.0.0/16");

        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // port id -> address
        Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>(); // "replica: status" -> count
        AtomicBoolean killed = new AtomicBoolean(), stop = new AtomicBoolean();
        AtomicInteger afterKill = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        long killedAt;
        try {
            for (int t = 0; t < WRITERS; t++) {
                int writer = t;
                writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        int replica = (writer + i) % 3;
                        if (killed.get() && replica == 2) continue;
                        boolean wasKilled = killed.get();
                        Response r;
                        try {
                            r = replicas.get(replica).client.post("/v2.0/ports", Map.of("port", Map.of("network_id", networkId)));
                        } catch (UncheckedIOException noAnswer) {
                            refusals.computeIfAbsent("replica-" + replica + ": no answer", k -> new AtomicInteger()).incrementAndGet();
                            continue; // not acknowledged: may or may not exist
                        }
                        if (r.status() == 201) {
                            acknowledged.put((String) r.member("port").get("id"), ipOf(r.member("port")));
                            if (wasKilled) afterKill.incrementAndGet();
                        } else {
                            refusals.computeIfAbsent("replica-" + replica + ": " + r.status() + " " + r.errorType(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    }
                });
            }
            awaitCount(() -> acknowledged.size(), BEFORE_KILL, "ports acknowledged before the kill");
            killed.set(true);
            killedAt = System.nanoTime();
            replicas.get(2).kill();
            awaitCount(afterKill::get, AFTER_KILL, "ports acknowledged by the two survivors after the kill");
        } finally {
            stop.set(true);
            writers.shutdown();
            assertTrue(writers.awaitTermination(2, TimeUnit.MINUTES), "writers still running");
        }
        System.out.printf("ReplicaKillTest: %d ports acknowledged (%d after the kill, %.1f s after it), refused or unanswered: %s%n",
                acknowledged.size(), afterKill.get(), (System.nanoTime() - killedAt) / 1e9, new TreeMap<>(refusals));

        // The killed replica comes back on its data directory: it rejoins the cluster it is in the baseline of.
        replicas.set(2, new ControllerProcess(dir.resolve("replica-2-restarted.log"), transcript, options.get(2)).awaitReady());
        for (ControllerProcess replica : replicas) {
            Map<String, String> listed = new HashMap<>();
            Set<String> macs = new HashSet<>();
            for (Map<String, Object> p : replica.client.get("/v2.0/ports?network_id=" + networkId).list("ports")) {
                listed.put((String) p.get("id"), ipOf(p));
                assertTrue(macs.add((String) p.get("mac_address")), () -> "MAC on two ports: " + p.get("mac_address"));
            }
            acknowledged.forEach((id, ip) -> assertEquals(ip, listed.get(id), "acknowledged port " + id));
            assertEquals(listed.size(), new HashSet<>(listed.values()).size(), "an address is on two ports");
        }
    }

    private static void awaitCount(java.util.function.IntSupplier count, int atLeast, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (count.getAsInt() < atLeast) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + count.getAsInt() + " of " + atLeast + " " + what);
            Thread.sleep(20);
        }
    }
}
