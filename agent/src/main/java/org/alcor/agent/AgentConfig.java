package org.alcor.agent;

import java.nio.file.Path;

/**
 * What one agent needs to know about its host. {@code openflowSocket}: the bridge's mgmt socket
 * (default {@code <directory of the OVSDB socket>/<bridge>.mgmt}, where vswitchd puts it under its rundir).
 * How neighbours are learnt is not a host setting: each VPC's goal state says (VpcState.neighbor_policy).
 */
public record AgentConfig(String hostId, String ovsDb, String bridge, String underlayIp, Path openflowSocket,
                          String datapathType, int bundleChunk, long switchTimeoutMillis, long reconcileMillis) {

    /** Reconciled every 60 s. */
    public AgentConfig(String hostId, String ovsDb, String bridge, String underlayIp, Path openflowSocket, String datapathType,
                       int bundleChunk, long switchTimeoutMillis) {
        this(hostId, ovsDb, bridge, underlayIp, openflowSocket, datapathType, bundleChunk, switchTimeoutMillis, 60_000);
    }

    /**
     * How often the agent compares its switch's flows with what it installed (repairing any difference) and tells
     * the controller what it holds (a digest the controller compares with what it sent); 0: never.
     */
    public AgentConfig withReconcileMillis(long millis) {
        return new AgentConfig(hostId, ovsDb, bridge, underlayIp, openflowSocket, datapathType, bundleChunk, switchTimeoutMillis, millis);
    }

    public static Path defaultOpenflowSocket(String ovsDb, String bridge) {
        String path = ovsDb.startsWith("unix:") ? ovsDb.substring(5) : "/var/run/openvswitch/db.sock";
        Path dir = Path.of(path).toAbsolutePath().getParent();
        return dir.resolve(bridge + ".mgmt");
    }

    public Path ovsDbSocket() {
        if (!ovsDb.startsWith("unix:")) throw new IllegalArgumentException("--ovs-db must be unix:<path>: " + ovsDb);
        return Path.of(ovsDb.substring(5));
    }
}
