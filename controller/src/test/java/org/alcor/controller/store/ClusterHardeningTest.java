package org.alcor.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.alcor.controller.ClusterCommand;
import org.alcor.controller.pki.CertificateAuthority;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.TestController;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's cluster: its nodes authenticate each other with replica certificates (a plaintext node, a host's
 * certificate and another CA's replica are refused), and a persistent cluster goes active only when it may (a
 * first start waits for --initial-replicas nodes, a restart for its whole baseline, else for the operator's
 * {@code bin/alcor cluster activate}); the baseline never adjusts itself.
 */
class ClusterHardeningTest {
    private static final long DEADLINE_MS = 60_000;

    private Path dir, ca;
    private final int discoveryA = FreePorts.next(), discoveryB = FreePorts.next();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = TestController.createTempDir();
        ca = dir.resolve("pki");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // closed by the test already
            }
        }
        TestController.deleteRecursively(dir);
    }

    private StoreSettings node(String name, int discoveryPort, boolean persistent) {
        var s = new StoreSettings(dir.resolve(name), persistent, 128, name,
                List.of("127.0.0.1:" + discoveryA, "127.0.0.1:" + discoveryB), "127.0.0.1", discoveryPort, FreePorts.next(), 1, 10_000)
                .withClusterCa(ca);
        return persistent ? s : s.inMemory();
    }

    private IgniteStore start(StoreSettings settings) {
        IgniteStore store = IgniteStore.start(settings);
        opened.add(store);
        return store;
    }

    private CompletableFuture<IgniteStore> startInBackground(StoreSettings settings) {
        var future = CompletableFuture.supplyAsync(() -> IgniteStore.start(settings));
        opened.add(() -> future.thenAccept(IgniteStore::close).get(DEADLINE_MS, TimeUnit.MILLISECONDS));
        return future;
    }

    /** An Ignite node that is started and inactive: its store is waiting to be allowed to go active. */
    private static void awaitStartedAndInactive(String name) {
        await(() -> Ignition.state(name) == IgniteState.STARTED && Ignition.ignite(name).cluster().state() == ClusterState.INACTIVE,
                name + " started and inactive");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("not within " + DEADLINE_MS + " ms: " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A node that tries to join A alone, given up after a few seconds rather than Ignite's forever. */
    private static void assertCannotJoin(IgniteConfiguration config) {
        ((TcpDiscoverySpi) config.getDiscoverySpi()).setJoinTimeout(5_000);
        assertThrows(Exception.class, () -> Ignition.start(config).close(), config.getIgniteInstanceName() + " joined");
    }

    private IgniteConfiguration outsider(String name, ClusterTls tls) {
        var s = new StoreSettings(dir.resolve(name), false, 64, name, List.of("127.0.0.1:" + discoveryA), "127.0.0.1", discoveryB,
                FreePorts.next(), 1, 10_000);
        var config = IgniteStore.configuration(s);
        return tls == null ? config : config.setSslContextFactory(tls);
    }

    @Test
    void replicasJoinEachOtherOverMutualTlsAndNothingElseJoins() {
        IgniteStore a = start(node("replica-a", discoveryA, false));
        IgniteStore b = start(node("replica-b", discoveryB, false));
        assertEquals(2, a.ignite().cluster().forServers().nodes().size());
        b.close();
        await(() -> a.ignite().cluster().forServers().nodes().size() == 1, "A alone");

        var authority = CertificateAuthority.openOrCreate(ca);
        var host = authority.issueHost("compute-1");
        var otherCa = CertificateAuthority.openOrCreate(dir.resolve("other-pki"));
        var foreign = otherCa.issueReplica();

        assertCannotJoin(outsider("plaintext", null));
        assertCannotJoin(outsider("a-host", new ClusterTls(host.certificate(), host.key(), authority.certificate())));
        assertCannotJoin(outsider("another-ca", new ClusterTls(foreign.certificate(), foreign.key(), otherCa.certificate())));
        assertEquals(1, a.ignite().cluster().nodes().size(), "nobody else joined A's cluster");
    }

    @Test
    void aHostCertificateChainsToTheCaButIsNoReplica() throws Exception {
        var authority = CertificateAuthority.openOrCreate(ca);
        var replica = authority.issueReplica();
        var trust = new ClusterTls(replica.certificate(), replica.key(), authority.certificate()).trustManager();
        trust.checkClientTrusted(new java.security.cert.X509Certificate[] {replica.certificate(), authority.certificate()}, "ECDHE_ECDSA");
        var host = authority.issueHost("compute-1").certificate();
        var refused = assertThrows(java.security.cert.CertificateException.class,
                () -> trust.checkClientTrusted(new java.security.cert.X509Certificate[] {host, authority.certificate()}, "ECDHE_ECDSA"));
        assertTrue(refused.getMessage().contains("is not a controller replica"), refused.getMessage());
    }

    @Test
    void aFirstStartWaitsForItsReplicasAndARestartForItsBaselineOrTheOperator() throws Exception {
        StoreSettings settingsA = node("replica-a", discoveryA, true).withInitialReplicas(2);
        StoreSettings settingsB = node("replica-b", discoveryB, true).withInitialReplicas(2);
        var startingA = startInBackground(settingsA);
        awaitStartedAndInactive("replica-a");
        assertFalse(startingA.isDone(), "one node of --initial-replicas 2 did not activate a cluster of its own");

        IgniteStore b = start(settingsB);
        IgniteStore a = startingA.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        assertTrue(a.isReady() && b.isReady());
        assertEquals(2, a.ignite().cluster().currentBaselineTopology().size(), "the first two nodes are the baseline");
        assertFalse(a.ignite().cluster().isBaselineAutoAdjustEnabled());
        String id = "port-kept";
        var row = new StoredRow(id, "project-1", "net-1", "kept", null, null, false, 1, "{}".getBytes(StandardCharsets.UTF_8));
        a.transact(tx -> {
            tx.put(Table.PORTS, row);
            return null;
        });
        b.close();
        a.close();

        // A restart of A alone: its baseline names B, which is not back, so A waits for it or for the operator.
        var restartingA = startInBackground(settingsA);
        awaitStartedAndInactive("replica-a");
        assertFalse(restartingA.isDone());
        String activated;
        try (Ignite admin = IgniteStore.startClient(node("admin", discoveryB, false))) {
            activated = ClusterCommand.run("activate", admin.cluster());
        }
        IgniteStore restarted = restartingA.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        assertTrue(activated.contains("missing [replica-b]"), activated);
        assertEquals(row, restarted.get(Table.PORTS, id).orElseThrow(), "the backup copy on A serves what was written");
        assertEquals(2, restarted.ignite().cluster().currentBaselineTopology().size(), "B stays in the baseline while it is away");

        try (Ignite admin = IgniteStore.startClient(node("admin", discoveryB, false))) {
            String rebased = ClusterCommand.run("baseline", admin.cluster());
            assertTrue(rebased.contains("baseline [replica-a]"), rebased);
        }
    }
}
