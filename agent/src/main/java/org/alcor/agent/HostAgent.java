package org.alcor.agent;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.alcor.agent.southbound.Controllers;
import org.alcor.agent.southbound.GoalStateStreamClient;
import org.alcor.agent.southbound.SouthboundPaths;
import org.alcor.agent.southbound.SouthboundTlsFiles;
import org.alcor.southbound.mq.MqLayout;

import java.io.IOException;
import java.util.List;

/**
 * The whole agent of one host: the gRPC channels to the controller replicas, the southbound paths (gRPC, and Kafka when
 * given) and the core that programs OVS, wired so that goal states flow client → core and acks core → client. Main runs one.
 */
public final class HostAgent implements AutoCloseable {
    private final Controllers controllers;
    private final SouthboundPaths client;
    private final AgentCore core;

    /** An agent on a plaintext southbound (a controller run with --southbound-insecure). */
    public HostAgent(AgentConfig config, String controllerHost, int controllerPort, String agentVersion) {
        this(config, controllerHost, controllerPort, agentVersion, null);
    }

    /** tls: the host's certificate, key and the controller's CA; null for a plaintext southbound. */
    public HostAgent(AgentConfig config, String controllerHost, int controllerPort, String agentVersion, SouthboundTlsFiles tls) {
        this(config, controllerHost, controllerPort, agentVersion, tls, null);
    }

    /** mq: the MQ path's layout (the controller's --kafka, --kafka-topics, --kafka-partitions); null: gRPC only. */
    public HostAgent(AgentConfig config, String controllerHost, int controllerPort, String agentVersion, SouthboundTlsFiles tls, MqLayout mq) {
        this(config, List.of(controllerHost + ":" + controllerPort), agentVersion, tls, mq);
    }

    /** controllers: host:port of each controller replica the agent may be served by (any one sends it to its owner). */
    public HostAgent(AgentConfig config, List<String> controllerAddresses, String agentVersion, SouthboundTlsFiles tls, MqLayout mq) {
        var sslContext = tls == null ? null : tls.clientContext();
        this.controllers = new Controllers(controllerAddresses, address -> {
            var hp = Controllers.hostPort(address);
            var builder = NettyChannelBuilder.forAddress(hp.getKey(), hp.getValue());
            if (sslContext != null) builder.sslContext(sslContext); else builder.usePlaintext();
            return builder.maxInboundMessageSize(GoalStateStreamClient.MAX_INBOUND_BYTES).build();
        });
        // The brokers take the same certificate as the controller: one identity per host on both paths.
        var mqTls = tls == null || mq == null ? null : org.alcor.southbound.mq.MqTls.load(tls.cert(), tls.key(), tls.ca());
        this.client = new SouthboundPaths(new GoalStateStreamClient(controllers, config.hostId(), config.underlayIp(), agentVersion), mq,
                mqTls, config.hostId(), config.underlayIp(), agentVersion);
        // always able to look up: whether it does is each VPC's neighbour policy
        this.core = new AgentCore(config, client, client);
        if (mq != null) core.feeds(client);
    }

    /** Bridge setup and interface watch first, then the stream: a goal state that arrives is applied at once. */
    public void start() throws IOException {
        client.inventory(() -> core.inventory(2_000));
        core.start();
        client.start(core::submit, core::appliedPosition, core::streamEnded, core::submitFeedRecord);
    }

    public AgentCore core() { return core; }

    /**
     * How long the host may hear from neither southbound path (its streams failing, not on Kafka) before it pulls its
     * goal state over the rescue path. Call before start.
     */
    public void rescueAfter(java.time.Duration d) { client.rescueAfter(d); }

    /** The southbound path serving this host now. */
    public org.alcor.proto.SouthboundPath path() { return client.path(); }

    @Override public void close() {
        client.close();
        core.close();
        controllers.close();
    }
}
