package org.alcor.agent.southbound;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.agent.AckSink;
import org.alcor.agent.FeedFollowing;
import org.alcor.agent.NeighborLookup;
import org.alcor.proto.Inventory;
import org.alcor.proto.StateDigest;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.NeighborState;
import org.alcor.proto.PathAnnouncement;
import org.alcor.proto.SouthboundPath;
import org.alcor.proto.VpcFeed;
import org.alcor.proto.VpcFeedRecord;
import org.alcor.southbound.mq.AgentMqLink;
import org.alcor.southbound.mq.MqAgentStream;
import org.alcor.southbound.mq.MqLayout;
import org.alcor.southbound.mq.VpcFeedFollower;

/**
 * The agent's two southbound paths and the moves between them. The agent always starts on its gRPC stream; a goal
 * state carrying a {@link PathAnnouncement} moves it: once the core has applied and acked that version (on the path
 * it came on), the agent says Hello on the other path with it as its last applied, and leaves the old one, so the
 * controller resumes there without a resend. A move that fails here (no {@code --kafka}, a layout that disagrees
 * with the controller's, brokers out of reach) leaves the agent where it was, and the controller rolls the move back.
 * When the MQ path fails under it (a heartbeat not written), the agent goes back to gRPC on its own. When it hears
 * nothing on gRPC either (its streams keep failing while it is not on Kafka) for {@link #rescueAfter}, it pulls its
 * whole goal state over a unary call (the rescue path) and applies it as a snapshot; the stream keeps being retried.
 */
public final class SouthboundPaths implements AckSink, NeighborLookup, FeedFollowing, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SouthboundPaths.class.getName());

    private final GoalStateStreamClient grpc;
    private final MqLayout layout;
    private final org.alcor.southbound.mq.MqTls mqTls;   // null: plaintext brokers
    private final String hostId, underlayIp, agentVersion;
    private final ExecutorService mover = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "southbound-path-move");
        t.setDaemon(true);
        return t;
    });
    private Consumer<GoalState> core;
    private Supplier<AppliedPosition> applied;
    private Runnable streamEnded;
    private AgentMqLink link;                 // used on the mover thread only
    private volatile MqAgentStream mq;        // non-null while served over the MQ path
    /** The VPC feeds followed on the MQ path (records go to the core, which asks {@link #admit} in its order). */
    private volatile VpcFeedFollower follower;
    private Consumer<VpcFeedRecord> feedRecords;
    private volatile Move pending;
    private final java.util.concurrent.ScheduledExecutorService rescue = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "southbound-rescue");
        t.setDaemon(true);
        return t;
    });
    private volatile long rescueAfterNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    private long lastPullNanos;   // rescue thread only
    private final java.util.concurrent.atomic.AtomicLong pulls = new java.util.concurrent.atomic.AtomicLong();

    private record Move(long version, PathAnnouncement to) {}

    /** layout: the MQ path's clusters and counts as the controller has them (null: this agent stays on gRPC). */
    public SouthboundPaths(GoalStateStreamClient grpc, MqLayout layout, String hostId, String underlayIp, String agentVersion) {
        this(grpc, layout, null, hostId, underlayIp, agentVersion);
    }

    /** mqTls: the host's certificate, key and CA for the brokers (the southbound's own); null for plaintext brokers. */
    public SouthboundPaths(GoalStateStreamClient grpc, MqLayout layout, org.alcor.southbound.mq.MqTls mqTls, String hostId, String underlayIp,
                           String agentVersion) {
        this.mqTls = mqTls;
        this.grpc = grpc;
        this.layout = layout;
        this.hostId = hostId;
        this.underlayIp = underlayIp;
        this.agentVersion = agentVersion;
    }

    public void start(Consumer<GoalState> goalStates, Supplier<AppliedPosition> lastApplied, Runnable ended) {
        start(goalStates, lastApplied, ended, r -> { });
    }

    /** feedRecords: where the records of the VPC feeds go (the core's queue), on the MQ path. */
    public void start(Consumer<GoalState> goalStates, Supplier<AppliedPosition> lastApplied, Runnable ended, Consumer<VpcFeedRecord> feedRecords) {
        this.feedRecords = feedRecords;
        this.core = goalStates;
        this.applied = lastApplied;
        this.streamEnded = ended;
        grpc.readsMq(layout != null);
        grpc.startAt(this::onGoalState, lastApplied, ended);
        rescue.scheduleWithFixedDelay(this::rescueIfCutOff, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** How long the host may hear from neither path before it pulls its goal state (default 30 s; call before start). */
    public void rescueAfter(java.time.Duration d) { rescueAfterNanos = d.toNanos(); }

    /** Goal states pulled over the rescue path so far. */
    public long pulls() { return pulls.get(); }

    private void rescueIfCutOff() {
        if (mq != null) return;   // served over Kafka, whose own failure brings the host back to gRPC
        long now = System.nanoTime();
        if (grpc.cutOffForNanos(now) < rescueAfterNanos || (lastPullNanos != 0 && now - lastPullNanos < rescueAfterNanos)) return;
        lastPullNanos = now;
        try {
            List<GoalState> parts = grpc.pull();
            if (parts.isEmpty()) return;
            // One message for the core: the parts of one instant, disjoint, so their union is the snapshot (and no
            // part of a stream can land between them).
            GoalState.Builder whole = parts.get(0).toBuilder();
            for (GoalState part : parts.subList(1, parts.size())) whole.mergeFrom(part);
            GoalState snapshot = whole.setFullSnapshot(true).setMoreParts(false).setVersion(0).setEpoch("").build();
            LOG.warning("host " + hostId + ": nothing heard on either southbound path for " + (grpc.cutOffForNanos(now) / 1_000_000_000)
                    + " s; pulled the goal state over the rescue path (" + snapshot.getPortsCount() + " ports)");
            streamEnded.run();   // a snapshot staged from a stream is void: this one replaces everything
            core.accept(snapshot);
            pulls.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warning("host " + hostId + ": the rescue pull failed too (" + e.getMessage() + "); retried in " + rescueAfterNanos / 1_000_000_000 + " s");
        }
    }

    /** The path serving the host now. */
    public SouthboundPath path() { return mq != null ? SouthboundPath.MQ : SouthboundPath.GRPC; }

    private void onGoalState(GoalState gs) {
        if (gs.hasPath()) pending = new Move(gs.getVersion(), gs.getPath());
        core.accept(gs);
    }

    /** What the host holds, for the gRPC Hellos (see GoalStateStreamClient#inventory). */
    public void inventory(Supplier<Inventory> held) { grpc.inventory(held); }

    @Override
    public void digest(StateDigest digest) {
        MqAgentStream m = mq;
        if (m != null) m.digest(digest); else grpc.digest(digest);
    }

    @Override
    public void ack(GoalStateAck ack) {
        MqAgentStream m = mq;
        if (m != null) m.ack(ack); else grpc.ack(ack);
        Move p = pending;
        if (p != null && ack.getVersion() >= p.version()) {
            pending = null;
            mover.execute(() -> move(p));
        }
    }

    private void move(Move p) {
        if (p.to().getPath() == SouthboundPath.GRPC) {
            backToGrpc("the controller moved this host to gRPC");
            return;
        }
        if (mq != null) return;
        if (layout == null) {
            LOG.warning("host " + hostId + ": the controller moved this host to the MQ path, but the agent has no --kafka; it stays on gRPC");
            return;
        }
        MqLayout.Place place = layout.of(hostId);
        PathAnnouncement a = p.to();
        if (!place.topic().equals(a.getTopic()) || place.partition() != a.getPartition() || !place.agentsTopic().equals(a.getAgentsTopic())
                || !place.bootstrapServers().equals(a.getBootstrapServers())) {
            LOG.severe("host " + hostId + ": the controller's MQ layout puts this host at " + a.getBootstrapServers() + " " + a.getTopic() + "/"
                    + a.getPartition() + ", this agent's at " + place + ": --kafka, --kafka-topics and --kafka-partitions must agree; it stays on gRPC");
            return;
        }
        try {
            if (link == null || !link.bootstrap().equals(place.bootstrapServers())) {
                if (link != null) link.close();
                link = new AgentMqLink(place.bootstrapServers(), mqTls);
                follower = new VpcFeedFollower(link, hostId, feedRecords);
            }
            VpcFeedFollower feeds = follower;
            MqAgentStream[] self = new MqAgentStream[1];
            self[0] = new MqAgentStream(link, place, hostId, underlayIp, agentVersion,
                    () -> { AppliedPosition at = applied.get(); return new MqAgentStream.Applied(at.version(), at.epoch(), feeds.positions()); },
                    new MqAgentStream.Host() {
                        @Override public void goalState(GoalState gs) { onGoalState(gs); }

                        @Override public void streamEnded() { streamEnded.run(); }

                        @Override public void pathFailed(String why) {
                            mover.execute(() -> { if (mq == self[0]) backToGrpc("the MQ path failed: " + why); });
                        }
                    }, a);
            self[0].open();
            mq = self[0];
            grpc.pause();
            LOG.info("host " + hostId + ": served over the MQ path (" + place.topic() + "/" + place.partition() + " on " + place.bootstrapServers() + ")");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "host " + hostId + ": cannot move to the MQ path; it stays on gRPC", e);
        }
    }

    private void backToGrpc(String why) {
        MqAgentStream m = mq;
        mq = null;
        if (m != null) {
            m.close();
            streamEnded.run();
        }
        // On gRPC no feed is followed: the Hello says how far each was applied, the controller goes on from there.
        VpcFeedFollower feeds = follower;
        grpc.resume(feeds == null ? java.util.List.of() : feeds.positionsAndClear());
        LOG.info("host " + hostId + ": back on gRPC (" + why + ")");
    }

    @Override
    public void applied(boolean snapshot, Collection<VpcFeed> feeds, Collection<String> deletedVpcs) {
        VpcFeedFollower f = follower;
        if (f == null || mq == null) return;   // feeds come on the MQ path only; back on gRPC, the Hello reported them
        if (snapshot) f.clear();
        deletedVpcs.forEach(f::drop);
        feeds.forEach(f::follow);
    }

    @Override
    public VpcFeedFollower.Admission admit(VpcFeedRecord record) {
        VpcFeedFollower f = follower;
        return f == null ? VpcFeedFollower.Admission.SKIP : f.admit(record);
    }

    @Override
    public void gap(String why) {
        MqAgentStream m = mq;
        if (m != null) m.askSnapshot(why);
    }

    @Override
    public Optional<NeighborState> lookup(String vpcId, String ip) { return grpc.lookup(vpcId, ip); }

    @Override
    public void close() {
        rescue.shutdownNow();
        mover.shutdownNow();
        MqAgentStream m = mq;
        if (m != null) m.close();
        if (link != null) link.close();
        grpc.close();
    }
}
