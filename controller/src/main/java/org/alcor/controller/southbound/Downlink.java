package org.alcor.controller.southbound;

import io.grpc.Status;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.SouthboundPath;

/**
 * The controller-to-host half of one agent stream, whichever path carries it: a gRPC Connect stream, or the host's
 * partition of a Kafka topic. A session writes through it under its own lock, so implementations need not be
 * thread-safe for writes.
 */
interface Downlink {
    SouthboundPath path();

    /** Whether a message can be written now without piling up in a buffer (gRPC flow control, Kafka bytes in flight). */
    boolean isReady();

    /** Writes one message; a RuntimeException when the stream is gone. */
    void send(ControllerMessage message);

    /** Ends the stream with an error (a protocol violation, or a newer stream replaced it). */
    void close(Status status);

    /** Ends the stream normally (the agent completed its side). */
    void complete();

    /** The Kafka cluster of the host's partition (where it reads VPC feeds too); -1 on gRPC. */
    default int cluster() { return -1; }
}
