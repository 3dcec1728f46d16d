package org.alcor.agent.southbound;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.alcor.agent.AckSink;
import org.alcor.agent.NeighborLookup;
import org.alcor.proto.Inventory;
import org.alcor.proto.StateDigest;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.FeedPosition;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.Hello;
import org.alcor.proto.NeighborQuery;
import org.alcor.proto.NeighborReply;
import org.alcor.proto.NeighborState;
import org.alcor.proto.PullRequest;

/**
 * The agent's end of GoalStateService.Connect: opens the stream with a Hello carrying the last applied version
 * (so the controller sends a delta or a full snapshot), hands goal states to the core, sends its acks, and
 * reopens the stream with exponential backoff (100 ms to 5 s) whenever it ends. The last ack is re-sent after a
 * reconnect, so a result produced while the stream was down is not lost. Each stream end is reported, so that the
 * core drops the parts of a snapshot the broken stream did not finish.
 */
public final class GoalStateStreamClient implements AckSink, NeighborLookup, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GoalStateStreamClient.class.getName());
    /**
     * The controller bounds its messages to about 1 MiB (larger snapshots come in parts); 16 MiB leaves room for
     * a controller that bounds differently, above gRPC's default of 4 MiB.
     */
    public static final int MAX_INBOUND_BYTES = 16 << 20;

    private final Controllers controllers;
    private final String hostId;
    private final String underlayIp;
    private final String agentVersion;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "southbound-reconnect");
        t.setDaemon(true);
        return t;
    });
    private Consumer<GoalState> goalStates;
    private Supplier<AppliedPosition> lastApplied;
    private Runnable streamEnded = () -> { };
    private StreamObserver<AgentMessage> out;   // guarded by this
    private GoalStateAck lastAck;               // guarded by this
    private long backoffMillis = 100;           // guarded by this
    /** Redirects followed in a row without a goal state: past a few, replicas disagree on the owner for now; back off. */
    private int redirectsInARow;                // guarded by this
    private volatile boolean closed;
    private volatile Supplier<Inventory> inventory = () -> null;
    /** The host is served over the MQ path: no stream is kept (or reopened) until it is resumed. */
    private volatile boolean paused;
    private volatile boolean readsMq;
    /** How far the VPC feeds were applied when the host left the MQ path: said in every Hello until it goes back. */
    private volatile List<FeedPosition> feedPositions = List.of();
    private volatile long connects;
    /** Which stream is current: the end of one the agent already left (paused, or replaced) is not reported. */
    private volatile long generation;
    /** Since when the streams have been failing with nothing heard in between (0: they are not); see {@link #cutOffForNanos}. */
    private volatile long outageSinceNanos;
    private volatile long streamStartedNanos;
    /** A stream that stands this long without failing is up, even if it carried nothing (a host with nothing new). */
    private static final long STANDING_NANOS = TimeUnit.SECONDS.toNanos(10);

    public GoalStateStreamClient(ManagedChannel channel, String hostId, String underlayIp, String agentVersion) {
        this(Controllers.of(channel), hostId, underlayIp, agentVersion);
    }

    /** A client of whichever of the controllers serves this host. */
    public GoalStateStreamClient(Controllers controllers, String hostId, String underlayIp, String agentVersion) {
        this.controllers = controllers;
        this.hostId = hostId;
        this.underlayIp = underlayIp;
        this.agentVersion = agentVersion;
    }

    /** Starts the stream; goal states go to {@code goalStates}, Hello reads {@code lastApplied}. */
    public void start(Consumer<GoalState> goalStates, LongSupplier lastApplied) { start(goalStates, lastApplied, () -> { }); }

    /** As {@link #start(Consumer, LongSupplier)}; {@code streamEnded} runs after the last goal state of each stream. */
    public void start(Consumer<GoalState> goalStates, LongSupplier lastApplied, Runnable streamEnded) {
        startAt(goalStates, () -> new AppliedPosition(lastApplied.getAsLong(), ""), streamEnded);
    }

    /** As {@link #start(Consumer, LongSupplier, Runnable)}, the Hello saying the version and the epoch it is in. */
    public void startAt(Consumer<GoalState> goalStates, Supplier<AppliedPosition> lastApplied, Runnable streamEnded) {
        this.goalStates = goalStates;
        this.lastApplied = lastApplied;
        this.streamEnded = streamEnded;
        connect();
    }

    /** Number of streams opened so far (tests). */
    public long connects() { return connects; }

    /** Hellos say the agent can be served over the MQ path. */
    public void readsMq(boolean on) { readsMq = on; }

    /** Ends the stream and keeps it closed (the host moved to the MQ path). */
    public synchronized void pause() {
        paused = true;
        feedPositions = List.of();
        generation++;
        if (out != null) try { out.onCompleted(); } catch (RuntimeException ignored) { /* already closed */ }
        out = null;
    }

    /**
     * Opens the stream again (the host is back on gRPC); its Hello says what was applied meanwhile, VPC feeds
     * included (the controller goes on from there in the host's own goal states).
     */
    public synchronized void resume(List<FeedPosition> positions) {
        if (!paused) return;
        feedPositions = List.copyOf(positions);
        paused = false;
        backoffMillis = 100;
        lastAck = null;   // acks of the MQ path's stream are not this one's
        timer.execute(this::connect);   // not under this lock: the Hello waits for the apply thread, which acks through it
    }

    public boolean paused() { return paused; }

    /**
     * What the host holds, said in a Hello when it holds a goal state (a replica that did not send it can go on with a
     * delta); the supplier may wait for the apply thread, so it is asked outside this object's lock.
     */
    public void inventory(Supplier<Inventory> held) { this.inventory = held; }

    private void connect() {
        if (closed || paused) return;
        Inventory held = lastApplied.get().version() > 0 ? inventory.get() : null;
        open(held);
    }

    private synchronized void open(Inventory held) {
        if (closed || paused) return;
        connects++;
        long mine = ++generation;
        StreamObserver<AgentMessage> o = GoalStateServiceGrpc.newStub(controllers.channel()).withMaxInboundMessageSize(MAX_INBOUND_BYTES)
                .connect(new StreamObserver<>() {
            @Override public void onNext(ControllerMessage m) {
                if (mine != generation) return;
                if (m.hasRedirect()) {
                    redirected(mine, m.getRedirect());
                    return;
                }
                outageSinceNanos = 0;
                synchronized (GoalStateStreamClient.this) {
                    backoffMillis = 100;
                    redirectsInARow = 0;
                }
                if (m.hasGoalState()) goalStates.accept(m.getGoalState());
                // Resync only announces the full snapshot that follows on this stream
            }

            @Override public void onError(Throwable t) { if (mine == generation) streamEnded("stream failed: " + t.getMessage()); }

            @Override public void onCompleted() { if (mine == generation) streamEnded("stream closed by the controller"); }
        });
        out = o;
        streamStartedNanos = System.nanoTime();
        AppliedPosition at = lastApplied.get();
        Hello.Builder hello = Hello.newBuilder().setHostId(hostId).setLastAppliedVersion(at.version())
                .setLastAppliedEpoch(at.epoch()).setAgentVersion(agentVersion).setUnderlayIp(underlayIp).setReadsMq(readsMq)
                .setReadsVpcFeeds(readsMq).addAllFeedPositions(feedPositions);
        if (held != null && at.version() > 0) hello.setInventory(held);
        o.onNext(AgentMessage.newBuilder().setHello(hello).build());
        if (lastAck != null) o.onNext(AgentMessage.newBuilder().setAck(lastAck).build());
    }

    /**
     * Another replica serves this host: leave this stream and say Hello there at once (what was applied stands; the
     * owner's epoch differs, so it sends a snapshot, which the agent applies as a diff against what it holds).
     */
    private void redirected(long stream, org.alcor.proto.Redirect redirect) {
        synchronized (this) {
            if (stream != generation || closed || paused) return;
            generation++;
            if (out != null) try { out.onCompleted(); } catch (RuntimeException ignored) { /* already closed */ }
            out = null;
            controllers.redirect(redirect.getOwnerAddress());
            redirectsInARow++;
        }
        streamEnded.run();
        LOG.info("host " + hostId + ": served by replica " + redirect.getOwnerReplica() + " at " + redirect.getOwnerAddress());
        synchronized (this) {
            if (redirectsInARow <= 3) timer.execute(this::connect);
            else reconnectLater("redirected " + redirectsInARow + " times in a row");
        }
    }

    private void streamEnded(String why) {
        if (paused) return;   // the end of the stream it left; the MQ path goes on
        if (outageSinceNanos == 0) outageSinceNanos = System.nanoTime();
        streamEnded.run();   // outside the lock: the core only queues it behind the goal states of this stream
        reconnectLater(why);
    }

    private synchronized void reconnectLater(String why) {
        out = null;
        if (closed || paused) return;
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, 5000);
        String from = controllers.current();
        controllers.failed();
        LOG.warning("host " + hostId + ": " + why + " (" + from + "); reconnecting to " + controllers.current() + " in " + delay + " ms");
        timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * For how long this host has heard nothing on gRPC while its streams kept failing (0: it has, or it is served over
     * Kafka): what the rescue path waits for.
     */
    public long cutOffForNanos(long nowNanos) {
        long since = outageSinceNanos;
        if (paused || since == 0) return 0;
        if (out != null && nowNanos - streamStartedNanos >= STANDING_NANOS) {
            outageSinceNanos = 0;   // the stream since the last failure stands
            return 0;
        }
        return nowNanos - since;
    }

    /** The rescue path: the host's whole goal state, pulled outside any stream (a full snapshot in parts, version 0). */
    public List<GoalState> pull() {
        List<GoalState> parts = new java.util.ArrayList<>();
        GoalStateServiceGrpc.newBlockingStub(controllers.channel()).withMaxInboundMessageSize(MAX_INBOUND_BYTES).withDeadlineAfter(30, TimeUnit.SECONDS)
                .pullGoalState(PullRequest.newBuilder().setHostId(hostId).build()).forEachRemaining(parts::add);
        return parts;
    }

    @Override public synchronized void ack(GoalStateAck ack) {
        lastAck = ack;
        if (out == null) return;
        try {
            out.onNext(AgentMessage.newBuilder().setAck(ack).build());
        } catch (RuntimeException e) {
            LOG.warning("host " + hostId + ": ack of v" + ack.getVersion() + " not sent: " + e.getMessage());
        }
    }

    @Override public synchronized void digest(StateDigest digest) {
        if (out == null) return;   // the next period's digest goes on the next stream
        try {
            out.onNext(AgentMessage.newBuilder().setDigest(digest).build());
        } catch (RuntimeException e) {
            LOG.fine("host " + hostId + ": digest not sent: " + e.getMessage());
        }
    }

    @Override public Optional<NeighborState> lookup(String vpcId, String ip) {
        NeighborReply r = GoalStateServiceGrpc.newBlockingStub(controllers.channel()).withMaxInboundMessageSize(MAX_INBOUND_BYTES).withDeadlineAfter(2, TimeUnit.SECONDS)
                .lookupNeighbor(NeighborQuery.newBuilder().setHostId(hostId).setVpcId(vpcId).setIp(ip).build());
        return r.getFound() ? Optional.of(r.getNeighbor()) : Optional.empty();
    }

    @Override public void close() {
        closed = true;
        synchronized (this) {
            if (out != null) try { out.onCompleted(); } catch (RuntimeException ignored) { /* closing */ }
            out = null;
        }
        timer.shutdownNow();
    }
}
