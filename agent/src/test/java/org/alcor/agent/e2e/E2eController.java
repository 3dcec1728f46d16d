package org.alcor.agent.e2e;

import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;

import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.api.ApiSettings;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.pki.CertificateAuthority;
import org.alcor.agent.southbound.SouthboundTlsFiles;
import org.alcor.controller.southbound.SouthboundSettings;
import org.alcor.controller.store.StoreSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real controller in the test JVM (what the controller module's TestController does; its test classes are not
 * on this class path): Ignite with persistence in a temporary directory that close() deletes, the REST API on a
 * free loopback port (the directory also holds {@link #scratchDir()}), the goal-state service on another (port 0: the OS picks it). Its Ignite discovery lists only
 * its own free port, so it never joins another engineer's test cluster.
 */
final class E2eController implements AutoCloseable {
    private final Path dataDir;
    private final ControllerApp app;
    /** A JVM that exits without close() (a failed or killed test run) still deletes the store directory. */
    private final Thread hook;
    final NeutronClient admin;

    private E2eController(Path dataDir, ControllerApp app) {
        this.dataDir = dataDir;
        this.app = app;
        this.admin = new NeutronClient(baseUrl(), null);
        this.hook = new Thread(() -> TestController.deleteRecursively(dataDir), "e2e-controller-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A controller as the command line starts it: the southbound is mutual TLS, with its CA in the store's directory. */
    static E2eController start() { return start(SouthboundSettings.defaults("127.0.0.1", 0), true); }

    /** A controller whose southbound (window, message size, neighbour push limit) is as given: plaintext. */
    static E2eController start(SouthboundSettings southbound) { return start(southbound, false); }

    private static E2eController start(SouthboundSettings southbound, boolean secure) {
        Path dir;
        try {
            dir = Files.createTempDirectory("alcor-e2e-");
            Files.createDirectories(dir.resolve("scratch"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (secure) southbound = southbound.withCa(dir.resolve("pki"));
        int discovery = FreePorts.next();
        var store = new StoreSettings(dir.resolve("store"), true, 256, "alcor-e2e-" + discovery, List.of("127.0.0.1:" + discovery),
                "127.0.0.1", discovery, FreePorts.next(), 0, 10_000);
        var config = new ControllerConfig(new ApiSettings("127.0.0.1", FreePorts.next(), 16 << 20), store,
                southbound, new ValueRange(1, 16_777_215), "fa:16:3e", 4, 1024, "noauth");
        try {
            return new E2eController(dir, ControllerApp.start(config));
        } catch (RuntimeException e) {
            TestController.deleteRecursively(dir);
            throw e;
        }
    }

    /**
     * A host's southbound certificate, key and the CA, issued as {@code bin/alcor host-cert} issues them (a secure
     * controller only).
     */
    SouthboundTlsFiles credentials(String hostId) {
        Path out = scratchDir().resolve("certs").resolve(hostId);
        var ca = CertificateAuthority.openOrCreate(dataDir.resolve("pki"));
        ca.writeHost(ca.issueHost(hostId), out);
        return new SouthboundTlsFiles(out.resolve("host.crt"), out.resolve("host.key"), out.resolve("ca.crt"));
    }

    /** A directory for the test's own files (CLI output), deleted with the store. */
    Path scratchDir() { return dataDir.resolve("scratch"); }

    String baseUrl() { return "http://127.0.0.1:" + app.port(); }

    int southboundPort() { return app.southboundPort(); }

    @Override public void close() {
        try {
            app.close();
        } finally {
            TestController.deleteRecursively(dataDir);
            try { Runtime.getRuntime().removeShutdownHook(hook); } catch (IllegalStateException ignored) { /* shutting down */ }
        }
    }

}
