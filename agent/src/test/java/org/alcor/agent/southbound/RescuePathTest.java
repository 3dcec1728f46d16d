package org.alcor.agent.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.alcor.agent.lab.Wait;
import org.alcor.controller.southbound.SouthboundSettings;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateServiceGrpc;
import org.junit.jupiter.api.Test;

/**
 * The rescue path against a real controller: the agent's streams are refused on the way (as by a middlebox that drops
 * long-lived HTTP/2 streams) while unary calls pass; after the rescue delay the agent pulls its goal state and hands
 * it to its core as one full snapshot, outside the host's versions. Once streams pass again, it is served as usual.
 */
class RescuePathTest {
    @Test
    void anAgentWhoseStreamsKeepFailingPullsItsGoalState() {
        var streamsBlocked = new AtomicBoolean(true);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (var controller = TestController.start(SouthboundSettings.defaults("127.0.0.1", 0))) {
            var api = controller.admin();
            api.registerHost("cut-off", "192.0.2.90");
            var net = api.createNetwork(Map.of("name", "rescue"));
            api.createSubnet((String) net.get("id"), "10.68.0.0/24");
            String portId = (String) api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "cut-off")).get("id");

            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", controller.app().southboundPort()).usePlaintext()
                    .intercept(refusingStreams(streamsBlocked, timer)).build();
            List<GoalState> received = new CopyOnWriteArrayList<>();
            var paths = new SouthboundPaths(new GoalStateStreamClient(channel, "cut-off", "192.0.2.90", "test"), null, "cut-off", "192.0.2.90", "test");
            try {
                paths.rescueAfter(Duration.ofSeconds(2));
                paths.start(received::add, () -> AppliedPosition.NONE, () -> { });
                Wait.until(Duration.ofSeconds(30), "the agent pulls its goal state over the rescue path", () -> paths.pulls() > 0);
                GoalState pulled = received.get(0);
                assertTrue(pulled.getFullSnapshot() && !pulled.getMoreParts(), "one whole snapshot");
                assertEquals(0, pulled.getVersion(), "outside the host's versions: the next stream gets a regular snapshot");
                assertTrue(pulled.getPortsMap().containsKey(portId), "with the host's port");

                streamsBlocked.set(false);
                Wait.until(Duration.ofSeconds(30), "the stream carries the regular snapshot once it passes",
                        () -> received.stream().anyMatch(gs -> gs.getVersion() > 0 && gs.getFullSnapshot()));
            } finally {
                paths.close();
                channel.shutdownNow();
            }
        } finally {
            timer.shutdownNow();
        }
    }

    /** Fails every Connect call (soon after it starts, as a reset stream would) while blocked; other calls pass. */
    private static ClientInterceptor refusingStreams(AtomicBoolean blocked, ScheduledExecutorService timer) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                if (!blocked.get() || !method.equals(GoalStateServiceGrpc.getConnectMethod())) return next.newCall(method, options);
                return new ClientCall<>() {
                    @Override public void start(Listener<R> listener, Metadata headers) {
                        timer.schedule(() -> listener.onClose(Status.UNAVAILABLE.withDescription("stream reset on the way"), new Metadata()),
                                50, TimeUnit.MILLISECONDS);
                    }

                    @Override public void request(int n) { }

                    @Override public void cancel(String message, Throwable cause) { }

                    @Override public void halfClose() { }

                    @Override public void sendMessage(Q message) { }
                };
            }
        };
    }
}
