package org.alcor.controller.store;

import java.nio.file.Path;
import java.util.List;

/**
 * How to run the embedded Ignite node.
 *
 * @param dataDir        where native persistence (and Ignite's work files) live
 * @param persistent     false keeps everything in memory (tests of pure logic, benchmarks of the API path)
 * @param memoryMb       off-heap data region size
 * @param nodeName       stable consistent id: a restarted node must find its own persistence files
 * @param discovery      static discovery addresses of every cluster member (host:port or host:from..to)
 * @param localAddress   the address this node binds; must appear in {@code discovery} or start-up waits forever
 * @param discoveryPort  first discovery port this node tries
 * @param commPort       first communication port this node tries
 * @param backups        backup copies of every partition (>= 1 in a cluster for HA)
 * @param txTimeoutMs    a transaction still waiting for locks after this is rolled back and retried
 * @param walMode        LOG_ONLY (survives a process kill: the OS holds the log), FSYNC (survives power loss: every
 *                       commit waits for the disk) or BACKGROUND (may lose the last moments even on a process kill)
 * @param clientPort     Ignite's thin-client/JDBC/ODBC connector, bound to {@code localAddress} only; negative: off.
 *                       It has no authentication of its own: whoever reaches it reads and writes every table past
 *                       the API, so it is off unless asked for.
 * @param clusterCa      the CA directory whose replica certificates authenticate the nodes to each other (discovery,
 *                       communication and the client connector over mutual TLS); null: plaintext, for labs
 * @param initialReplicas how many nodes a cluster that was never active waits for before it activates itself (a
 *                       persistent one); a smaller number lets a partitioned first start make two clusters
 */
public record StoreSettings(Path dataDir, boolean persistent, long memoryMb, String nodeName, List<String> discovery,
                            String localAddress, int discoveryPort, int commPort, int backups, long txTimeoutMs,
                            String walMode, int clientPort, Path clusterCa, int initialReplicas) {
    public static final List<String> WAL_MODES = List.of("LOG_ONLY", "FSYNC", "BACKGROUND");

    public StoreSettings {
        if (!WAL_MODES.contains(walMode)) throw new IllegalArgumentException("--wal-mode is one of " + WAL_MODES + ", not " + walMode);
        if (initialReplicas < 1) throw new IllegalArgumentException("--initial-replicas is at least 1, not " + initialReplicas);
    }

    /** WAL LOG_ONLY, no client connector, plaintext between nodes, a first start activated by its first node. */
    public StoreSettings(Path dataDir, boolean persistent, long memoryMb, String nodeName, List<String> discovery,
                         String localAddress, int discoveryPort, int commPort, int backups, long txTimeoutMs) {
        this(dataDir, persistent, memoryMb, nodeName, discovery, localAddress, discoveryPort, commPort, backups, txTimeoutMs, "LOG_ONLY", -1, null, 1);
    }

    public static StoreSettings embedded(Path dataDir) {
        return new StoreSettings(dataDir, true, 1024, "alcor-0", List.of("127.0.0.1:47500..47509"),
                "127.0.0.1", 47500, 47100, 0, 10_000);
    }

    public StoreSettings inMemory() {
        return new StoreSettings(dataDir, false, memoryMb, nodeName, discovery, localAddress, discoveryPort, commPort,
                backups, txTimeoutMs, walMode, clientPort, clusterCa, initialReplicas);
    }

    public StoreSettings withMemoryMb(long mb) {
        return new StoreSettings(dataDir, persistent, mb, nodeName, discovery, localAddress, discoveryPort, commPort,
                backups, txTimeoutMs, walMode, clientPort, clusterCa, initialReplicas);
    }

    public StoreSettings withWalMode(String mode) {
        return new StoreSettings(dataDir, persistent, memoryMb, nodeName, discovery, localAddress, discoveryPort, commPort,
                backups, txTimeoutMs, mode, clientPort, clusterCa, initialReplicas);
    }

    public StoreSettings withClientPort(int port) {
        return new StoreSettings(dataDir, persistent, memoryMb, nodeName, discovery, localAddress, discoveryPort, commPort,
                backups, txTimeoutMs, walMode, port, clusterCa, initialReplicas);
    }

    public StoreSettings withClusterCa(Path ca) {
        return new StoreSettings(dataDir, persistent, memoryMb, nodeName, discovery, localAddress, discoveryPort, commPort,
                backups, txTimeoutMs, walMode, clientPort, ca, initialReplicas);
    }

    public StoreSettings withInitialReplicas(int n) {
        return new StoreSettings(dataDir, persistent, memoryMb, nodeName, discovery, localAddress, discoveryPort, commPort,
                backups, txTimeoutMs, walMode, clientPort, clusterCa, n);
    }
}
