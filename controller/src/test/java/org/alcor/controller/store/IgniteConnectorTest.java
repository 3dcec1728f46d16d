package org.alcor.controller.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.TestStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Ignite's thin-client/JDBC connector has no authentication of its own (whoever reaches it reads and writes every
 * table past the API): it is off unless asked for, and then answers on the configured local address only.
 */
class IgniteConnectorTest {
    private static final int IGNITE_DEFAULT_CLIENT_PORT = 10800;

    private static boolean canBindEverywhere(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void connect(String address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(address), port), 2_000);
        }
    }

    @Test
    void theConnectorIsOffByDefault() {
        // Another process on this shared machine may hold Ignite's default port; then this test cannot tell.
        Assumptions.assumeTrue(canBindEverywhere(IGNITE_DEFAULT_CLIENT_PORT), "port 10800 is taken by another process");
        try (TestStore store = TestStore.start()) {
            assertTrue(store.store() != null);
            assertTrue(canBindEverywhere(IGNITE_DEFAULT_CLIENT_PORT), "a started store left Ignite's client port free on every address");
        }
    }

    @Test
    void whenAskedForItListensOnTheLocalAddressOnly() throws IOException {
        int port = FreePorts.next();
        try (TestStore store = TestStore.start(s -> s.withClientPort(port))) {
            assertTrue(store.store() != null);
            connect("127.0.0.1", port);
            // 127.0.0.2 is loopback too: a wildcard bind would accept there.
            assertThrows(ConnectException.class, () -> connect("127.0.0.2", port), "nothing answers on another address");
        }
    }
}
