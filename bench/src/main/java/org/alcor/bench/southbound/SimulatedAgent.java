package org.alcor.bench.southbound;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.Hello;
import org.alcor.proto.NeighborQuery;
import org.alcor.proto.NeighborReply;
import org.alcor.proto.Operation;
import org.alcor.proto.ResourceResult;
import org.alcor.proto.ResourceType;

/**
 * A host agent without OVS: a real gRPC stream to the controller, goal states applied into memory, acks with
 * per-resource results. Thousands run in one JVM for the southbound bench; tests use it as the host side.
 */
public final class SimulatedAgent implements AutoCloseable {
    /** Told of every goal state this agent applies, on the gRPC thread: keep it short. */
    public interface Listener {
        void applied(SimulatedAgent agent, GoalState goalState, long receivedNanos);
    }

    private final Channel channel;
    private final String hostId;
    private final String underlayIp;
    private final Listener listener;
    private final AppliedState state = new AppliedState();
    private final AtomicLong appliedVersion = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile Predicate<String> failingPorts = id -> false;
    private volatile boolean acking = true;
    private volatile ClientCallStreamObserver<AgentMessage> stream;
    private volatile Throwable streamError;

    public SimulatedAgent(Channel channel, String hostId, String underlayIp, Listener listener) {
        this.channel = channel;
        this.hostId = hostId;
        this.underlayIp = underlayIp;
        this.listener = listener;
    }

    /** Opens the stream and says hello with the last version this agent applied (0 the first time). */
    public SimulatedAgent connect() {
        streamError = null;
        GoalStateServiceGrpc.newStub(channel).connect(new ClientResponseObserver<AgentMessage, ControllerMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<AgentMessage> requests) { stream = requests; }

            @Override
            public void onNext(ControllerMessage message) {
                if (message.hasGoalState()) onGoalState(message.getGoalState());
            }

            @Override public void onError(Throwable t) { streamError = t; }

            @Override public void onCompleted() { }
        });
        send(AgentMessage.newBuilder().setHello(Hello.newBuilder().setHostId(hostId).setUnderlayIp(underlayIp)
                .setLastAppliedVersion(appliedVersion.get()).setAgentVersion("simulated")).build());
        return this;
    }

    /** Drops the stream as a network failure would; the state stays, as in an agent that keeps running. */
    public void disconnect() {
        var s = stream;
        stream = null;
        if (s != null) s.cancel("simulated disconnect", null);
    }

    private void onGoalState(GoalState gs) {
        long received = System.nanoTime();
        messages.incrementAndGet();
        bytes.addAndGet(gs.getSerializedSize());
        long receivedMicros = System.currentTimeMillis() * 1000;
        // Versions only grow: an old one (a resend of what is applied) changes nothing but is acked again.
        if (gs.getVersion() > appliedVersion.get() || gs.getFullSnapshot()) {
            state.apply(gs);
            appliedVersion.set(gs.getVersion());
        }
        if (acking) ack(gs, receivedMicros);
        if (listener != null) listener.applied(this, gs, received);
    }

    private void ack(GoalState gs, long receivedMicros) {
        var ack = GoalStateAck.newBuilder().setHostId(hostId).setVersion(gs.getVersion()).setReceivedAtMicros(receivedMicros);
        gs.getPortsMap().forEach((id, port) -> {
            if (port.getOp() == Operation.DELETE) return;
            boolean fail = failingPorts.test(id);
            ack.addResults(ResourceResult.newBuilder().setResourceType(ResourceType.PORT).setResourceId(id).setOk(!fail)
                    .setError(fail ? "simulated failure programming port " + id : ""));
        });
        ack.setAppliedAtMicros(System.currentTimeMillis() * 1000);
        send(AgentMessage.newBuilder().setAck(ack).build());
    }

    private void send(AgentMessage message) {
        var s = stream;
        if (s == null) return;
        synchronized (this) {
            s.onNext(message);
        }
    }

    public NeighborReply lookup(String vpcId, String ip) {
        return GoalStateServiceGrpc.newBlockingStub(channel).lookupNeighbor(NeighborQuery.newBuilder().setHostId(hostId)
                .setVpcId(vpcId).setIp(ip).build());
    }

    /** Ports for which this agent reports an error instead of success. */
    public void failPorts(Predicate<String> which) { this.failingPorts = which; }

    /** Stops (or resumes) acknowledging, as an agent that hangs would. */
    public void acking(boolean on) { this.acking = on; }

    public String hostId() { return hostId; }

    public String underlayIp() { return underlayIp; }

    public AppliedState state() { return state; }

    public long appliedVersion() { return appliedVersion.get(); }

    public long messages() { return messages.get(); }

    public long bytes() { return bytes.get(); }

    public Throwable streamError() { return streamError; }

    @Override
    public void close() {
        var s = stream;
        stream = null;
        if (s != null) {
            try {
                s.onCompleted();
            } catch (RuntimeException ignored) {
                // already cancelled
            }
        }
    }
}
