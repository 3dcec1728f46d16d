package org.alcor.controller.southbound;

/**
 * The goal-state service: where agents connect; how many goal states a host may have unacknowledged (the window:
 * past it, the host's changes wait in its delivery state, coalesced, instead of in buffers); the largest message
 * (a bigger snapshot goes in parts); the VPC size up to which neighbours are pushed to every host (above it, hosts
 * ask on demand); and how long a disconnected host's delivery state is kept for a reconnect that can resume.
 */
public record SouthboundSettings(String host, int port, int window, int maxMessageBytes, int neighborPushLimit,
                                 long sessionExpiryMs) {
    public static SouthboundSettings defaults(String host, int port) {
        return new SouthboundSettings(host, port, 4, 1 << 20, 10_000, 300_000);
    }

    public SouthboundSettings withNeighborPushLimit(int limit) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, limit, sessionExpiryMs);
    }

    public SouthboundSettings withWindow(int window) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs);
    }

    public SouthboundSettings withMaxMessageBytes(int bytes) {
        return new SouthboundSettings(host, port, window, bytes, neighborPushLimit, sessionExpiryMs);
    }
}
