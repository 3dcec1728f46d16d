package org.alcor.controller.southbound;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.node.HostService;
import org.alcor.controller.pki.HostIds;
import org.alcor.controller.port.PortReport;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.Hello;
import org.alcor.proto.NeighborQuery;
import org.alcor.proto.NeighborReply;
import org.alcor.proto.ResourceResult;
import org.alcor.proto.ResourceType;

/**
 * The agents' side of the contract. Runs on gRPC's transport threads (direct executor, measured 3-4x faster on
 * hot streams), so anything that blocks (registering the host in the store) goes to the blocking executor.
 */
final class GoalStateGrpcService extends GoalStateServiceGrpc.GoalStateServiceImplBase {
    private static final Logger LOG = Logger.getLogger(GoalStateGrpcService.class.getName());

    private final HostSessions sessions;
    private final DataplaneEngine engine;
    private final HostService hosts;
    private final PortReports reports;
    private final ExecutorService blocking;
    /** The order in which Hellos arrive, across streams. */
    private static final java.util.concurrent.atomic.AtomicLong HELLO_ORDER = new java.util.concurrent.atomic.AtomicLong();

    GoalStateGrpcService(HostSessions sessions, DataplaneEngine engine, HostService hosts, PortReports reports, ExecutorService blocking) {
        this.sessions = sessions;
        this.engine = engine;
        this.hosts = hosts;
        this.reports = reports;
        this.blocking = blocking;
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> plainResponses) {
        var responses = (ServerCallStreamObserver<ControllerMessage>) plainResponses;
        String identity = HostIdentity.current();
        return new StreamObserver<>() {
            private volatile HostSession session;
            private volatile boolean helloReceived;
            /** Set when the stream ended, before its session is looked at: a registration finishing later detaches again. */
            private volatile boolean ended;

            {
                // Flow control: the engine writes only while the stream is ready and is told when it is again.
                responses.setOnReadyHandler(() -> {
                    HostSession s = session;
                    if (s != null) s.onReady();
                });
            }

            @Override
            public void onNext(AgentMessage message) {
                switch (message.getBodyCase()) {
                    case HELLO -> hello(message.getHello());
                    case ACK -> {
                        HostSession s = session;
                        if (s == null) {
                            // Between a Hello and its registration an ack can only be of what the Hello's version
                            // already says (an agent acks as it reconnects): the snapshot or resume decides.
                            if (!helloReceived) closeWith(Status.FAILED_PRECONDITION.withDescription("the first message must be a Hello"));
                            return;
                        }
                        ack(s, message.getAck());
                    }
                    default -> { }
                }
            }

            private void hello(Hello hello) {
                if (!HostIds.valid(hello.getHostId())) {
                    closeWith(Status.INVALID_ARGUMENT.withDescription("Hello needs a valid host_id, not '" + hello.getHostId() + "'"));
                    return;
                }
                if (identity != null && !identity.equals(hello.getHostId())) {
                    LOG.warning(() -> "southbound: refused a Hello as host " + hello.getHostId() + " from the certificate of host " + identity);
                    closeWith(Status.PERMISSION_DENIED.withDescription("this certificate is host " + identity + "'s; it cannot say Hello as "
                            + hello.getHostId()));
                    return;
                }
                if (session != null || helloReceived) {
                    closeWith(Status.FAILED_PRECONDITION.withDescription("a stream says Hello once"));
                    return;
                }
                helloReceived = true;
                long order = HELLO_ORDER.incrementAndGet();
                blocking.execute(() -> {
                    try {
                        hosts.registerFromAgent(hello.getHostId(), hello.getUnderlayIp());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "host " + hello.getHostId() + ": registration failed", e);
                        closeWith(Status.UNAVAILABLE.withDescription("the controller cannot register the host now"));
                        return;
                    }
                    HostSession s = sessions.session(hello.getHostId());
                    var attached = s.attach(responses, order, hello.getLastAppliedVersion(), hello.getLastAppliedEpoch());
                    if (attached == HostSession.Attached.SUPERSEDED) {
                        // Not attached, so nothing else writes to it; the session's stream is the newer one.
                        synchronized (responses) {
                            try {
                                responses.onError(Status.ABORTED.withDescription("a newer stream of host " + hello.getHostId()
                                        + " replaced this one").asRuntimeException());
                            } catch (RuntimeException alreadyClosed) {
                                // the agent gave up on it first
                            }
                        }
                        return;
                    }
                    session = s;
                    if (ended) {
                        s.detach(responses);   // it closed while registering: what closed() did may have come first
                        return;
                    }
                    boolean resumed = attached == HostSession.Attached.RESUMED;
                    engine.attach(s.hostId(), s, resumed);
                    LOG.info(() -> "host " + hello.getHostId() + " connected at version " + hello.getLastAppliedVersion()
                            + (resumed ? ", resumed" : ", full snapshot follows"));
                });
            }

            /** Before a session exists nothing else writes to the stream; after, the session serializes writes. */
            private void closeWith(Status status) {
                HostSession s = session;
                if (s != null) s.fail(status.asRuntimeException());
                else synchronized (responses) { responses.onError(status.asRuntimeException()); }
            }

            @Override
            public void onError(Throwable t) { closed(); }

            @Override
            public void onCompleted() {
                HostSession s = session;
                closed();
                try {
                    synchronized (s == null ? responses : s) { responses.onCompleted(); }
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }

            private void closed() {
                ended = true;
                HostSession s = session;
                if (s != null) s.detach(responses);
            }
        };
    }

    private void ack(HostSession session, GoalStateAck ack) {
        session.acked(ack.getVersion());
        for (ResourceResult r : ack.getResultsList()) {
            if (r.getResourceType() == ResourceType.PORT) {
                reports.add(new PortReport(r.getResourceId(), session.hostId(), r.getOk(), r.getError()));
            }
        }
    }

    @Override
    public void lookupNeighbor(NeighborQuery query, StreamObserver<NeighborReply> responses) {
        String identity = HostIdentity.current();
        String host = query.getHostId().isEmpty() ? identity : query.getHostId();
        if (identity != null && !identity.equals(host)) {
            LOG.warning(() -> "southbound: refused a lookup as host " + query.getHostId() + " from the certificate of host " + identity);
            responses.onError(Status.PERMISSION_DENIED.withDescription("this certificate is host " + identity + "'s").asRuntimeException());
            return;
        }
        var found = engine.lookup(query.getVpcId(), query.getIp());
        if (found == null) {
            responses.onError(Status.UNAVAILABLE.withDescription("the goal-state engine is reloading").asRuntimeException());
            return;
        }
        // A host learns the neighbours of the VPCs it has ports in, not of other projects' VPCs.
        if (host != null && !engine.hostServes(host, query.getVpcId())) {
            LOG.warning(() -> "southbound: refused host " + host + " a lookup in VPC " + query.getVpcId() + ", where it has no port");
            responses.onError(Status.PERMISSION_DENIED.withDescription("host " + host + " has no port in VPC " + query.getVpcId())
                    .asRuntimeException());
            return;
        }
        var reply = NeighborReply.newBuilder().setFound(found.isPresent());
        found.ifPresent(reply::setNeighbor);
        responses.onNext(reply.build());
        responses.onCompleted();
    }
}
