package org.alcor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the southbound bench says when it cannot run: one plain line, no stack trace, no "null", exit 1. */
@Timeout(60)
class SouthboundBenchFailuresTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int bench(String... args) {
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"southbound", "--hosts", "2", "--ports-per-host", "1"}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() { return err.toString(StandardCharsets.UTF_8); }

    /** A port that nothing listens on: bound, noted, closed. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void assertPlain(String message) {
        assertFalse(message.contains("null"), message);
        assertFalse(message.contains("\tat "), message);
        assertEquals(1, message.strip().lines().count(), message);
    }

    @Test
    void nothingListeningAtTheUrlIsSaidPlainly() throws Exception {
        int port = freePort();
        assertEquals(1, bench("--url", "http://127.0.0.1:" + port));
        assertTrue(errors().contains("no controller answers at http://127.0.0.1:" + port + " (connection refused)"), errors());
        assertPlain(errors());
    }

    @Test
    void aSouthboundAddressThatRefusesConnectionsIsSaidPlainly() throws Exception {
        HttpServer api = server(200, "{\"networks\": []}");
        try {
            int port = freePort();
            assertEquals(1, bench("--url", "http://127.0.0.1:" + api.getAddress().getPort(), "--southbound", "127.0.0.1:" + port));
            assertTrue(errors().contains("nothing accepts connections at the southbound address 127.0.0.1:" + port + " (connection refused)"), errors());
            assertPlain(errors());
        } finally {
            api.stop(0);
        }
    }

    @Test
    void anHttpErrorIsReportedWithItsStatusAndBody() throws Exception {
        String body = "{\"NeutronError\": {\"type\": \"Boom\", \"message\": \"store is down\", \"detail\": \"\"}}";
        HttpServer api = server(503, body);
        try {
            assertEquals(1, bench("--url", "http://127.0.0.1:" + api.getAddress().getPort()));
            assertTrue(errors().contains("HTTP 503 " + body), errors());
            assertPlain(errors());
        } finally {
            api.stop(0);
        }
    }

    /** Answers every request with the same status and body. */
    private static HttpServer server(int status, String body) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> {
            try (ex) {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status, b.length);
                ex.getResponseBody().write(b);
            }
        });
        s.start();
        return s;
    }
}
