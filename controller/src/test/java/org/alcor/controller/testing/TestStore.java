package org.alcor.controller.testing;

import java.nio.file.Path;
import java.util.List;
import org.alcor.controller.store.IgniteStore;
import org.alcor.controller.store.StoreSettings;

/**
 * A real {@link IgniteStore} with native persistence on a temporary directory and free loopback ports (a
 * cluster of one), deleted on close. {@link #reopen()} restarts the node on the same directory and identity,
 * as a restarted controller would.
 */
public final class TestStore implements AutoCloseable {
    private final StoreSettings settings;
    private IgniteStore store;

    private TestStore(StoreSettings settings) {
        this.settings = settings;
        this.store = IgniteStore.start(settings);
    }

    public static TestStore start() { return start(s -> s); }

    /** A store whose settings are the test's defaults changed as given (WAL mode, client connector). */
    public static TestStore start(java.util.function.UnaryOperator<StoreSettings> change) {
        Path dir = TestController.createTempDir();
        int discovery = FreePorts.next();
        try {
            return new TestStore(change.apply(new StoreSettings(dir, true, 128, "alcor-store-test-" + discovery,
                    List.of("127.0.0.1:" + discovery), "127.0.0.1", discovery, FreePorts.next(), 0, 10_000)));
        } catch (RuntimeException e) {
            TestController.deleteRecursively(dir);
            throw e;
        }
    }

    public IgniteStore store() { return store; }

    /** Stops the node and starts it again on the same data directory and consistent id. */
    public IgniteStore reopen() {
        store.close();
        store = null;
        store = IgniteStore.start(settings);
        return store;
    }

    @Override
    public void close() {
        try {
            if (store != null) store.close();
        } finally {
            TestController.deleteRecursively(settings.dataDir());
        }
    }
}
