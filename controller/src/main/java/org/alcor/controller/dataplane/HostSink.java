package org.alcor.controller.dataplane;

import org.alcor.proto.GoalState;

/**
 * Where the engine delivers one host's goal states: the southbound session of a connected host. Called from the
 * engine's thread only. The session tells the engine when a blocked host can take more ({@link DataplaneEngine#ready}).
 */
public interface HostSink {
    /**
     * Whether a message can be written now: the stream is open and ready (gRPC flow control) and fewer goal states
     * than the window are unacknowledged. The parts of a snapshot after its first are not held back by the window
     * (the agent acks only the last part).
     */
    boolean canSend(boolean continuingSnapshot);

    /**
     * The engine has taken the stream's attach (and will send a snapshot if the host needs one): until then a new
     * stream gets nothing, so a delta computed against the old stream's state never reaches it.
     */
    void attached();

    /** Writes the goal state under the host's next version; false when the stream is gone. */
    boolean send(GoalState.Builder goalState);

    /** Tells the agent that a full snapshot follows (its state can no longer be patched). */
    void resync(String reason);

    /**
     * Whether the host applied and acknowledged exactly up to this version of this sink's epoch and nothing else is
     * in flight: then what it holds should be what it was sent (reconciliation compares the two).
     */
    boolean settled(long version, String epoch);

    /** The Kafka cluster on which the host follows VPC feeds now; -1 when it cannot (not on the MQ path, or an older agent). */
    int feedCluster();
}
