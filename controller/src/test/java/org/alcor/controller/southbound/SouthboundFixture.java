package org.alcor.controller.southbound;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;

/** A real controller plus simulated agents on real gRPC streams; closes everything it opened. */
final class SouthboundFixture implements AutoCloseable {
    final TestController controller;
    final NeutronClient admin;
    private final ManagedChannel channel;
    private final List<SimulatedAgent> agents = new ArrayList<>();

    SouthboundFixture(TestController controller) {
        this.controller = controller;
        this.admin = controller.admin();
        this.channel = channelTo(controller.app().southboundPort());
    }

    static ManagedChannel channelTo(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
    }

    ManagedChannel channel() { return channel; }

    /** An agent for a new host, connected, with its first snapshot applied. */
    SimulatedAgent agent(String hostId, String underlayIp) { return agent(channel, hostId, underlayIp); }

    SimulatedAgent agent(ManagedChannel via, String hostId, String underlayIp) { return agent(via, hostId, underlayIp, null); }

    SimulatedAgent agent(ManagedChannel via, String hostId, String underlayIp, SimulatedAgent.Listener listener) {
        var agent = new SimulatedAgent(via, hostId, underlayIp, listener).connect();
        agents.add(agent);
        Await.until(hostId + " gets its first goal state", () -> agent.appliedVersion() > 0);
        return agent;
    }

    Map<String, Object> network(String cidr) {
        var net = admin.createNetwork(Map.of("name", "vpc"));
        admin.createSubnet((String) net.get("id"), cidr);
        return net;
    }

    Map<String, Object> port(Object networkId, String hostId) {
        return admin.createPort(Map.of("network_id", networkId, "binding:host_id", hostId));
    }

    static String ip(Map<String, Object> port) {
        @SuppressWarnings("unchecked")
        var ips = (List<Map<String, Object>>) port.get("fixed_ips");
        return (String) ips.getFirst().get("ip_address");
    }

    static String neighborKey(Object networkId, Map<String, Object> port) { return networkId + "/" + ip(port); }

    String status(Object portId) { return (String) admin.get("/v2.0/ports/" + portId).member("port").get("status"); }

    @Override
    public void close() {
        for (SimulatedAgent a : agents) a.close();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        controller.close();
    }
}
