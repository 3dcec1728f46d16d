package org.alcor.agent;

import org.alcor.proto.GoalStateAck;
import org.alcor.proto.StateDigest;

/** Where the core reports applied versions and per-resource results (the gRPC stream, or a test). */
@FunctionalInterface
public interface AckSink {
    void ack(GoalStateAck ack);

    /** What the host holds, for reconciliation (sent when everything applied is acked); dropped where nobody compares. */
    default void digest(StateDigest digest) { }
}
