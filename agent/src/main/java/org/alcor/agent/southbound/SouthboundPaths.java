package org.alcor.agent.southbound;

import java.util.Collection;
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
 * When the MQ path fails under it (a heartbeat not written), the agent goes back to gRPC on its own: the rescue path.
 */
public final class SouthboundPaths implements AckSink, NeighborLookup, FeedFollowing, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SouthboundPaths.class.getName());
    private static final long HEARTBEAT_MILLIS = 2_000;

    private final GoalStateStreamClient grpc;
    private final MqLayout layout;
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

    private record Move(long version, PathAnnouncement to) {}

    /** layout: the MQ path's clusters and counts as the controller has them (null: this agent stays on gRPC). */
    public SouthboundPaths(GoalStateStreamClient grpc, MqLayout layout, String hostId, String underlayIp, String agentVersion) {
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
    }

    /** The path serving the host now. */
    public SouthboundPath path() { return mq != null ? SouthboundPath.MQ : SouthboundPath.GRPC; }

    private void onGoalState(GoalState gs) {
        if (gs.hasPath()) pending = new Move(gs.getVersion(), gs.getPath());
        core.accept(gs);
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
                link = new AgentMqLink(place.bootstrapServers());
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
                    }, HEARTBEAT_MILLIS);
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
        mover.shutdownNow();
        MqAgentStream m = mq;
        if (m != null) m.close();
        if (link != null) link.close();
        grpc.close();
    }
}
