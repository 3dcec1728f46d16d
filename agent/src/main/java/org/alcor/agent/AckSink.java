package org.alcor.agent;

import org.alcor.proto.GoalStateAck;

/** Where the core reports applied versions and per-resource results (the gRPC stream, or a test). */
@FunctionalInterface
public interface AckSink {
    void ack(GoalStateAck ack);
}
