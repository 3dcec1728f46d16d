package org.alcor.controller.southbound;

/**
 * The goal-state service: where agents connect; how many goal states a host may have unacknowledged (the window:
 * past it, the host's changes wait in its delivery state, coalesced, instead of in buffers); the largest message
 * (a bigger snapshot goes in parts); the VPC size up to which neighbours are pushed to every host (above it, hosts
 * ask on demand); how long a disconnected host's delivery state is kept for a reconnect that can resume; and the
 * directory of the CA that authenticates hosts (mutual TLS, each host's certificate naming it), or null for a
 * plaintext, unauthenticated lab southbound ({@code --southbound-insecure}); and the MQ path, or null without
 * {@code --kafka}.
 */
public record SouthboundSettings(String host, int port, int window, int maxMessageBytes, int neighborPushLimit,
                                 long sessionExpiryMs, java.nio.file.Path caDir, MqSettings mq, String advertise,
                                 boolean partitioned, int reconcileSeconds) {
    /** Agents accept messages up to 16 MiB; a budget below a few KiB could not hold one port's states. */
    public static final int MAX_MESSAGE_BYTES = 16 << 20, MIN_MESSAGE_BYTES = 1 << 10;

    public SouthboundSettings {
        if (window < 1) throw new IllegalArgumentException("--southbound-window must be at least 1, not " + window);
        if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("--southbound-max-message-bytes must be between " + MIN_MESSAGE_BYTES + " and "
                    + MAX_MESSAGE_BYTES + ", not " + maxMessageBytes);
        }
        if (reconcileSeconds < 0) throw new IllegalArgumentException("--reconcile-seconds must be 0 (off) or more, not " + reconcileSeconds);
        if (neighborPushLimit < 0) throw new IllegalArgumentException("--neighbor-push-limit must be 0 or more, not " + neighborPushLimit);
    }

    /** Advertised as host:port (the bound address). */
    public SouthboundSettings(String host, int port, int window, int maxMessageBytes, int neighborPushLimit, long sessionExpiryMs,
                              java.nio.file.Path caDir, MqSettings mq) {
        this(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, caDir, mq, null, true, 60);
    }

    /** Plaintext, as tests that are not about the southbound's security use it. */
    public SouthboundSettings(String host, int port, int window, int maxMessageBytes, int neighborPushLimit, long sessionExpiryMs) {
        this(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, null, null);
    }

    /** The defaults without a CA (plaintext); the command line adds the data directory's CA unless told not to. */
    public static SouthboundSettings defaults(String host, int port) {
        return new SouthboundSettings(host, port, 4, 1 << 20, 10_000, 300_000);
    }

    public boolean secure() { return caDir != null; }

    /** Mutual TLS with the CA kept in dir (created there on first start); null: plaintext. */
    public SouthboundSettings withCa(java.nio.file.Path dir) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, dir, mq, advertise, partitioned, reconcileSeconds);
    }

    /** Serves hosts over Kafka too (the MQ path); null: gRPC only. */
    public SouthboundSettings withMq(MqSettings settings) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, caDir, settings, advertise, partitioned, reconcileSeconds);
    }

    public SouthboundSettings withNeighborPushLimit(int limit) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, limit, sessionExpiryMs, caDir, mq, advertise, partitioned, reconcileSeconds);
    }

    public SouthboundSettings withWindow(int window) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, caDir, mq, advertise, partitioned, reconcileSeconds);
    }

    public SouthboundSettings withMaxMessageBytes(int bytes) {
        return new SouthboundSettings(host, port, window, bytes, neighborPushLimit, sessionExpiryMs, caDir, mq, advertise, partitioned, reconcileSeconds);
    }

    /** The host:port other replicas send this one's hosts to (what agents dial); null: the bound host and port. */
    public SouthboundSettings withAdvertise(String hostPort) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, caDir, mq, hostPort, partitioned, reconcileSeconds);
    }

    /**
     * partitioned (the default): each host is served by the replica that owns it and sent there by the others;
     * false: any replica serves whichever hosts connect to it (as before partitioning; every replica then computes
     * for the hosts that chose it).
     */
    public SouthboundSettings withPartitioned(boolean on) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, caDir, mq, advertise, on, reconcileSeconds);
    }

    /**
     * How often each served host is reconciled (0: never): its agent's digest compared with what it was sent, and
     * its desired state recomputed and compared with what it was sent (docs/architecture.md, Reconciliation).
     */
    public SouthboundSettings withReconcileSeconds(int seconds) {
        return new SouthboundSettings(host, port, window, maxMessageBytes, neighborPushLimit, sessionExpiryMs, caDir, mq, advertise, partitioned, seconds);
    }
}
