package org.alcor.controller.southbound;

import io.grpc.Status;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.node.HostService;
import org.alcor.controller.pki.HostIds;
import org.alcor.controller.port.PortReport;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.Hello;
import org.alcor.proto.ResourceResult;
import org.alcor.proto.ResourceType;
import org.alcor.proto.SouthboundPath;

/**
 * The agent-stream protocol, whatever carries it (a gRPC Connect call, or Hellos and acks on a Kafka agents
 * topic): a Hello first, then acks; the Hello registers the host (off the transport's thread) and attaches the
 * stream to the host's session, which resumes or sends a full snapshot.
 */
final class AgentStreams {
    private static final Logger LOG = Logger.getLogger(AgentStreams.class.getName());

    private final HostSessions sessions;
    private final DataplaneEngine engine;
    private final HostService hosts;
    private final PortReports reports;
    private final ExecutorService blocking;
    /** A larger inventory is not taken (the host gets a snapshot): a host holds hundreds of states, not millions. */
    private static final int MAX_INVENTORY_STATES = 200_000;
    private final Ownership ownership;
    /** Hellos sent on to the replica that owns their host. */
    final java.util.concurrent.atomic.LongAdder redirected = new java.util.concurrent.atomic.LongAdder();
    /** The order in which Hellos arrive, across streams and paths. */
    private final AtomicLong helloOrder = new AtomicLong();

    AgentStreams(HostSessions sessions, DataplaneEngine engine, HostService hosts, PortReports reports, ExecutorService blocking,
                 Ownership ownership) {
        this.ownership = ownership;
        this.sessions = sessions;
        this.engine = engine;
        this.hosts = hosts;
        this.reports = reports;
        this.blocking = blocking;
    }

    /** A new stream; identity: the host its certificate names, or null on an unauthenticated path. */
    Stream open(Downlink downlink, String identity) { return new Stream(downlink, identity); }

    DataplaneEngine engine() { return engine; }

    final class Stream {
        private final Downlink downlink;
        private final String identity;
        private volatile HostSession session;
        private volatile boolean helloReceived;
        /** Set when the stream ended, before its session is looked at: a registration finishing later detaches again. */
        private volatile boolean ended;

        private Stream(Downlink downlink, String identity) {
            this.downlink = downlink;
            this.identity = identity;
        }

        /** gRPC's on-ready callback or Kafka's drained buffer: the engine may write again. */
        void onReady() {
            HostSession s = session;
            if (s != null) s.onReady();
        }

        void onMessage(AgentMessage message) {
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
                case DIGEST -> {
                    // the session's own host, whatever the digest would name: it carries no host id
                    HostSession s = session;
                    if (s != null) engine.digest(s.hostId(), s, message.getDigest());
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
            long order = helloOrder.incrementAndGet();
            blocking.execute(() -> register(hello, order));
        }

        private void register(Hello hello, long order) {
            if (downlink.path() == SouthboundPath.GRPC && redirect(hello.getHostId())) return;
            try {
                hosts.registerFromAgent(hello.getHostId(), hello.getUnderlayIp());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "host " + hello.getHostId() + ": registration failed", e);
                closeWith(Status.UNAVAILABLE.withDescription("the controller cannot register the host now"));
                return;
            }
            HostSession s = sessions.session(hello.getHostId());
            boolean feeds = downlink.path() == SouthboundPath.MQ && hello.getReadsVpcFeeds();
            var attached = s.attach(downlink, order, hello.getLastAppliedVersion(), hello.getLastAppliedEpoch(), hello.getReadsMq(), feeds);
            if (attached == HostSession.Attached.SUPERSEDED) {
                // Not attached, so nothing else writes to it; the session's stream is the newer one.
                synchronized (downlink) {
                    downlink.close(Status.ABORTED.withDescription("a newer stream of host " + hello.getHostId() + " replaced this one"));
                }
                return;
            }
            session = s;
            if (ended) {
                s.detach(downlink);   // it closed while registering: what closed() did may have come first
                return;
            }
            boolean resumed = attached == HostSession.Attached.RESUMED;
            // What it holds (a few dozen bytes per state): a replica that did not send it can send only the difference.
            var held = hello.hasInventory() && hello.getInventory().getStatesCount() <= MAX_INVENTORY_STATES ? hello.getInventory() : null;
            engine.attach(s.hostId(), s, resumed, feeds, hello.getFeedPositionsList(), held);
            LOG.info(() -> "host " + hello.getHostId() + " connected over " + downlink.path() + " at version " + hello.getLastAppliedVersion()
                    + (resumed ? ", resumed" : held != null ? ", with an inventory of " + held.getStatesCount() + " states" : ", full snapshot follows"));
        }

        /** Sends a host another replica owns there, before anything is registered or computed for it here. */
        private boolean redirect(String hostId) {
            Ownership.Owner owner = ownership.elsewhere(hostId);
            if (owner == null) return false;
            synchronized (downlink) {
                try {
                    downlink.send(ControllerMessage.newBuilder().setRedirect(org.alcor.proto.Redirect.newBuilder()
                            .setOwnerAddress(owner.address()).setOwnerReplica(owner.replica())).build());
                } catch (RuntimeException cancelled) {
                    // the agent is gone already; it asks again when it is back
                }
                downlink.complete();
            }
            redirected.increment();
            LOG.fine(() -> "host " + hostId + " is served by replica " + owner.replica() + " at " + owner.address());
            return true;
        }

        /** Before a session exists nothing else writes to the stream; after, the session serializes writes. */
        void closeWith(Status status) {
            HostSession s = session;
            if (s != null) s.fail(status);
            else synchronized (downlink) { downlink.close(status); }
        }

        /** The agent completed its side. */
        void completed() {
            HostSession s = session;
            closed();
            synchronized (s == null ? downlink : s) { downlink.complete(); }
        }

        /** The stream is gone (cancelled, failed, or replaced on the MQ path). */
        void closed() {
            ended = true;
            HostSession s = session;
            if (s != null) s.detach(downlink);
        }

        /** The host this stream attached as, or null before its Hello registered. */
        String hostId() {
            HostSession s = session;
            return s == null ? null : s.hostId();
        }
    }

    /** Whether this replica serves the host (its owner by the hashing over the live replicas, or the only one). */
    boolean owns(String hostId) { return ownership.elsewhere(hostId) == null; }

    /** This replica's id among the live ones (what a Hello on the MQ path names when it is for this replica). */
    String replica() { return ownership.self(); }

    private void ack(HostSession session, GoalStateAck ack) {
        session.acked(ack.getVersion());
        for (ResourceResult r : ack.getResultsList()) {
            if (r.getResourceType() == ResourceType.PORT) {
                reports.add(new PortReport(r.getResourceId(), session.hostId(), r.getOk(), r.getError()));
            }
        }
    }
}
