package org.alcor.controller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.api.ApiSettings;
import org.alcor.controller.auth.KeystoneSettings;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.southbound.SouthboundSettings;
import org.alcor.controller.store.IgniteStore;
import org.alcor.controller.store.StoreSettings;

/**
 * A real controller (real Ignite with persistence, real HTTP) in the test JVM, on free ports and a temporary
 * data directory that is deleted on close. Its Ignite discovery lists only its own port: it forms a cluster of one.
 */
public final class TestController implements AutoCloseable {
    private final Path dataDir;
    private final ControllerApp app;
    private final NeutronClient admin;

    private TestController(Path dataDir, ControllerApp app) {
        this.dataDir = dataDir;
        this.app = app;
        this.admin = new NeutronClient(baseUrl(), null);
        // Router and floating-IP tests make dozens in the noauth admin project, past Neutron's defaults (10 and
        // 50); quota tests use projects of their own. Under Keystone this answers 401 and changes nothing.
        admin.put("/v2.0/quotas/fake_project_id", java.util.Map.of("quota", java.util.Map.of("router", -1, "floatingip", -1)));
    }

    public static TestController start() { return start(createTempDir(), new ValueRange(1, 16_777_215)); }

    public static TestController start(Path dataDir, ValueRange vniRange) {
        return new TestController(dataDir, ControllerApp.start(config(dataDir, vniRange, FreePorts.next())));
    }

    /** A controller that authenticates callers with Keystone (X-Auth-Token) instead of noauth. */
    public static TestController start(KeystoneSettings keystone) {
        Path dir = createTempDir();
        return new TestController(dir, ControllerApp.start(config(dir, new ValueRange(1, 16_777_215), FreePorts.next()).withKeystone(keystone)));
    }

    /** A controller whose southbound flow-controls and pushes neighbours as the settings say. */
    public static TestController start(SouthboundSettings southbound) {
        Path dir = createTempDir();
        var c = config(dir, new ValueRange(1, 16_777_215), FreePorts.next());
        return new TestController(dir, ControllerApp.start(new ControllerConfig(c.api(), c.store(), southbound, c.vniRange(),
                c.macPrefix(), c.writeLanes(), c.maxBatch(), c.auth())));
    }

    /** A controller whose dataplane engine calls faults at every round: a test makes the engine fail there. */
    public static TestController start(DataplaneEngine.Faults faults) {
        Path dir = createTempDir();
        var c = config(dir, new ValueRange(1, 16_777_215), FreePorts.next());
        return new TestController(dir, ControllerApp.start(c, IgniteStore.start(c.store()), faults));
    }

    public static ControllerConfig config(Path dataDir, ValueRange vniRange, int apiPort) {
        int discovery = FreePorts.next();
        var store = new StoreSettings(dataDir, true, 256, "alcor-test-" + discovery, List.of("127.0.0.1:" + discovery),
                "127.0.0.1", discovery, FreePorts.next(), 0, 10_000);
        return new ControllerConfig(new ApiSettings("127.0.0.1", apiPort, 16 << 20), store, SouthboundSettings.defaults("127.0.0.1", 0),
                vniRange, "fa:16:3e", 4, 1024, "noauth");
    }

    public static Path createTempDir() {
        try {
            return Files.createTempDirectory("alcor-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() { return "http://127.0.0.1:" + app.port(); }

    /** A client acting as admin (no X-Project-Id, as Neutron's noauth). */
    public NeutronClient admin() { return admin; }

    /** A client sending the given Keystone token (for a controller started with Keystone settings). */
    public NeutronClient withToken(String token) { return NeutronClient.withToken(baseUrl(), token); }

    /** A client acting as a member of the given project. */
    public NeutronClient project(String projectId) { return new NeutronClient(baseUrl(), projectId); }

    public ControllerApp app() { return app; }

    @Override
    public void close() {
        app.close();
        deleteRecursively(dataDir);
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
