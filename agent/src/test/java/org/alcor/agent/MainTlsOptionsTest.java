package org.alcor.agent;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's southbound is mutual TLS unless told otherwise, and says what it needs. */
class MainTlsOptionsTest {
    @Test
    void withoutCertificatesItRefusesToStartAndSaysHowToGetThem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Main.tls(Map.of("host-id", "compute-1")));
        assertTrue(e.getMessage().contains("--cert, --key and --ca") && e.getMessage().contains("bin/alcor host-cert compute-1"), e.getMessage());
    }

    @Test
    void insecureIsPlaintextAndContradictsCertificates() {
        assertNull(Main.tls(Map.of("southbound-insecure", "true")));
        assertThrows(IllegalArgumentException.class, () -> Main.tls(Map.of("southbound-insecure", "true", "cert", "/x")));
    }

    @Test
    void unreadableFilesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Main.tls(Map.of("cert", "/nonexistent/host.crt", "key", "/k", "ca", "/c")));
        assertTrue(e.getMessage().contains("/nonexistent/host.crt"), e.getMessage());
    }
}
