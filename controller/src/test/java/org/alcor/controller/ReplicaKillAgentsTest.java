package org.alcor.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.testing.Await;
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
 * Three replicas (separate processes, one Ignite cluster, one backup) serving agents partitioned over them, under
 * port creates bound to those agents' hosts; one replica is killed with kill -9. Its hosts find their new owners
 * through the addresses they were given (how long that took is printed: docs/reliability.md), no acknowledged port
 * is lost, and every host converges to exactly its ports and its VPC's neighbours as the store has them.
 * Plaintext southbound: the simulated agents would each need their own certificate otherwise.
 */
class ReplicaKillAgentsTest {
    private static final int HOSTS = 45, WRITERS = 4, BEFORE_KILL = 90, AFTER_KILL = 90;

    private Path dir;
    private final List<ControllerProcess> replicas = new ArrayList<>();
    private final StringBuilder transcript = new StringBuilder();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final List<SimulatedAgent> agents = new ArrayList<>();

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
            agents.forEach(SimulatedAgent::close);
            channels.values().forEach(ManagedChannel::shutdownNow);
            for (ControllerProcess r : replicas) if (r.isAlive()) r.kill();
        } finally {
            TestController.deleteRecursively(dir);
        }
    }

    private ManagedChannel dial(String address) {
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forAddress(a.substring(0, a.lastIndexOf(':')),
                Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))).usePlaintext().directExecutor().build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> liveReplicas(NeutronClient c) { return (Map<String, String>) c.get("/southbound/hosts").json().get("replicas"); }

    @SuppressWarnings("unchecked")
    private static Set<String> connectedHosts(NeutronClient c) {
        Set<String> out = new HashSet<>();
        try {
            for (Map<String, Object> h : (List<Map<String, Object>>) c.get("/southbound/hosts").json().get("hosts")) {
                if (Boolean.TRUE.equals(h.get("connected"))) out.add((String) h.get("host_id"));
            }
        } catch (UncheckedIOException gone) {
            // a replica that just died answers nothing
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String ipOf(Map<String, Object> port) {
        return (String) ((List<Map<String, Object>>) port.get("fixed_ips")).getFirst().get("ip_address");
    }

    @Test
    void theHostsOfAKilledReplicaMoveToTheOthersAndConverge() throws Exception {
        int[] discovery = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
        String cluster = "127.0.0.1:" + discovery[0] + ",127.0.0.1:" + discovery[1] + ",127.0.0.1:" + discovery[2];
        for (int i = 0; i < 3; i++) {
            replicas.add(new ControllerProcess(dir.resolve("replica-" + i + ".log"), transcript, List.of("--data-dir", dir.resolve("data-" + i).toString(),
                    "--node-name", "replica-" + i, "--southbound-insecure", "--cluster", cluster, "--discovery-port", Integer.toString(discovery[i]),
                    "--comm-port", Integer.toString(FreePorts.next()), "--backups", "1", "--initial-replicas", "3", "--store-memory-mb", "192",
                    "--ops-port", "-1")));
        }
        for (ControllerProcess r : replicas) r.awaitReady();
        NeutronClient first = replicas.getFirst().client;
        Map<String, String> live = Await.value("all three replicas announced", () -> liveReplicas(first), m -> m.size() == 3);
        List<String> addresses = List.copyOf(new TreeMap<>(live).values());

        for (int i = 0; i < HOSTS; i++) {
            var agent = new SimulatedAgent(dial(addresses.get(i % 3)), "kill-host-" + i, "192.0.2." + (i + 1), null).replicas(addresses, this::dial);
            agents.add(agent.connect());
        }
        Await.until("every host served by its owner", () -> {
            int served = 0;
            for (ControllerProcess r : replicas) served += connectedHosts(r.client).size();
            return served == HOSTS && agents.stream().allMatch(a -> a.appliedVersion() > 0);
        });
        Set<String> onKilled = connectedHosts(replicas.get(2).client);
        assertTrue(!onKilled.isEmpty() && onKilled.size() < HOSTS, "the killed replica serves a share: " + onKilled.size());

        String networkId = (String) first.createNetwork(Map.of("name", "replicated")).get("id");
        first.createSubnet(networkId, "10.53.0.0/16");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();   // port id -> host
        Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean(), stop = new AtomicBoolean();
        AtomicInteger afterKill = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        long killedAt, movedAfterNanos;
        try {
            for (int t = 0; t < WRITERS; t++) {
                int writer = t;
                writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        int replica = (writer + i) % 3;
                        if (killed.get() && replica == 2) continue;
                        boolean wasKilled = killed.get();
                        String host = "kill-host-" + Math.floorMod(writer * 7919 + i * 31, HOSTS);
                        Response r;
                        try {
                            r = replicas.get(replica).client.post("/v2.0/ports", Map.of("port", Map.of("network_id", networkId, "binding:host_id", host)));
                        } catch (UncheckedIOException noAnswer) {
                            refusals.computeIfAbsent("replica-" + replica + ": no answer", k -> new AtomicInteger()).incrementAndGet();
                            continue;
                        }
                        if (r.status() == 201) {
                            acknowledged.put((String) r.member("port").get("id"), host);
                            if (wasKilled) afterKill.incrementAndGet();
                        } else {
                            refusals.computeIfAbsent("replica-" + replica + ": " + r.status() + " " + r.errorType(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                });
            }
            Await.until("ports acknowledged before the kill", java.time.Duration.ofMinutes(3), () -> acknowledged.size() >= BEFORE_KILL);
            killed.set(true);
            killedAt = System.nanoTime();
            replicas.get(2).kill();
            Await.until("the killed replica's hosts connected to the survivors", java.time.Duration.ofMinutes(2), () -> {
                Set<String> served = connectedHosts(replicas.get(0).client);
                served.addAll(connectedHosts(replicas.get(1).client));
                return served.containsAll(onKilled);
            });
            movedAfterNanos = System.nanoTime() - killedAt;
            Await.until("ports acknowledged by the survivors after the kill", java.time.Duration.ofMinutes(3), () -> afterKill.get() >= AFTER_KILL);
        } finally {
            stop.set(true);
            writers.shutdown();
            assertTrue(writers.awaitTermination(2, TimeUnit.MINUTES), "writers still running");
        }

        // Converged: every host holds exactly the ports the store binds to it, and every address of the VPC.
        Set<String> expectedNeighbors = new HashSet<>();
        Map<String, Set<String>> portsOf = new ConcurrentHashMap<>();
        for (Map<String, Object> p : first.get("/v2.0/ports?network_id=" + networkId).list("ports")) {
            expectedNeighbors.add(networkId + "/" + ipOf(p));
            portsOf.computeIfAbsent((String) p.get("binding:host_id"), h -> new HashSet<>()).add((String) p.get("id"));
        }
        acknowledged.forEach((id, host) -> assertTrue(portsOf.getOrDefault(host, Set.of()).contains(id), "acknowledged port " + id + " of " + host));
        long convergeStarted = System.nanoTime();
        Await.until("every host holds its ports and the VPC's neighbours", java.time.Duration.ofMinutes(2), () -> agents.stream().allMatch(a ->
                a.state().keys("port").equals(portsOf.getOrDefault(a.hostId(), Set.of())) && a.state().keys("neighbor").equals(expectedNeighbors)));
        long redirects = agents.stream().mapToLong(SimulatedAgent::redirects).sum(), failovers = agents.stream().mapToLong(SimulatedAgent::failovers).sum();
        System.out.printf("ReplicaKillAgentsTest: %d hosts (%d on the killed replica); %d ports acknowledged (%d after the kill); the killed replica's "
                        + "hosts connected to their new owners %d ms after the kill; all converged %d ms after the writes stopped; %d redirects, "
                        + "%d failovers; refused or unanswered: %s%n", HOSTS, onKilled.size(), acknowledged.size(), afterKill.get(),
                movedAfterNanos / 1_000_000, (System.nanoTime() - convergeStarted) / 1_000_000, redirects, failovers, new TreeMap<>(refusals));
        assertEquals(2, liveReplicas(first).size(), "the survivors see two replicas");
        for (int i = 0; i < 2; i++) {
            String how = replicas.get(i).client.get("/metrics").raw().lines().filter(l -> l.startsWith("alcor_southbound_attaches_total"))
                    .map(l -> l.replaceAll(".*how=\"([a-z]+)\".* ([0-9.]+)$", "$1=$2")).sorted().toList().toString();
            System.out.println("ReplicaKillAgentsTest: replica-" + i + " attached streams " + how);
        }
    }
}
