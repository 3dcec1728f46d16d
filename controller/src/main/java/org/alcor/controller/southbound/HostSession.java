package org.alcor.controller.southbound;

import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import org.alcor.controller.dataplane.GoalStateAssembler;
import org.alcor.controller.dataplane.HostSink;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;

/**
 * One host's delivery state on this controller: the versions it was sent and acknowledged, and the outbox of
 * sent-but-unacknowledged goal states (in version order) that a reconnect replays or a time-out resends. It
 * outlives a stream, so an agent that reconnects here gets just what it missed.
 */
final class HostSession implements HostSink {
    private record Sent(GoalState goalState, long sentAtNanos) {}

    private final String hostId;
    private final int maxUnacked;
    private final ArrayDeque<Sent> unacked = new ArrayDeque<>();
    private StreamObserver<ControllerMessage> stream;
    private long lastSent;
    private long lastAcked;
    /** The outbox overflowed: a reconnect can no longer be served by replay. */
    private boolean historyLost;
    private long disconnectedAtNanos;

    HostSession(String hostId, int maxUnacked) {
        this.hostId = hostId;
        this.maxUnacked = maxUnacked;
    }

    String hostId() { return hostId; }

    @Override
    public synchronized void send(GoalStateAssembler assembler) {
        GoalState gs = assembler.builder().setHostId(hostId).setVersion(++lastSent).build();
        // A snapshot replaces everything before it: nothing older needs replaying.
        if (gs.getFullSnapshot()) {
            unacked.clear();
            historyLost = false;
        }
        if (unacked.size() >= maxUnacked) {
            unacked.clear();
            historyLost = true;
        }
        unacked.add(new Sent(gs, System.nanoTime()));
        if (stream != null) deliver(gs);
    }

    /**
     * A stream opens with the host's last applied version. Returns true when the outbox holds everything after it
     * (and replays that); false when the host needs a full snapshot, whose version then follows both sides' latest.
     */
    synchronized boolean attach(StreamObserver<ControllerMessage> newStream, long lastApplied) {
        stream = newStream;
        boolean replayable = lastSent > 0 && !historyLost && lastApplied >= lastAcked && lastApplied <= lastSent
                && (unacked.isEmpty() ? lastApplied == lastSent
                    : unacked.peekFirst().goalState().getVersion() <= lastApplied + 1 || unacked.peekFirst().goalState().getFullSnapshot());
        if (replayable) {
            acked(lastApplied);
            for (Sent s : unacked) deliver(s.goalState());
            return true;
        }
        lastSent = Math.max(lastSent, lastApplied);
        lastAcked = lastApplied;
        unacked.clear();
        historyLost = false;
        return false;
    }

    synchronized void detach(StreamObserver<ControllerMessage> closed) {
        if (stream == closed) {
            stream = null;
            disconnectedAtNanos = System.nanoTime();
        }
    }

    synchronized boolean connected() { return stream != null; }

    synchronized long disconnectedForNanos(long now) { return stream != null ? 0 : now - disconnectedAtNanos; }

    synchronized void acked(long version) {
        if (version > lastSent) return;
        lastAcked = Math.max(lastAcked, version);
        while (!unacked.isEmpty() && unacked.peekFirst().goalState().getVersion() <= lastAcked) unacked.pollFirst();
    }

    /** Resends the outbox when its oldest message has waited longer than the time-out. */
    synchronized int resendIfOverdue(long now, long timeoutNanos) {
        if (stream == null || unacked.isEmpty() || now - unacked.peekFirst().sentAtNanos() < timeoutNanos) return 0;
        int n = unacked.size();
        ArrayDeque<Sent> again = new ArrayDeque<>(n);
        for (Sent s : unacked) {
            deliver(s.goalState());
            again.add(new Sent(s.goalState(), now));
        }
        unacked.clear();
        unacked.addAll(again);
        return n;
    }

    synchronized long lag() { return lastSent - lastAcked; }

    synchronized long lastSent() { return lastSent; }

    synchronized long lastAcked() { return lastAcked; }

    private void deliver(GoalState gs) {
        try {
            stream.onNext(ControllerMessage.newBuilder().setGoalState(gs).build());
        } catch (RuntimeException e) {
            // The stream is gone (cancelled under us); the outbox keeps the message for the reconnect.
            stream = null;
            disconnectedAtNanos = System.nanoTime();
        }
    }
}
