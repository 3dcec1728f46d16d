package org.alcor.controller.southbound;

/**
 * The goal-state service: where agents connect, how long an unacknowledged goal state waits before it is sent
 * again, how many a disconnected host may miss before it needs a full snapshot, and the VPC size up to which
 * neighbors are pushed to every host (above it, hosts ask on demand).
 */
public record SouthboundSettings(String host, int port, long resendAfterMs, int maxUnacked, int neighborPushLimit,
                                 long sessionExpiryMs) {
    public static SouthboundSettings defaults(String host, int port) {
        return new SouthboundSettings(host, port, 5_000, 1_000, 10_000, 300_000);
    }
}
