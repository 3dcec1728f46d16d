package org.alcor.bench.southbound;

import java.util.List;

/** A share of the agents in the bench's own JVM (the default, {@code --processes 1}). */
final class LocalShare implements Share {
    private final AgentShare share;

    LocalShare(String southbound, int channels, List<HostSpec> hosts, ShareEvents events, org.alcor.southbound.mq.MqLayout mq) {
        this.share = new AgentShare(southbound, channels, hosts, events, mq);
    }

    @Override public void connect() { share.connect(); }

    @Override public void watchPorts() { share.watchPorts(); }

    @Override public void watchNeighbor(String vpcId, String ipv4, String boundHostId) { share.watchNeighbor(vpcId, ipv4, boundHostId); }

    @Override public List<HostTotals> totals() { return share.totals(); }

    @Override public void close() { share.close(); }
}
