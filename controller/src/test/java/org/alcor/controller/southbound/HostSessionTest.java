package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalState;
import org.junit.jupiter.api.Test;

class HostSessionTest {
    /** A server stream that records what is written to it. */
    private static final class Recording extends ServerCallStreamObserver<ControllerMessage> {
        final List<ControllerMessage> written = new ArrayList<>();
        @Override public boolean isCancelled() { return false; }
        @Override public void setOnCancelHandler(Runnable onCancelHandler) { }
        @Override public void setCompression(String compression) { }
        @Override public boolean isReady() { return true; }
        @Override public void setOnReadyHandler(Runnable onReadyHandler) { }
        @Override public void disableAutoInboundFlowControl() { }
        @Override public void request(int count) { }
        @Override public void setMessageCompression(boolean enable) { }
        @Override public void onNext(ControllerMessage value) { written.add(value); }
        @Override public void onError(Throwable t) { }
        @Override public void onCompleted() { }
    }

    @Test
    void anOldStreamsLateRegistrationNeverReplacesTheNewOne() {
        HostSession session = new HostSession("h", "epoch-1", 4, null, new AtomicLong(), new AtomicLong());
        Recording older = new Recording(), newer = new Recording();
        // The agent reconnected: its new stream's Hello (order 2) was registered before the old one's (order 1).
        assertEquals(HostSession.Attached.SNAPSHOT, session.attach(new GrpcDownlink(newer), 2, 0, "", false, false));
        assertEquals(HostSession.Attached.SUPERSEDED, session.attach(new GrpcDownlink(older), 1, 0, "", false, false));
        session.attached();
        session.send(GoalState.newBuilder().setFullSnapshot(true));
        assertEquals(1, newer.written.size(), "goal states go to the agent's live stream");
        assertEquals(0, older.written.size());
    }

    @Test
    void aVersionResumesOnlyInThisEpoch() {
        HostSession session = new HostSession("h", "epoch-1", 4, null, new AtomicLong(), new AtomicLong());
        Recording first = new Recording();
        session.attach(new GrpcDownlink(first), 1, 0, "", false, false);
        session.attached();
        session.send(GoalState.newBuilder().setFullSnapshot(true));
        assertEquals(HostSession.Attached.RESUMED, session.attach(new GrpcDownlink(new Recording()), 2, 1, "epoch-1", false, false));
        assertEquals(HostSession.Attached.SNAPSHOT, session.attach(new GrpcDownlink(new Recording()), 3, 1, "epoch-of-another-replica", false, false));
    }
}
