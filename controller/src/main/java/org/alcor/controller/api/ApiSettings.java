package org.alcor.controller.api;

/** Where the REST API listens and how much it accepts. */
public record ApiSettings(String host, int port, int maxBodyBytes) {
    public static ApiSettings defaults() { return new ApiSettings("127.0.0.1", 9696, 16 << 20); }
}
