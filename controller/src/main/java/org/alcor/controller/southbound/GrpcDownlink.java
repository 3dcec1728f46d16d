package org.alcor.controller.southbound;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.SouthboundPath;

/** A Connect stream's response side. */
record GrpcDownlink(ServerCallStreamObserver<ControllerMessage> responses) implements Downlink {
    @Override public SouthboundPath path() { return SouthboundPath.GRPC; }

    @Override public boolean isReady() { return responses.isReady(); }

    @Override public void send(ControllerMessage message) { responses.onNext(message); }

    @Override public void close(Status status) {
        try {
            responses.onError(status.asRuntimeException());
        } catch (RuntimeException alreadyClosed) {
            // the agent gave up on it first
        }
    }

    @Override public void complete() {
        try {
            responses.onCompleted();
        } catch (RuntimeException alreadyClosed) {
            // cancelled
        }
    }
}
