package org.alcor.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * The controller as a separate process on one data directory, stopped by kill -9 or by SIGTERM and started
 * again: everything it acknowledged is still there, unchanged, and allocation carries on from the stored state
 * (no address, MAC or VNI handed out twice, none lost).
 */
class RestartTest {
    private static final Duration READY_DEADLINE = ControllerProcess.READY_DEADLINE;
    /** A /28: the gateway is .1, so the pool is .2-.14, 13 addresses. */
    private static final String CIDR = "10.50.0.0/28";
    private static final int POOL_SIZE = 13;
    /** Ports per bulk request of the kill-during-creates case: a bulk is all there after the kill, or not at all. */
    private static final int BULK = 4;

    private Path dir;
    private ControllerProcess running;
    private int starts;
    private final StringBuilder transcript = new StringBuilder();

    /** Prints the controllers' output when a test fails; their logs are deleted with the directory. */
    @RegisterExtension
    final TestWatcher printOutputOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.err.println("---- controller output of " + context.getDisplayName() + " ----\n" + transcript);
        }
    };

    @BeforeEach
    void createDataDir() { dir = TestController.createTempDir(); }

    @AfterEach
    void stopAndClean() {
        try {
            if (running != null) running.kill();
        } finally {
            running = null;
            TestController.deleteRecursively(dir);
        }
    }

    private ControllerProcess start(String nodeName) throws IOException, InterruptedException {
        int discovery = FreePorts.next(), comm = FreePorts.next();
        running = new ControllerProcess(dir.resolve("controller-" + (++starts) + ".log"), transcript, List.of(
                "--data-dir", dir.resolve("data").toString(), "--node-name", nodeName,
                "--cluster", "127.0.0.1:" + discovery, "--discovery-port", Integer.toString(discovery),
                "--comm-port", Integer.toString(comm), "--store-memory-mb", "256", "--ops-port", "-1"));
        return running.awaitReady();
    }

    /** What the controller acknowledged: each resource as read back, and the addresses its ports hold. */
    private record Acknowledged(String networkId, String subnetId, Map<String, Map<String, Object>> byPath,
                                List<String> portIds, Set<String> ips, Set<String> macs) {}

    /** A network, a /28 subnet and 10 ports: 7 created one by one and 3 in one bulk request. */
    private static Acknowledged createTenPorts(NeutronClient client) {
        String networkId = (String) client.createNetwork(Map.of("name", "survivor")).get("id");
        String subnetId = (String) client.createSubnet(networkId, CIDR).get("id");
        List<Map<String, Object>> ports = new ArrayList<>();
        for (int i = 0; i < 7; i++) ports.add(client.createPort(Map.of("network_id", networkId, "name", "single-" + i)));
        List<Map<String, Object>> bulk = new ArrayList<>();
        for (int i = 0; i < 3; i++) bulk.add(Map.of("network_id", networkId, "name", "bulk-" + i));
        Response r = client.post("/v2.0/ports", Map.of("ports", bulk));
        assertEquals(201, r.status(), r.raw());
        ports.addAll(r.list("ports"));

        Map<String, Map<String, Object>> byPath = new LinkedHashMap<>();
        byPath.put("/v2.0/networks/" + networkId, null);
        byPath.put("/v2.0/subnets/" + subnetId, null);
        List<String> portIds = new ArrayList<>();
        Set<String> ips = new HashSet<>(), macs = new HashSet<>();
        for (Map<String, Object> p : ports) {
            portIds.add((String) p.get("id"));
            byPath.put("/v2.0/ports/" + p.get("id"), p);
            ips.add(ipOf(p));
            macs.add((String) p.get("mac_address"));
        }
        assertEquals(10, ips.size(), "addresses of acknowledged ports: " + ips);
        assertEquals(10, macs.size(), "MACs of acknowledged ports: " + macs);
        // Read everything back before the restart: that is the state that must survive, byte for byte.
        for (String path : List.copyOf(byPath.keySet())) byPath.put(path, show(client, path));
        return new Acknowledged(networkId, subnetId, byPath, portIds, ips, macs);
    }

    private static Map<String, Object> show(NeutronClient client, String path) {
        Response r = client.get(path);
        assertEquals(200, r.status(), () -> path + ": " + r.raw());
        return r.json();
    }

    @SuppressWarnings("unchecked")
    private static String ipOf(Map<String, Object> port) {
        var fixedIps = (List<Map<String, Object>>) port.get("fixed_ips");
        assertEquals(1, fixedIps.size(), () -> "one address expected: " + port);
        return (String) fixedIps.getFirst().get("ip_address");
    }

    private static void assertUnchanged(NeutronClient client, Acknowledged before) {
        before.byPath().forEach((path, body) -> assertEquals(body, show(client, path), path + " changed across the restart"));
        List<Map<String, Object>> listed = client.get("/v2.0/ports?network_id=" + before.networkId()).list("ports");
        assertEquals(Set.copyOf(before.portIds()), new HashSet<>(listed.stream().map(p -> (String) p.get("id")).toList()));
    }

    /** The pool has exactly 3 addresses left, all unused; a freed address is handed out again. */
    private static void assertAllocationResumes(NeutronClient client, Acknowledged before) {
        Set<String> taken = new HashSet<>(before.ips());
        Set<String> macs = new HashSet<>(before.macs());
        for (int i = 0; i < POOL_SIZE - before.ips().size(); i++) {
            Map<String, Object> port = client.createPort(Map.of("network_id", before.networkId()));
            assertTrue(taken.add(ipOf(port)), () -> "address handed out twice: " + ipOf(port));
            assertTrue(macs.add((String) port.get("mac_address")), () -> "MAC handed out twice: " + port.get("mac_address"));
        }
        Response full = client.post("/v2.0/ports", Map.of("port", Map.of("network_id", before.networkId())));
        assertEquals(409, full.status(), full.raw());
        assertEquals("IpAddressGenerationFailure", full.errorType());

        String victim = before.portIds().get(3);
        @SuppressWarnings("unchecked")
        String freed = ipOf((Map<String, Object>) before.byPath().get("/v2.0/ports/" + victim).get("port"));
        assertEquals(204, client.delete("/v2.0/ports/" + victim).status());
        assertEquals(freed, ipOf(client.createPort(Map.of("network_id", before.networkId()))));
    }

    @Test
    void everythingAcknowledgedSurvivesKillDashNineAndAllocationCarriesOn() throws Exception {
        String node = "alcor-restart-kill";
        Acknowledged before = createTenPorts(start(node).client);

        running.kill();
        NeutronClient client = start(node).client;

        assertUnchanged(client, before);
        assertAllocationResumes(client, before);
    }

    @Test
    void everythingAcknowledgedSurvivesAGracefulStopAndANewNetworkGetsAnUnusedVni() throws Exception {
        String node = "alcor-restart-term";
        NeutronClient first = start(node).client;
        Acknowledged before = createTenPorts(first);
        Map<String, Object> second = first.createNetwork(Map.of("name", "second"));
        var network = (Map<?, ?>) before.byPath().get("/v2.0/networks/" + before.networkId()).get("network");
        Set<Object> vnis = Set.of(network.get("provider:segmentation_id"), second.get("provider:segmentation_id"));
        assertEquals(2, vnis.size(), "two networks, two VNIs: " + vnis);

        running.stop();
        NeutronClient client = start(node).client;

        assertUnchanged(client, before);
        assertEquals(second, show(client, "/v2.0/networks/" + second.get("id")).get("network"));
        Object vni = client.createNetwork(Map.of("name", "after-restart")).get("provider:segmentation_id");
        assertFalse(vnis.contains(vni), () -> "VNI " + vni + " is already used by " + vnis);
        assertAllocationResumes(client, before);
    }

    @Test
    void aKillDuringConcurrentSingleAndBulkCreatesLosesNoAcknowledgedPortLeavesNoPartialBulkAndLeaksNoAddress() throws Exception {
        String node = "alcor-restart-busy";
        NeutronClient before = start(node).client;
        String networkId = (String) before.createNetwork(Map.of("name", "busy")).get("id");
        before.createSubnet(networkId, "10.51.0.0/24"); // pool .2-.254: 253 addresses
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // port id -> address
        List<String> unexpected = new CopyOnWriteArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            // Four writers of single ports (25 each) and four of bulks of BULK ports (9 each): 244 of the 253 addresses.
            for (int t = 0; t < 8; t++) {
                int writer = t;
                boolean bulk = t % 2 == 1;
                writers.submit(() -> {
                    for (int i = 0; i < (bulk ? 9 : 25); i++) {
                        List<Map<String, Object>> ports = new ArrayList<>();
                        for (int k = 0; k < (bulk ? BULK : 1); k++) {
                            ports.add(Map.of("network_id", networkId, "name", "w" + writer + "-" + i + (bulk ? "-bulk" : "")));
                        }
                        Response r;
                        try {
                            r = before.post("/v2.0/ports", bulk ? Map.of("ports", ports) : Map.of("port", ports.getFirst()));
                        } catch (UncheckedIOException killed) {
                            return; // no answer: not acknowledged, may or may not exist
                        }
                        if (r.status() != 201) {
                            unexpected.add(r.status() + " " + r.raw());
                            continue;
                        }
                        for (Map<String, Object> port : bulk ? r.list("ports") : List.of(r.member("port"))) {
                            if (port.get("fixed_ips") instanceof List<?> ips && ips.size() == 1) acknowledged.put((String) port.get("id"), ipOf(port));
                            else unexpected.add("not one address: " + r.raw());
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
            while (acknowledged.size() < 60 && System.nanoTime() < deadline && unexpected.isEmpty()) Thread.sleep(5);
            assertTrue(acknowledged.size() >= 60, "writers did not get going: " + unexpected);

            running.kill();
        } finally {
            writers.shutdown();
            assertTrue(writers.awaitTermination(2, TimeUnit.MINUTES), "writers still running after the kill");
        }
        assertEquals(List.of(), unexpected);
        NeutronClient client = start(node).client;

        Map<String, String> listed = new HashMap<>();
        Set<String> macs = new HashSet<>();
        Map<String, Integer> bulks = new HashMap<>(); // a bulk's name -> its ports that exist
        for (Map<String, Object> p : client.get("/v2.0/ports?network_id=" + networkId).list("ports")) {
            listed.put((String) p.get("id"), ipOf(p));
            assertTrue(macs.add((String) p.get("mac_address")), () -> "MAC on two ports: " + p.get("mac_address"));
            if (((String) p.get("name")).endsWith("-bulk")) bulks.merge((String) p.get("name"), 1, Integer::sum);
        }
        bulks.forEach((name, n) -> assertEquals(BULK, n, "bulk " + name + " survived in part"));
        acknowledged.forEach((id, ip) -> assertEquals(ip, listed.get(id), "acknowledged port " + id));
        assertEquals(listed.size(), new HashSet<>(listed.values()).size(), "an address is on two ports: " + listed);
        // Every address not on a surviving port is free again: one held by a lost write would be missing here.
        Set<String> ips = new HashSet<>(listed.values());
        Response r;
        while ((r = client.post("/v2.0/ports", Map.of("port", Map.of("network_id", networkId)))).status() == 201) {
            String ip = ipOf(r.member("port"));
            assertTrue(ips.add(ip), () -> "address handed out twice: " + ip);
        }
        assertEquals("IpAddressGenerationFailure", r.errorType(), r.raw());
        assertEquals(253, ips.size(), () -> listed.size() + " ports survived the kill");
    }
}
