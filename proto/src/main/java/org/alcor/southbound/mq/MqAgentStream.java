package org.alcor.southbound.mq;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.FeedPosition;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.Hello;

/**
 * One host's stream on the MQ path, the agent's side: a Hello on the agents topic (with a new stream id), goal
 * states from the host's partition handed on strictly in version order, acks back on the agents topic.
 *
 * <p>Kafka gives order within a partition and the controller's producer is idempotent, but the agent does not rely
 * on it alone: a version it already has is skipped (a re-read), and a gap (a version missing) ends the stream, as a
 * broken gRPC stream does, and says Hello again, so the controller resumes or sends a snapshot. With no connection
 * to notice a controller restart, the last ack is repeated every few seconds (the heartbeat); a controller that does
 * not know the stream answers with {@code Resync(say_hello)}. A heartbeat the brokers do not take means the path is
 * down: the host is told ({@link Host#pathFailed}) and goes back to gRPC.
 */
public final class MqAgentStream implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MqAgentStream.class.getName());
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alcor-mq-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** The agent behind the stream. Called on the partition reader's thread: keep it short. */
    public interface Host {
        void goalState(GoalState gs);

        /** The stream ended (a gap, or a new Hello): a snapshot still arriving in parts is void. */
        void streamEnded();

        /** The MQ path is not usable (the brokers did not take a Hello, an ack or a heartbeat in time). */
        void pathFailed(String why);
    }

    /** How far the host has applied, read for each Hello; feeds: the VPC feeds it follows (null: it follows none). */
    public record Applied(long version, String epoch, List<FeedPosition> feeds) {
        public Applied(long version, String epoch) { this(version, epoch, null); }
    }

    private final AgentMqLink link;
    private final MqLayout.Place place;
    private final String hostId, underlayIp, agentVersion;
    private final Supplier<Applied> applied;
    private final Host host;
    private final long heartbeatMillis;
    private String streamId;            // guarded by this
    /** The replica the next Hello is for: the one that moved the host here, then the last that asked for a Hello. */
    private String replica;             // guarded by this
    private long lastVersion;           // guarded by this: the last version handed on, in lastEpoch
    private String lastEpoch = "";      // guarded by this
    private GoalStateAck lastAck;       // guarded by this
    private boolean snapshotWanted;     // guarded by this
    private ScheduledFuture<?> heartbeat;
    /** When this stream last wrote to the agents topic: an ack in the last interval is a heartbeat already. */
    private volatile long lastSentNanos = System.nanoTime();
    private volatile boolean closed;

    /** The heartbeat interval the controller announced for this path (2 s from a controller that says none). */
    public static long heartbeatMillis(org.alcor.proto.PathAnnouncement to) {
        return to.getHeartbeatMillis() > 0 ? to.getHeartbeatMillis() : 2_000;
    }

    /** to: the announcement that moves the host here (its heartbeat interval, the replica that moves it). */
    public MqAgentStream(AgentMqLink link, MqLayout.Place place, String hostId, String underlayIp, String agentVersion,
                         Supplier<Applied> applied, Host host, org.alcor.proto.PathAnnouncement to) {
        this.link = link;
        this.place = place;
        this.hostId = hostId;
        this.underlayIp = underlayIp;
        this.agentVersion = agentVersion;
        this.applied = applied;
        this.host = host;
        this.heartbeatMillis = heartbeatMillis(to);
        this.replica = to.getReplica();
    }

    /**
     * Starts reading the partition (from its end) and says Hello; throws when the brokers cannot be reached in
     * time, and the host then stays where it was.
     */
    public void open() {
        link.subscribe(place.topic(), place.partition(), hostId, this::onMessage);
        try {
            hello().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            link.unsubscribe(place.topic(), place.partition(), hostId);
            throw new IllegalStateException("the MQ path's brokers did not take the Hello: " + e.getMessage(), e);
        }
        heartbeat = HEARTBEATS.scheduleWithFixedDelay(this::beat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized java.util.concurrent.CompletableFuture<Void> hello() {
        streamId = UUID.randomUUID().toString();
        lastAck = null;
        Applied at = applied.get();
        // After a gap in a VPC feed, the Hello says nothing is applied: the controller answers with a snapshot.
        long version = snapshotWanted ? 0 : at.version();
        snapshotWanted = false;
        lastVersion = at.version();
        lastEpoch = at.epoch();
        var hello = Hello.newBuilder().setHostId(hostId).setLastAppliedVersion(version).setLastAppliedEpoch(at.epoch())
                .setUnderlayIp(underlayIp).setAgentVersion(agentVersion).setReadsMq(true).setReadsVpcFeeds(at.feeds() != null)
                .setHeartbeatMillis((int) heartbeatMillis).setForReplica(replica);
        if (at.feeds() != null) hello.addAllFeedPositions(at.feeds());
        // Over TLS the Hello proves which host says it (Kafka's ACLs cannot: hosts share topics).
        Hello said = link.tls() == null ? hello.build() : SignedHello.sign(hello, streamId, link.tls());
        return send(AgentMessage.newBuilder().setStreamId(streamId).setHello(said).build());
    }

    /** Any write the brokers do not take means the path is down (acks stand in for heartbeats, so theirs count too). */
    private java.util.concurrent.CompletableFuture<Void> send(AgentMessage m) {
        lastSentNanos = System.nanoTime();
        var sent = link.send(place.agentsTopic(), place.partition(), hostId, m);
        sent.whenComplete((ok, error) -> {
            if (error != null && !closed) host.pathFailed("a message to the agents topic was not written: " + error.getMessage());
        });
        return sent;
    }

    /** The host's state can no longer be patched (a VPC feed lost records): a new Hello asks for a full snapshot. */
    public void askSnapshot(String why) {
        synchronized (this) { snapshotWanted = true; }
        HEARTBEATS.execute(() -> helloAgain(why));
    }

    private void helloAgain(String why) {
        if (closed) return;
        LOG.info("host " + hostId + ": " + why + "; saying Hello again on the MQ path");
        host.streamEnded();
        hello();
    }

    private void onMessage(ControllerMessage m) {
        if (closed) return;
        if (m.hasResync()) {
            if (m.getResync().getSayHello()) {
                // The replica that asks is the one to answer: with several reading the agents topic, only it takes the Hello.
                synchronized (this) { if (!m.getResync().getReplica().isEmpty()) replica = m.getResync().getReplica(); }
                helloAgain("the controller does not know this stream");
            }
            return;   // otherwise it announces the snapshot that follows
        }
        if (!m.hasGoalState()) return;
        GoalState gs = m.getGoalState();
        synchronized (this) {
            boolean sameEpoch = gs.getEpoch().equals(lastEpoch);
            if (!gs.getFullSnapshot()) {
                if (sameEpoch && gs.getVersion() <= lastVersion) return;   // had it (a re-read)
                if (!sameEpoch || gs.getVersion() != lastVersion + 1) {
                    String why = "version " + gs.getVersion() + " follows " + lastVersion + (sameEpoch ? "" : " of another epoch");
                    HEARTBEATS.execute(() -> helloAgain(why));
                    lastVersion = Long.MAX_VALUE;   // nothing more until the new Hello
                    return;
                }
            }
            lastVersion = gs.getVersion();
            lastEpoch = gs.getEpoch();
        }
        host.goalState(gs);
    }

    /** Acks one version on the agents topic. */
    public void ack(GoalStateAck ack) {
        String id;
        synchronized (this) {
            lastAck = ack;
            id = streamId;
        }
        send(AgentMessage.newBuilder().setStreamId(id).setAck(ack).build());
    }

    /** Says what the agent holds (reconciliation) on the agents topic. */
    public void digest(org.alcor.proto.StateDigest digest) {
        String id;
        synchronized (this) { id = streamId; }
        send(AgentMessage.newBuilder().setStreamId(id).setDigest(digest).build());
    }

    private void beat() {
        if (closed) return;
        // Half an interval of margin: an ack just before the beat is due does not push the next one past the interval.
        if (System.nanoTime() - lastSentNanos < TimeUnit.MILLISECONDS.toNanos(heartbeatMillis / 2)) return;
        AgentMessage m;
        synchronized (this) {
            var b = AgentMessage.newBuilder().setStreamId(streamId);
            if (lastAck != null) b.setAck(lastAck.toBuilder().clearResults());
            else b.setAck(GoalStateAck.newBuilder().setHostId(hostId).setVersion(applied.get().version()));   // what it has, never what only arrived
            m = b.build();
        }
        send(m);
    }

    public synchronized String streamId() { return streamId; }

    @Override
    public void close() {
        closed = true;
        if (heartbeat != null) heartbeat.cancel(false);
        link.unsubscribe(place.topic(), place.partition(), hostId);
    }
}
