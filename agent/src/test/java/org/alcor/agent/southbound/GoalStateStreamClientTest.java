package org.alcor.agent.southbound;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.alcor.agent.lab.Wait;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.Hello;
import org.alcor.proto.NeighborQuery;
import org.alcor.proto.NeighborReply;
import org.alcor.proto.NeighborState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The stream client against a small fake controller on loopback (no OVS needed). */
class GoalStateStreamClientTest {
    final List<Hello> hellos = new CopyOnWriteArrayList<>();
    final List<GoalStateAck> acks = new CopyOnWriteArrayList<>();
    final AtomicReference<StreamObserver<ControllerMessage>> toAgent = new AtomicReference<>();
    Server server;
    ManagedChannel channel;
    GoalStateStreamClient client;

    @BeforeEach
    void startController() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new GoalStateServiceGrpc.GoalStateServiceImplBase() {
            @Override public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> out) {
                toAgent.set(out);
                return new StreamObserver<>() {
                    @Override public void onNext(AgentMessage m) {
                        if (m.hasHello()) hellos.add(m.getHello());
                        if (m.hasAck()) acks.add(m.getAck());
                    }
                    @Override public void onError(Throwable t) { }
                    @Override public void onCompleted() { out.onCompleted(); }
                };
            }

            @Override public void lookupNeighbor(NeighborQuery q, StreamObserver<NeighborReply> out) {
                out.onNext(q.getIp().equals("10.0.0.9")
                        ? NeighborReply.newBuilder().setFound(true).setNeighbor(NeighborState.newBuilder().setIp(q.getIp()).setVpcId(q.getVpcId())).build()
                        : NeighborReply.newBuilder().setFound(false).build());
                out.onCompleted();
            }
        }).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        client = new GoalStateStreamClient(channel, "host-a", "192.0.2.1", "test");
    }

    @AfterEach
    void stop() {
        client.close();
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void theStreamOpensWithAHelloCarryingTheLastAppliedVersionAndDeliversGoalStatesAndAcks() {
        List<GoalState> received = new CopyOnWriteArrayList<>();
        client.start(received::add, () -> 41);
        Wait.until(Duration.ofSeconds(10), "hello", () -> hellos.size() == 1);
        assertEquals("host-a", hellos.get(0).getHostId());
        assertEquals(41, hellos.get(0).getLastAppliedVersion());
        assertEquals("192.0.2.1", hellos.get(0).getUnderlayIp());
        toAgent.get().onNext(ControllerMessage.newBuilder().setGoalState(GoalState.newBuilder().setVersion(42)).build());
        Wait.until(Duration.ofSeconds(10), "goal state", () -> received.size() == 1);
        client.ack(GoalStateAck.newBuilder().setHostId("host-a").setVersion(42).build());
        Wait.until(Duration.ofSeconds(10), "ack", () -> acks.size() == 1 && acks.get(0).getVersion() == 42);
    }

    @Test
    void aBrokenStreamIsReopenedWithTheNewLastAppliedVersionAndTheLastAckResent() {
        AtomicLong applied = new AtomicLong(5);
        client.start(gs -> applied.set(gs.getVersion()), applied::get);
        Wait.until(Duration.ofSeconds(10), "hello", () -> hellos.size() == 1);
        toAgent.get().onNext(ControllerMessage.newBuilder().setGoalState(GoalState.newBuilder().setVersion(6)).build());
        Wait.until(Duration.ofSeconds(10), "v6 applied", () -> applied.get() == 6);
        client.ack(GoalStateAck.newBuilder().setVersion(6).build());
        Wait.until(Duration.ofSeconds(10), "ack", () -> acks.size() == 1);
        toAgent.get().onError(Status.UNAVAILABLE.withDescription("controller restarting").asRuntimeException());
        Wait.until(Duration.ofSeconds(10), "second hello", () -> hellos.size() == 2);
        assertEquals(6, hellos.get(1).getLastAppliedVersion());
        Wait.until(Duration.ofSeconds(10), "ack re-sent", () -> acks.stream().filter(a -> a.getVersion() == 6).count() == 2);
    }

    @Test
    void lookupNeighborAsksTheController() {
        assertTrue(client.lookup("vpc", "10.0.0.9").isPresent());
        assertTrue(client.lookup("vpc", "10.0.0.8").isEmpty());
    }

    @Test
    void aGoalStateOfTenMebibytesIsAcceptedAboveGrpcsDefaultLimit() {
        List<GoalState> received = new CopyOnWriteArrayList<>();
        client.start(received::add, () -> 0);
        Wait.until(Duration.ofSeconds(10), "hello", () -> hellos.size() == 1);
        GoalState big = GoalState.newBuilder().setVersion(1).addNeighborTables(org.alcor.proto.NeighborTable.newBuilder().setVpcId("v")
                .setIpv6(com.google.protobuf.ByteString.copyFrom(new byte[10 << 20]))).build();
        toAgent.get().onNext(ControllerMessage.newBuilder().setGoalState(big).build());
        Wait.until(Duration.ofSeconds(20), "the 10 MiB goal state", () -> received.size() == 1);
        assertEquals(1, hellos.size(), "on the same stream: it was not refused");
    }

    @Test
    void everyStreamEndIsReportedAfterTheGoalStatesItDelivered() {
        List<String> events = new CopyOnWriteArrayList<>();
        client.start(gs -> events.add("v" + gs.getVersion()), () -> 0, () -> events.add("ended"));
        Wait.until(Duration.ofSeconds(10), "hello", () -> hellos.size() == 1);
        toAgent.get().onNext(ControllerMessage.newBuilder().setGoalState(GoalState.newBuilder().setVersion(1).setFullSnapshot(true).setMoreParts(true)).build());
        toAgent.get().onError(Status.UNAVAILABLE.withDescription("controller restarting").asRuntimeException());
        Wait.until(Duration.ofSeconds(10), "second hello", () -> hellos.size() == 2);
        assertEquals(List.of("v1", "ended"), events);
    }
}
