package org.alcor.controller.api;

/**
 * Where the REST API listens and how much it accepts; and the ops listener (liveness, readiness and Prometheus
 * metrics without a token, for the machine's scraper), loopback by default, none when opsPort is negative.
 */
public record ApiSettings(String host, int port, int maxBodyBytes, String opsHost, int opsPort) {
    /** The API alone, no ops listener (tests, several controllers in one JVM). */
    public ApiSettings(String host, int port, int maxBodyBytes) { this(host, port, maxBodyBytes, "127.0.0.1", -1); }

    public static ApiSettings defaults() { return new ApiSettings("127.0.0.1", 9696, 16 << 20, "127.0.0.1", 9698); }

    public boolean opsListener() { return opsPort >= 0; }
}
