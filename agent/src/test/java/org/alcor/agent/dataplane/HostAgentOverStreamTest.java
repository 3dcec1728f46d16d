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
}
