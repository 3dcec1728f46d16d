package org.alcor.controller.southbound;

import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.dataplane.HostSink;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;
import org.alcor.proto.PathAnnouncement;
import org.alcor.proto.Resync;
import org.alcor.proto.SouthboundPath;

/**
 * One host's stream on this controller, on whichever path carries it: the versions it was sent and acknowledged,
 * and the flow control that keeps a slow host from costing memory. A message is written only while the stream is
 * ready (gRPC's {@code isReady}, which turns false once about 32 KiB wait in the transport; Kafka's bytes in flight)
 * and while fewer than {@code window} goal states are unacknowledged; otherwise the host's changes wait, coalesced,
 * in the engine's delivery state, and the engine is told when the stream can take more. The session outlives a
 * stream, so a reconnect (or a move to another path) that applied everything resumes without a resend.
 *
 * <p>A move to another path is a version of its own: an empty goal state carrying the announcement, sent on the
 * current stream once the host has acknowledged everything. Nothing more is sent until the host's Hello arrives on
 * the new path (it then resumes at that version) or the move times out, when the host stays where it was.
 */
final class HostSession implements HostSink {
    private final String hostId;
    private final String epoch;
    private final int window;
    private final DataplaneEngine engine;
    private final AtomicLong messagesSent, bytesSent;
    private Downlink stream;
    /** The order in which the current stream's Hello arrived: an older stream's late registration never replaces it. */
    private long streamOrder = -1;
    private long lastSent;
    private long lastAcked;
    private long disconnectedAtNanos;
    /** A new stream that needs a snapshot: nothing is written until the engine has taken the attach. */
    private boolean held;
    /** The agent said it can be served over the MQ path, and that it follows VPC feeds there. */
    private boolean readsMq, readsFeeds;
    /** An announced move still waiting for the host's Hello on the new path; null: none. */
    private Move move;

    private record Move(SouthboundPath to, long version, long deadlineNanos) {}

    HostSession(String hostId, String epoch, int window, DataplaneEngine engine, AtomicLong messagesSent, AtomicLong bytesSent) {
        this.hostId = hostId;
        this.epoch = epoch;
        this.window = window;
        this.engine = engine;
        this.messagesSent = messagesSent;
        this.bytesSent = bytesSent;
    }

    String hostId() { return hostId; }

    /**
     * A stream opens with the host's last applied version and its epoch. Returns true when the host applied
     * everything this session sent (what the engine remembers as sent stands): the same version in this replica's
     * epoch, never a coincidence of another replica's numbering; false when it needs a full snapshot, whose
     * version then follows both sides' latest, so versions only grow.
     */
    synchronized Attached attach(Downlink newStream, long helloOrder, long lastApplied, String lastEpoch, boolean agentReadsMq,
                                 boolean agentReadsFeeds) {
        // Hellos are registered off the transport threads, so an agent's old stream may get here after its new one.
        if (helloOrder < streamOrder) return Attached.SUPERSEDED;
        streamOrder = helloOrder;
        Downlink old = stream;
        stream = newStream;
        readsMq = agentReadsMq;
        readsFeeds = agentReadsFeeds;
        boolean resumed = lastSent > 0 && lastApplied == lastSent && epoch.equals(lastEpoch);
        held = !resumed;
        lastSent = Math.max(lastSent, lastApplied);
        // Starting over, nothing is outstanding: the snapshot's version follows lastSent, so versions only grow.
        lastAcked = lastSent;
        if (old != null && old != newStream) {
            if (move != null && resumed && newStream.path() == move.to()) {
                old.complete();   // the move is done: the old path's stream ends here (the agent has left it)
            } else {
                // Ended, so that an agent still on it hears of it: a Hello that came late over Kafka (of an agent that
                // restarted since, on gRPC) must not leave the live agent on a stream nobody writes to; it says Hello
                // again and wins (and a stream the agent already dropped is closed twice, harmlessly).
                old.close(Status.ABORTED.withDescription("a newer stream of host " + hostId + " replaced this one"));
            }
        }
        move = null;
        return resumed ? Attached.RESUMED : Attached.SNAPSHOT;
    }

    /** What an attach did: the host resumes where it is, gets a full snapshot, or the stream was already replaced by a newer one. */
    enum Attached { RESUMED, SNAPSHOT, SUPERSEDED }

    synchronized void detach(Downlink closed) {
        if (stream == closed) {
            stream = null;
            disconnectedAtNanos = System.nanoTime();
        }
    }

    /** The transport drained (gRPC's on-ready, Kafka's buffer): the engine may write again. */
    void onReady() { engine.ready(hostId); }

    @Override
    public synchronized void attached() { held = false; }

    @Override
    public synchronized boolean canSend(boolean continuingSnapshot) {
        return stream != null && !held && move == null && stream.isReady() && (continuingSnapshot || lastSent - lastAcked < window);
    }

    @Override
    public synchronized int feedCluster() {
        return stream != null && readsFeeds && stream.path() == SouthboundPath.MQ ? stream.cluster() : -1;
    }

    @Override
    public synchronized boolean send(GoalState.Builder goalState) {
        if (stream == null) return false;
        // Handed over for the stream it was built for: one that replaced it since (a move to gRPC) cannot follow feeds.
        if (goalState.getVpcFeedsCount() > 0 && feedCluster() < 0) return false;
        GoalState gs = goalState.setHostId(hostId).setVersion(lastSent + 1).setEpoch(epoch).build();
        if (!write(ControllerMessage.newBuilder().setGoalState(gs).build())) return false;
        lastSent++;
        messagesSent.incrementAndGet();
        bytesSent.addAndGet(gs.getSerializedSize());
        return true;
    }

    @Override
    public synchronized void resync(String reason) {
        if (stream != null) write(ControllerMessage.newBuilder().setResync(Resync.newBuilder().setReason(reason)).build());
    }

    /**
     * Announces a move to another path when the host is quiet (connected, everything acknowledged, no snapshot due,
     * no move under way); false when it is not. From here until the Hello on the new path, nothing else is sent.
     */
    synchronized boolean announce(PathAnnouncement to, long timeoutNanos) {
        if (stream == null || held || move != null || lastSent != lastAcked || lastSent == 0 || stream.path() == to.getPath()) return false;
        GoalState gs = GoalState.newBuilder().setHostId(hostId).setVersion(lastSent + 1).setEpoch(epoch).setPath(to).build();
        if (!write(ControllerMessage.newBuilder().setGoalState(gs).build())) return false;
        lastSent++;
        messagesSent.incrementAndGet();
        move = new Move(to.getPath(), lastSent, System.nanoTime() + timeoutNanos);
        return true;
    }

    /**
     * A move whose Hello did not come in time is given up: the host stays on its stream (if it acknowledged the
     * announcement there, nothing was lost; if it left that stream, its reconnect resumes or resyncs as any does).
     */
    synchronized boolean rollBackIfLate(long nowNanos) {
        if (move == null || nowNanos < move.deadlineNanos()) return false;
        move = null;
        return true;
    }

    synchronized boolean moving() { return move != null; }

    @Override
    public synchronized boolean settled(long version, String digestEpoch) {
        return stream != null && !held && move == null && epoch.equals(digestEpoch) && version == lastSent && version == lastAcked;
    }

    private boolean write(ControllerMessage m) {
        try {
            stream.send(m);
            return true;
        } catch (RuntimeException e) {
            // The stream is gone (cancelled under us); the agent's reconnect says what it applied.
            stream = null;
            disconnectedAtNanos = System.nanoTime();
            return false;
        }
    }

    /**
     * Tells the agent on a gRPC stream that another replica serves it, and ends the stream; false when the host has
     * no gRPC stream here (disconnected, or on the MQ path, where the owner answers the Hello and the others let go).
     */
    synchronized boolean redirect(Ownership.Owner owner) {
        if (stream == null || stream.path() != SouthboundPath.GRPC || move != null) return false;
        write(ControllerMessage.newBuilder().setRedirect(org.alcor.proto.Redirect.newBuilder()
                .setOwnerAddress(owner.address()).setOwnerReplica(owner.replica())).build());
        if (stream != null) stream.complete();
        stream = null;
        disconnectedAtNanos = System.nanoTime();
        return true;
    }

    /** Closes the stream with an error (a protocol violation by the agent). */
    synchronized void fail(Status status) {
        if (stream == null) return;
        stream.close(status);
        stream = null;
        disconnectedAtNanos = System.nanoTime();
    }

    synchronized boolean connected() { return stream != null; }

    /** The path of the current stream; null when disconnected. */
    synchronized SouthboundPath path() { return stream == null ? null : stream.path(); }

    synchronized boolean readsMq() { return readsMq; }

    synchronized boolean quiet() { return stream != null && !held && move == null && lastSent == lastAcked; }

    synchronized long disconnectedForNanos(long now) { return stream != null ? 0 : now - disconnectedAtNanos; }

    void acked(long version) {
        synchronized (this) {
            if (version > lastSent || version <= lastAcked) return;
            lastAcked = version;
        }
        engine.ready(hostId);   // the window may have opened
    }

    synchronized long lag() { return lastSent - lastAcked; }

    synchronized long lastSent() { return lastSent; }

    synchronized long lastAcked() { return lastAcked; }
}
