package org.alcor.bench.southbound;

import java.util.List;

/** The bench's handle on one share of the agents: in its own JVM ({@link LocalShare}) or in a child ({@link ChildShare}). */
interface Share extends AutoCloseable {
    /** Opens the agents' streams; {@link ShareEvents#connected} follows. */
    void connect();

    /** Returns once the share reports every port newly held by a normal host. */
    void watchPorts();

    /** Returns once the share counts the hosts sent this neighbour's create and delete. */
    void watchNeighbor(String vpcId, String ipv4, String boundHostId);

    List<HostTotals> totals();

    @Override
    void close();
}
