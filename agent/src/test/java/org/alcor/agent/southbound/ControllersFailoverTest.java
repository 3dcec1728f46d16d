package org.alcor.agent.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.alcor.agent.lab.Wait;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.Hello;
import org.alcor.proto.Redirect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An agent given several controller replicas: it follows a redirect to the host's owner and fails over to the next. */
class ControllersFailoverTest {
    /** A fake replica: records Hellos; answers each with a redirect when told to, else with a goal state. */
    static final class Replica {
        final List<Hello> hellos = new CopyOnWriteArrayList<>();
        volatile String redirectTo;
        final Server server;

        Replica(long version) throws Exception {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new GoalStateServiceGrpc.GoalStateServiceImplBase() {
                @Override public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> out) {
                    return new StreamObserver<>() {
                        @Override public void onNext(AgentMessage m) {
                            if (!m.hasHello()) return;
                            hellos.add(m.getHello());
                            if (redirectTo != null) {
                                out.onNext(ControllerMessage.newBuilder().setRedirect(Redirect.newBuilder().setOwnerAddress(redirectTo)
                                        .setOwnerReplica("owner")).build());
                                out.onCompleted();
                            } else {
                                out.onNext(ControllerMessage.newBuilder().setGoalState(GoalState.newBuilder().setVersion(version)).build());
                            }
                        }
                        @Override public void onError(Throwable t) { }
                        @Override public void onCompleted() { out.onCompleted(); }
                    };
                }
            }).build().start();
        }

        String address() { return "127.0.0.1:" + server.getPort(); }
    }

    private Replica a, b;
    private GoalStateStreamClient client;

    private GoalStateStreamClient clientOf(List<String> addresses) {
        var controllers = new Controllers(addresses, address -> {
            var hp = Controllers.hostPort(address);
            return NettyChannelBuilder.forAddress(hp.getKey(), hp.getValue()).usePlaintext().build();
        });
        return new GoalStateStreamClient(controllers, "host-r", "192.0.2.7", "test");
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (a != null) a.server.shutdownNow();
        if (b != null) b.server.shutdownNow();
    }

    @Test
    void aRedirectTakesTheAgentToTheOwnerWithWhatItApplied() throws Exception {
        a = new Replica(100);
        b = new Replica(200);
        a.redirectTo = b.address();
        AtomicLong applied = new AtomicLong(7);
        client = clientOf(List.of(a.address(), b.address()));
        client.start(gs -> applied.set(gs.getVersion()), applied::get);
        Wait.until(Duration.ofSeconds(10), "the owner's goal state", () -> applied.get() == 200);
        assertEquals(1, a.hellos.size(), "one Hello at the replica that redirected");
        assertEquals(7, b.hellos.getFirst().getLastAppliedVersion(), "the owner hears what was applied");
    }

    @Test
    void whenItsReplicaIsGoneTheAgentTriesTheNextOne() throws Exception {
        a = new Replica(100);
        b = new Replica(200);
        AtomicLong applied = new AtomicLong();
        client = clientOf(List.of(a.address(), b.address()));
        client.start(gs -> applied.set(gs.getVersion()), applied::get);
        Wait.until(Duration.ofSeconds(10), "a's goal state", () -> applied.get() == 100);
        a.server.shutdownNow();
        Wait.until(Duration.ofSeconds(20), "b's goal state after a is gone", () -> applied.get() == 200);
        assertEquals(100, b.hellos.getFirst().getLastAppliedVersion());
    }
}
