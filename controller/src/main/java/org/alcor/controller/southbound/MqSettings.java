package org.alcor.controller.southbound;

import org.alcor.southbound.mq.MqLayout;

/**
 * The MQ southbound ({@code --kafka}): the layout of clusters, topics and partitions, and which path serves a host.
 * {@code grpc}: every host on its Connect stream (Kafka unused for goal states, but agents that connect over it are
 * moved back). {@code mq}: every agent that reads MQ is moved to Kafka once its first snapshot is acknowledged.
 * {@code auto}: hosts stay on gRPC while at most {@code grpcMaxHosts} are (the controller's fan-out bound); past it,
 * the excess moves to Kafka, and back once the count falls under 90% of it. A move not completed within
 * {@code moveTimeoutMs} is rolled back; a host is not asked again for {@code retryAfterMs}. Idle agents on the path
 * say they are alive every 2 s, or less often so that all of them together write at most {@code heartbeatsPerSecond}
 * records (at most one a minute each).
 */
public record MqSettings(MqLayout layout, Mode mode, int grpcMaxHosts, long moveTimeoutMs, long retryAfterMs, int heartbeatsPerSecond) {
    public enum Mode { GRPC, MQ, AUTO }

    public static final int DEFAULT_HEARTBEATS_PER_SECOND = 2_000;
    static final long MIN_HEARTBEAT_MILLIS = 2_000, MAX_HEARTBEAT_MILLIS = 60_000;

    public MqSettings {
        if (grpcMaxHosts < 0) throw new IllegalArgumentException("--grpc-max-hosts must be 0 or more, not " + grpcMaxHosts);
        if (moveTimeoutMs < 100) throw new IllegalArgumentException("--path-move-timeout-ms must be at least 100, not " + moveTimeoutMs);
        if (heartbeatsPerSecond < 1) throw new IllegalArgumentException("--mq-heartbeats-per-second must be at least 1, not " + heartbeatsPerSecond);
    }

    public MqSettings(MqLayout layout, Mode mode, int grpcMaxHosts, long moveTimeoutMs, long retryAfterMs) {
        this(layout, mode, grpcMaxHosts, moveTimeoutMs, retryAfterMs, DEFAULT_HEARTBEATS_PER_SECOND);
    }

    public static MqSettings of(MqLayout layout, Mode mode) { return new MqSettings(layout, mode, 5_000, 5_000, 30_000); }

    /** The heartbeat interval for agents when this many hosts are on the path: within the budget, 2 s to 60 s. */
    public long heartbeatMillis(int hostsOnPath) {
        long spread = (long) Math.ceil(hostsOnPath * 1000.0 / heartbeatsPerSecond);
        return Math.clamp(spread, MIN_HEARTBEAT_MILLIS, MAX_HEARTBEAT_MILLIS);
    }

    public static Mode mode(String name) {
        return switch (name) {
            case "grpc" -> Mode.GRPC;
            case "mq" -> Mode.MQ;
            case "auto" -> Mode.AUTO;
            default -> throw new IllegalArgumentException("--southbound-path is grpc, mq or auto, not '" + name + "'");
        };
    }
}
