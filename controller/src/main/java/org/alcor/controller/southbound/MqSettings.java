package org.alcor.controller.southbound;

import org.alcor.southbound.mq.MqLayout;

/**
 * The MQ southbound ({@code --kafka}): the layout of clusters, topics and partitions, and which path serves a host.
 * {@code grpc}: every host on its Connect stream (Kafka unused for goal states, but agents that connect over it are
 * moved back). {@code mq}: every agent that reads MQ is moved to Kafka once its first snapshot is acknowledged.
 * {@code auto}: hosts stay on gRPC while at most {@code grpcMaxHosts} are (the controller's fan-out bound); past it,
 * the excess moves to Kafka, and back once the count falls under 90% of it. A move not completed within
 * {@code moveTimeoutMs} is rolled back; a host is not asked again for {@code retryAfterMs}.
 */
public record MqSettings(MqLayout layout, Mode mode, int grpcMaxHosts, long moveTimeoutMs, long retryAfterMs) {
    public enum Mode { GRPC, MQ, AUTO }

    public MqSettings {
        if (grpcMaxHosts < 0) throw new IllegalArgumentException("--grpc-max-hosts must be 0 or more, not " + grpcMaxHosts);
        if (moveTimeoutMs < 100) throw new IllegalArgumentException("--path-move-timeout-ms must be at least 100, not " + moveTimeoutMs);
    }

    public static MqSettings of(MqLayout layout, Mode mode) { return new MqSettings(layout, mode, 5_000, 5_000, 30_000); }

    public static Mode mode(String name) {
        return switch (name) {
            case "grpc" -> Mode.GRPC;
            case "mq" -> Mode.MQ;
            case "auto" -> Mode.AUTO;
            default -> throw new IllegalArgumentException("--southbound-path is grpc, mq or auto, not '" + name + "'");
        };
    }
}
