package org.alcor.agent.dataplane;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.alcor.agent.AgentConfig;
import org.alcor.agent.HostAgent;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.Wait;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.Hello;
import org.alcor.proto.ResourceResult;
import org.alcor.proto.ResourceType;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent as Main runs it (stream client + core) against a fake controller that answers a Hello with a full
 * snapshot: the port's ack comes back over the stream once OVS is programmed, and the VM gets its address.
 */
class HostAgentOverStreamTest {
    @Test
    void aSnapshotSentOnHelloIsProgrammedAndAckedOverTheStream() throws Exception {
        OvsLab.requireOvsAndRoot();
        List<Hello> hellos = new CopyOnWriteArrayList<>();
        List<GoalStateAck> acks = new CopyOnWriteArrayList<>();
        GoalState snapshot = GoalState.newBuilder().setHostId("host-1").setVersion(7).setFullSnapshot(true)
                .putVpcs("v", vpc("v", 9))
                .putSubnets("s", subnet("s", "v", "10.9.0.0/24", "10.9.0.1"))
                .putPorts("p1", port("p1", "v", "s", "fa:16:3e:00:09:01", "10.9.0.11", "host-1"))
                .putDhcp("p1", dhcp("p1", "s", "fa:16:3e:00:09:01", "10.9.0.11", "10.9.0.1")).build();
        Server controller = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new GoalStateServiceGrpc.GoalStateServiceImplBase() {
                    @Override public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> out) {
                        return new StreamObserver<>() {
                            @Override public void onNext(AgentMessage m) {
                                if (m.hasHello()) {
                                    hellos.add(m.getHello());
                                    out.onNext(ControllerMessage.newBuilder().setGoalState(snapshot).build());
                                }
                                if (m.hasAck()) acks.add(m.getAck());
                            }
                            @Override public void onError(Throwable t) { }
                            @Override public void onCompleted() { out.onCompleted(); }
                        };
                    }
                }).build().start();
        try (OvsLab lab = new OvsLab()) {
            OvsLab.Host h = lab.addHost();
            OvsLab.Vm vm = lab.addVm(h, "vm1", "fa:16:3e:00:09:01", "p1");
            AgentConfig cfg = new AgentConfig("host-1", h.ovsDb(), "br-int", h.underlayIp, h.mgmt(), "netdev", 50_000, 10_000);
            try (HostAgent agent = new HostAgent(cfg, "127.0.0.1", controller.getPort(), "test")) {
                agent.start();
                Wait.until(Duration.ofSeconds(20), "the port acked ok over the stream", () -> acks.stream()
                        .flatMap(a -> a.getResultsList().stream())
                        .anyMatch(r -> r.getResourceType() == ResourceType.PORT && r.getResourceId().equals("p1") && r.getOk()));
                assertEquals(0, hellos.get(0).getLastAppliedVersion(), "a fresh agent has applied nothing");
                assertEquals(h.underlayIp, hellos.get(0).getUnderlayIp());
                GoalStateAck ack = acks.stream().filter(a -> a.getVersion() == 7).findFirst().orElseThrow();
                assertTrue(ack.getResultsList().stream().allMatch(ResourceResult::getOk));
                assertTrue(ack.getAppliedAtMicros() >= ack.getReceivedAtMicros());
                assertEquals(7, agent.core().appliedVersion());
                assertEquals("10.9.0.11", vm.dhcp().get("ip"));
            }
        } finally {
            controller.shutdownNow();
        }
    }

    /** A fake controller that plays one script per stream: script i gets the Hello of stream i and the stream. */
    static Server scriptedController(List<Hello> hellos, List<GoalStateAck> acks,
                                     List<java.util.function.BiConsumer<Hello, StreamObserver<ControllerMessage>>> scripts) throws java.io.IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new GoalStateServiceGrpc.GoalStateServiceImplBase() {
                    @Override public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> out) {
                        return new StreamObserver<>() {
                            @Override public void onNext(AgentMessage m) {
                                if (m.hasHello()) {
                                    hellos.add(m.getHello());
                                    scripts.get(Math.min(hellos.size(), scripts.size()) - 1).accept(m.getHello(), out);
                                }
                                if (m.hasAck()) acks.add(m.getAck());
                            }
                            @Override public void onError(Throwable t) { }
                            @Override public void onCompleted() { out.onCompleted(); }
                        };
                    }
                }).build().start();
    }

    static ControllerMessage msg(GoalState gs) { return ControllerMessage.newBuilder().setGoalState(gs).build(); }

    static org.alcor.proto.NeighborTable manyNeighbours(String vpc, int n) {
        var t = org.alcor.agent.lab.NeighborTables.of(vpc);
        for (int i = 0; i < n; i++) t.put("10.9." + (1 + i / 250) + "." + (1 + i % 250), "fa:16:3e:01:00:01", "172.31.250.99");
        return t.build();
    }

    @Test
    void aSnapshotInPartsIsAppliedAsOneAndAckedOnceWithItsLastVersionAndPortsOnly() throws Exception {
        OvsLab.requireOvsAndRoot();
        List<Hello> hellos = new CopyOnWriteArrayList<>();
        List<GoalStateAck> acks = new CopyOnWriteArrayList<>();
        Server controller = scriptedController(hellos, acks, List.of((hello, out) -> {
            out.onNext(msg(GoalState.newBuilder().setHostId("host-1").setVersion(3).setFullSnapshot(true).setMoreParts(true)
                    .putVpcs("v", vpc("v", 9)).putSubnets("s", subnet("s", "v", "10.9.0.0/24", "10.9.0.1")).build()));
            out.onNext(msg(GoalState.newBuilder().setHostId("host-1").setVersion(4).setMoreParts(true)
                    .putPorts("p1", port("p1", "v", "s", "fa:16:3e:00:09:01", "10.9.0.11", "host-1"))
                    .putDhcp("p1", dhcp("p1", "s", "fa:16:3e:00:09:01", "10.9.0.11", "10.9.0.1")).build()));
            out.onNext(msg(GoalState.newBuilder().setHostId("host-1").setVersion(5).addNeighborTables(manyNeighbours("v", 2000)).build()));
        }));
        try (OvsLab lab = new OvsLab()) {
            OvsLab.Host h = lab.addHost();
            OvsLab.Vm vm = lab.addVm(h, "vm1", "fa:16:3e:00:09:01", "p1");
            AgentConfig cfg = new AgentConfig("host-1", h.ovsDb(), "br-int", h.underlayIp, h.mgmt(), "netdev", 50_000, 10_000);
            try (HostAgent agent = new HostAgent(cfg, "127.0.0.1", controller.getPort(), "test")) {
                agent.start();
                Wait.until(Duration.ofSeconds(30), "the port acked ok", () -> acks.stream().flatMap(a -> a.getResultsList().stream())
                        .anyMatch(r -> r.getResourceId().equals("p1") && r.getOk()));
                assertEquals(5, agent.core().appliedVersion());
                assertEquals(List.of(5L), acks.stream().map(GoalStateAck::getVersion).distinct().toList(), "only the last part is acked");
                assertTrue(acks.stream().flatMap(a -> a.getResultsList().stream()).allMatch(r -> r.getResourceType() == ResourceType.PORT && r.getOk()),
                        "ports only, no result per neighbour: " + acks);
                assertTrue(h.ofctl("dump-flows", "table=" + org.alcor.agent.pipeline.Tables.ARP_RESPONDER).contains("arp_tpa=10.9.8.250"),
                        "the neighbours of the last part are programmed");
                assertEquals("10.9.0.11", vm.dhcp().get("ip"), "with the port of the middle part");
            }
        } finally {
            controller.shutdownNow();
        }
    }

    @Test
    void theStagedPartsOfASnapshotAreDiscardedWhenItsStreamBreaks() throws Exception {
        OvsLab.requireOvsAndRoot();
        List<Hello> hellos = new CopyOnWriteArrayList<>();
        List<GoalStateAck> acks = new CopyOnWriteArrayList<>();
        Server controller = scriptedController(hellos, acks, List.of(
                (hello, out) -> {
                    out.onNext(msg(GoalState.newBuilder().setHostId("host-1").setVersion(3).setFullSnapshot(true).setMoreParts(true)
                            .putVpcs("old", vpc("old", 77)).build()));
                    out.onError(io.grpc.Status.UNAVAILABLE.withDescription("controller restarting").asRuntimeException());
                },
                // not what a controller does after a break (it resends a whole snapshot), but it shows the first part
                // is gone: were it still staged, this message would complete it and VPC "old" would be programmed
                (hello, out) -> out.onNext(msg(GoalState.newBuilder().setHostId("host-1").setVersion(4).putVpcs("v", vpc("v", 9))
                        .putPorts("p1", port("p1", "v", "s", "fa:16:3e:00:09:01", "10.9.0.11", "host-1")).build()))));
        try (OvsLab lab = new OvsLab()) {
            OvsLab.Host h = lab.addHost();
            lab.addVm(h, "vm1", "fa:16:3e:00:09:01", "p1");
            AgentConfig cfg = new AgentConfig("host-1", h.ovsDb(), "br-int", h.underlayIp, h.mgmt(), "netdev", 50_000, 10_000);
            try (HostAgent agent = new HostAgent(cfg, "127.0.0.1", controller.getPort(), "test")) {
                agent.start();
                Wait.until(Duration.ofSeconds(30), "the port acked ok", () -> acks.stream().flatMap(a -> a.getResultsList().stream())
                        .anyMatch(r -> r.getResourceId().equals("p1") && r.getOk()));
                assertEquals(0, hellos.get(1).getLastAppliedVersion(), "nothing of the broken snapshot was applied");
                assertEquals(4, agent.core().appliedVersion());
                String flows = h.ofctl("dump-flows");
                assertTrue(flows.contains("tun_id=0x9"), "VPC v is programmed");
                assertFalse(flows.contains("tun_id=0x4d"), "VPC old is not: " + flows);
            }
        } finally {
            controller.shutdownNow();
        }
    }
}
