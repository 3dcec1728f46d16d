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

        /** A record of a VPC feed was applied (neighbour changes outside the host's versions). */
        default void feedApplied(SimulatedAgent agent, org.alcor.proto.NeighborTable changes, long receivedNanos) { }
    }

    /** The replica talked to now (a redirect or a failover changes it). */
    private volatile Channel channel;
    /** Set by {@link #replicas}: the replicas by address, and the given ones tried in turn when a stream fails. */
    private volatile java.util.function.Function<String, Channel> dial;
    private volatile java.util.List<String> given = java.util.List.of();
    private final java.util.concurrent.atomic.AtomicInteger nextGiven = new java.util.concurrent.atomic.AtomicInteger(1);
    private final AtomicLong redirects = new AtomicLong(), failovers = new AtomicLong();
    private final String hostId;
    private final String underlayIp;
    private final Listener listener;
    /** How the agent reads its stream: as fast as it can, one message a second, or not at all (a hung agent). */
    public enum Reading { NORMAL, SLOW, STUCK }

    private final AppliedState state;
    private final Reading reading;
    /** Ports named in the parts of a snapshot still arriving: reported in the ack of its last part. */
    private final java.util.List<String> partPorts = new java.util.ArrayList<>();
    private static final java.util.concurrent.ScheduledExecutorService PACER = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-agent-pacer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong appliedVersion = new AtomicLong();
    /** Every delta this matches is acked but not applied (null: none); how many were so lost. */
    private volatile Predicate<GoalState> lose;
    private final AtomicLong lost = new AtomicLong();
    /**
     * The epoch of the last applied version, set after it and read before it: a Hello that races an apply pairs
     * an old epoch with a new version at worst, which the controller answers with a snapshot, never a new epoch
     * with an old version.
     */
    private volatile String appliedEpoch = "";
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile Predicate<String> failingPorts = id -> false;
    private volatile boolean acking = true;
    private volatile ClientCallStreamObserver<AgentMessage> stream;
    private volatile Throwable streamError;
    /** The MQ path, when this agent reads it (a shared link to the brokers, and the layout the controller uses). */
    private volatile org.alcor.southbound.mq.AgentMqLink mqLink;
    private volatile org.alcor.southbound.mq.MqLayout mqLayout;
    /** Non-null while the host is served over the MQ path; opening: while its Hello is said there. */
    private volatile org.alcor.southbound.mq.MqAgentStream mqStream, opening;
    private volatile ClientCallStreamObserver<AgentMessage> left;
    /**
     * While the Hello on the MQ path is said: the gRPC stream being left, and its error if the controller ended it
     * meanwhile (it replaces the stream when that Hello comes after the move was rolled back: the agent goes on over
     * Kafka; the error counts only if the Hello fails). Guarded by applying.
     */
    private ClientCallStreamObserver<AgentMessage> leaving;
    private Throwable leavingError;
    /** The VPC feeds this host follows on the MQ path (null: it does not read them); set before connect. */
    private volatile org.alcor.southbound.mq.VpcFeedFollower feeds;
    /** The feeds named by the parts of a snapshot still arriving, followed once it is applied; guarded by applying. */
    private final java.util.List<org.alcor.proto.VpcFeed> partFeeds = new java.util.ArrayList<>();
    private final AtomicLong feedRecords = new AtomicLong(), feedBytes = new AtomicLong();
    /** A snapshot's first part was staged and its last has not come; guarded by applying. */
    private boolean snapshotStaged;
    private volatile boolean closed;
    /** Serializes applying a message with switching streams, so that nothing of a dropped stream lands after the switch. */
    private final Object applying = new Object();
    private static final java.util.concurrent.ExecutorService MOVER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "simulated-agent-path-move");
        t.setDaemon(true);
        return t;
    });

    public SimulatedAgent(Channel channel, String hostId, String underlayIp, Listener listener) {
        this(channel, hostId, underlayIp, listener, Reading.NORMAL, false);
    }

    /** compact: keep only the sizes of the states (see {@link AppliedState}); the bench runs thousands of agents. */
    public SimulatedAgent(Channel channel, String hostId, String underlayIp, Listener listener, Reading reading, boolean compact) {
        this.channel = channel;
        this.hostId = hostId;
        this.underlayIp = underlayIp;
        this.listener = listener;
        this.reading = reading;
        this.state = new AppliedState(compact);
    }

    /**
     * Opens the stream and says hello with the last version this agent applied (0 the first time). An agent has
     * one stream: an open one is dropped first, and what still arrives on it is ignored, as a real agent's is.
     */
    public SimulatedAgent connect() {
        // Under the lock a message of the stream being dropped is either applied before the Hello reads the
        // applied version, or seen as stale and ignored: never applied (and acked on the new stream) after it.
        synchronized (applying) {
            closeMq();
            disconnect();
            streamError = null;
            GoalStateServiceGrpc.newStub(channel).connect(new ClientResponseObserver<AgentMessage, ControllerMessage>() {
                private ClientCallStreamObserver<AgentMessage> mine;

                @Override
                public void beforeStart(ClientCallStreamObserver<AgentMessage> requests) {
                    mine = requests;
                    stream = requests;
                    // A slow or hung agent takes messages only when it asks: gRPC flow control then holds the rest back.
                    if (reading != Reading.NORMAL) requests.disableAutoRequestWithInitial(reading == Reading.SLOW ? 1 : 0);
                }

                @Override
                public void onNext(ControllerMessage message) {
                    synchronized (applying) {
                        if (stream != mine) return;
                        if (message.hasRedirect() && dial != null) {
                            // Another replica owns this host: go there, with what was applied.
                            stream = null;
                            partsVoid();
                            redirects.incrementAndGet();
                            channel = dial.apply(message.getRedirect().getOwnerAddress());
                            MOVER.execute(() -> { if (!closed) connect(); });
                            return;
                        }
                        if (message.hasGoalState()) onGoalState(message.getGoalState());
                    }
                    var s = mine;
                    if (reading == Reading.SLOW) PACER.schedule(() -> s.request(1), 1, java.util.concurrent.TimeUnit.SECONDS);
                }

                @Override public void onError(Throwable t) {
                    synchronized (applying) {
                        if (mine == left) return;   // the stream it left for the MQ path
                        if (mine == leaving) {
                            leavingError = t;
                            return;
                        }
                        if (stream != mine && stream != null) return;
                        streamError = t;
                        partsVoid();
                        if (dial != null && stream == mine && !closed) {
                            // The replica is gone: the next given one sends this host on to its new owner.
                            stream = null;
                            failovers.incrementAndGet();
                            var list = given;
                            channel = dial.apply(list.get(Math.floorMod(nextGiven.getAndIncrement(), list.size())));
                            PACER.schedule(() -> { if (!closed) connect(); }, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
                        }
                    }
                }

                @Override public void onCompleted() { }
            });
            String epoch = appliedEpoch;
            // On gRPC no feed is followed: the controller goes on from where each one was applied.
            var positions = feeds == null ? java.util.List.<org.alcor.proto.FeedPosition>of() : feeds.positionsAndClear();
            var hello = Hello.newBuilder().setHostId(hostId).setUnderlayIp(underlayIp)
                    .setLastAppliedVersion(appliedVersion.get()).setLastAppliedEpoch(epoch).setAgentVersion("simulated")
                    .setReadsMq(mqLink != null).setReadsVpcFeeds(feeds != null).addAllFeedPositions(positions);
            // What it holds, as a real agent says it (not in compact mode, which keeps no states).
            var held = appliedVersion.get() > 0 ? state.inventory() : null;
            if (held != null) hello.setInventory(held);
            send(AgentMessage.newBuilder().setHello(hello).build());
        }
        return this;
    }

    /**
     * This agent follows the controller's replicas as a real one does: a redirect takes it to the host's owner, a
     * failed stream to the next of the given addresses (after 200 ms). dial: a channel to an address. Call before
     * {@link #connect()}.
     */
    public SimulatedAgent replicas(java.util.List<String> addresses, java.util.function.Function<String, Channel> dial) {
        this.given = java.util.List.copyOf(addresses);
        this.dial = dial;
        return this;
    }

    /** Redirects followed, and streams failed over to another replica. */
    public long redirects() { return redirects.get(); }

    public long failovers() { return failovers.get(); }

    /**
     * This agent can be moved to the MQ path (its Hellos say so): link is shared by the simulated hosts of a process,
     * layout must be the controller's. Call before {@link #connect()}.
     */
    public SimulatedAgent readsMq(org.alcor.southbound.mq.AgentMqLink link, org.alcor.southbound.mq.MqLayout layout) {
        return readsMq(link, layout, true);
    }

    /** followsFeeds false: an agent that predates VPC feeds (it gets every neighbour change in its own goal states). */
    public SimulatedAgent readsMq(org.alcor.southbound.mq.AgentMqLink link, org.alcor.southbound.mq.MqLayout layout, boolean followsFeeds) {
        this.mqLink = link;
        this.mqLayout = layout;
        synchronized (applying) {
            this.feeds = followsFeeds ? new org.alcor.southbound.mq.VpcFeedFollower(link, hostId, this::onFeedRecord) : null;
        }
        return this;
    }

    /** The path serving this host now. */
    public org.alcor.proto.SouthboundPath path() {
        return mqStream != null ? org.alcor.proto.SouthboundPath.MQ : org.alcor.proto.SouthboundPath.GRPC;
    }

    /** Moves as the announcement says, once its version is applied and acked (on the path it came on). */
    private void move(org.alcor.proto.PathAnnouncement to) {
        if (to.getPath() == org.alcor.proto.SouthboundPath.GRPC) {
            if (mqStream != null) connect();   // closes the MQ stream; the Hello says what was applied
            return;
        }
        var link = mqLink;
        if (link == null || mqStream != null) return;
        var place = mqLayout.of(hostId);
        if (!place.topic().equals(to.getTopic()) || place.partition() != to.getPartition() || !place.bootstrapServers().equals(to.getBootstrapServers())) {
            return;   // layouts disagree: stay (the controller rolls the move back)
        }
        org.alcor.southbound.mq.MqAgentStream[] self = new org.alcor.southbound.mq.MqAgentStream[1];
        self[0] = new org.alcor.southbound.mq.MqAgentStream(link, place, hostId, underlayIp, "simulated",
                () -> new org.alcor.southbound.mq.MqAgentStream.Applied(appliedVersion.get(), appliedEpoch, feedPositions()),
                new org.alcor.southbound.mq.MqAgentStream.Host() {
                    @Override public void goalState(GoalState gs) {
                        synchronized (applying) {
                            if (mqStream == self[0] || opening == self[0]) onGoalState(gs);
                        }
                    }

                    @Override public void streamEnded() {
                        synchronized (applying) {
                            if (mqStream == self[0] || opening == self[0]) partsVoid();
                        }
                    }

                    @Override public void pathFailed(String why) { MOVER.execute(() -> { if (mqStream == self[0]) connect(); }); }
                }, to);
        // Not under the lock: open() waits for the link's reader, which may be delivering to this agent. The
        // controller answers the Hello over Kafka, possibly before open() returns: "opening" lets that through.
        opening = self[0];
        synchronized (applying) {
            leaving = stream;
            leavingError = null;
        }
        try {
            self[0].open();
        } catch (RuntimeException e) {
            opening = null;
            synchronized (applying) {
                leaving = null;
                if (leavingError != null && stream != null) {   // stayed, on a stream that ended: as onError would have
                    streamError = leavingError;
                    partsVoid();
                }
            }
            return;   // brokers out of reach: stay on gRPC
        }
        synchronized (applying) {
            opening = null;
            leaving = null;
            if (closed) {   // closed while it opened: a closed agent reads nothing
                self[0].close();
                return;
            }
            mqStream = self[0];
            var s = stream;
            left = s;
            stream = null;
            if (s != null) s.cancel("moved to the MQ path", null);
        }
    }

    /** A broken stream voids the snapshot still arriving on it (the controller starts it again). */
    private void partsVoid() {
        state.streamEnded();
        partFeeds.clear();
        snapshotStaged = false;
    }

    /**
     * Not under applying: the MQ stream asks this under its own lock, and applying a message acks under applying
     * into that lock (the follower has its own).
     */
    private java.util.List<org.alcor.proto.FeedPosition> feedPositions() {
        var f = feeds;
        return f == null ? null : f.positions();
    }

    /** A record of a VPC feed this host follows: applied in turn with its goal states. */
    private void onFeedRecord(org.alcor.proto.VpcFeedRecord r) {
        long received = System.nanoTime();
        synchronized (applying) {
            if (feeds == null) return;
            switch (feeds.admit(r)) {
                case APPLY -> {
                    state.applyNeighbors(r.getChanges());
                    feedRecords.incrementAndGet();
                    feedBytes.addAndGet(r.getSerializedSize());
                    if (listener != null) listener.feedApplied(this, r.getChanges(), received);
                }
                case GAP -> {
                    var m = mqStream;
                    if (m != null) m.askSnapshot("VPC feed " + r.getVpcId() + " is missing records before " + r.getNumber());
                }
                case SKIP -> { }
            }
        }
    }

    /** After a goal state is applied: a snapshot replaces the feeds followed, a deleted VPC takes its feed along, new ones start. */
    private void followFeeds(GoalState gs, boolean complete) {
        if (feeds == null) return;
        if (gs.getFullSnapshot()) partFeeds.clear();
        partFeeds.addAll(gs.getVpcFeedsList());
        if (!complete) return;
        if (gs.getFullSnapshot() || snapshotStaged) feeds.clear();
        snapshotStaged = false;
        gs.getVpcsMap().forEach((id, vpc) -> { if (vpc.getOp() == Operation.DELETE) feeds.drop(id); });
        partFeeds.forEach(feeds::follow);
        partFeeds.clear();
    }

    private void closeMq() {
        var m = mqStream;
        mqStream = null;
        if (m != null) m.close();
    }

    /** Drops the stream as a network failure would; the state stays, as in an agent that keeps running. */
    public void disconnect() {
        synchronized (applying) {
            var s = stream;
            stream = null;
            if (s != null) {
                s.cancel("simulated disconnect", null);
                partsVoid();   // a snapshot still arriving on it is void
            }
        }
    }

    private void onGoalState(GoalState gs) {
        long received = System.nanoTime();
        messages.incrementAndGet();
        bytes.addAndGet(gs.getSerializedSize());
        long receivedMicros = System.currentTimeMillis() * 1000;
        // Versions only grow: an old one (a resend of what is applied) changes nothing but is acked again.
        boolean complete = true;
        Predicate<GoalState> losing = lose;
        if (losing != null && gs.getVersion() > appliedVersion.get() && !gs.getFullSnapshot() && !gs.getMoreParts() && !gs.hasPath() && losing.test(gs)) {
            lost.incrementAndGet();   // taken for applied, and acked, without being applied: a change lost on the way
            appliedVersion.set(gs.getVersion());
            appliedEpoch = gs.getEpoch();
        } else if (gs.getVersion() > appliedVersion.get() || gs.getFullSnapshot() || gs.getMoreParts()) {
            synchronized (partPorts) {
                complete = state.apply(gs);
                if (!complete || !partPorts.isEmpty()) gs.getPortsMap().keySet().forEach(partPorts::add);
            }
            if (gs.getFullSnapshot() && !complete) snapshotStaged = true;
            followFeeds(gs, complete);
            if (complete) {
                appliedVersion.set(gs.getVersion());
                appliedEpoch = gs.getEpoch();
            }
        }
        // The parts of a snapshot are acked together, by the last one's version.
        if (acking && complete) ack(gs, receivedMicros);
        if (gs.hasPath() && complete) MOVER.execute(() -> move(gs.getPath()));
        if (listener != null) listener.applied(this, gs, received);
    }

    private void ack(GoalState gs, long receivedMicros) {
        var ack = GoalStateAck.newBuilder().setHostId(hostId).setVersion(gs.getVersion()).setReceivedAtMicros(receivedMicros);
        java.util.Set<String> ports = new java.util.LinkedHashSet<>();
        synchronized (partPorts) {
            ports.addAll(partPorts);
            partPorts.clear();
        }
        gs.getPortsMap().forEach((id, port) -> { if (port.getOp() != Operation.DELETE) ports.add(id); });
        for (String id : ports) {
            var port = gs.getPortsMap().get(id);
            if (port != null && port.getOp() == Operation.INFO) continue;
            boolean fail = failingPorts.test(id);
            ack.addResults(ResourceResult.newBuilder().setResourceType(ResourceType.PORT).setResourceId(id).setOk(!fail)
                    .setError(fail ? "simulated failure programming port " + id : ""));
        }
        ack.setAppliedAtMicros(System.currentTimeMillis() * 1000);
        send(AgentMessage.newBuilder().setAck(ack).build());
    }

    private void send(AgentMessage message) {
        var m = mqStream != null ? mqStream : opening;
        if (m != null && message.hasAck()) {
            m.ack(message.getAck());
            return;
        }
        if (m != null && message.hasDigest()) {
            m.digest(message.getDigest());
            return;
        }
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

    /** Leaves its controller for the one at the other end of this channel, with what it holds (a test's host moving). */
    public SimulatedAgent moveTo(Channel to) {
        synchronized (applying) {
            disconnect();
            channel = to;
        }
        return connect();
    }

    /** Every goal state (a delta; snapshots are never lost) that matches is acknowledged but not applied: a change lost on the way, for reconciliation to find. */
    public void lose(Predicate<GoalState> which) { lose = which; }

    /** Goal states acked without being applied ({@link #lose}). */
    public long lost() { return lost.get(); }

    /** Says what this agent holds (a digest of its state at its applied version), as a real agent does every period. */
    public void sendDigest() {
        synchronized (applying) {
            send(AgentMessage.newBuilder().setDigest(state.digest(appliedVersion.get(), appliedEpoch)).build());
        }
    }

    /** Ports for which this agent reports an error instead of success. */
    public void failPorts(Predicate<String> which) { this.failingPorts = which; }

    /** Stops (or resumes) acknowledging, as an agent that hangs would. */
    public void acking(boolean on) { this.acking = on; }

    /** Acknowledges the last applied version again with every port it holds, as a recovered agent reports. */
    public void ackAgain() {
        var ack = GoalStateAck.newBuilder().setHostId(hostId).setVersion(appliedVersion.get());
        for (String id : state.keys("port")) {
            boolean fail = failingPorts.test(id);
            ack.addResults(ResourceResult.newBuilder().setResourceType(ResourceType.PORT).setResourceId(id).setOk(!fail)
                    .setError(fail ? "simulated failure programming port " + id : ""));
        }
        send(AgentMessage.newBuilder().setAck(ack).build());
    }

    public String hostId() { return hostId; }

    public String underlayIp() { return underlayIp; }

    public AppliedState state() { return state; }

    public long appliedVersion() { return appliedVersion.get(); }

    public long messages() { return messages.get(); }

    /** VPC feed records applied, and their bytes. */
    public long feedRecords() { return feedRecords.get(); }

    public long feedBytes() { return feedBytes.get(); }

    /** How many VPC feeds this host follows now. */
    public int feedsFollowed() {
        synchronized (applying) {
            return feeds == null ? 0 : feeds.size();
        }
    }

    public long bytes() { return bytes.get(); }

    public Throwable streamError() { return streamError; }

    /** Whether the agent has a stream open (it may still have been closed by the controller: see streamError). */
    public boolean connected() { return stream != null || mqStream != null; }

    @Override
    public void close() {
        synchronized (applying) {
            closed = true;
            if (feeds != null) feeds.clear();
            closeMq();
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
}
