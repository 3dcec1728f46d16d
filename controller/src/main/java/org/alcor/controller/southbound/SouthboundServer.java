package org.alcor.controller.southbound;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.node.HostService;
import org.alcor.controller.store.Replicas;
import org.alcor.controller.port.PortReport;

/** The southbound fast path: the gRPC goal-state service, its sessions, their expiry and the metrics. */
public final class SouthboundServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SouthboundServer.class.getName());
    /** How often the live replicas are read: a dead replica's hosts find their new owner within a few of these. */
    private static final long OWNERSHIP_POLL_MS = 500;

    private final Server server;
    private final HostSessions sessions;
    private final PortReports reports;
    private final ExecutorService blocking;
    private final ScheduledExecutorService sweeper;
    private final KafkaSouthbound kafka;
    private final PathSteering steering;
    private final Ownership ownership;

    private SouthboundServer(Server server, HostSessions sessions, PortReports reports, ExecutorService blocking,
                             ScheduledExecutorService sweeper, KafkaSouthbound kafka, PathSteering steering, Ownership ownership) {
        this.ownership = ownership;
        this.server = server;
        this.sessions = sessions;
        this.reports = reports;
        this.blocking = blocking;
        this.sweeper = sweeper;
        this.kafka = kafka;
        this.steering = steering;
    }

    /** Changes which path serves hosts, without a restart; only with the MQ path configured. */
    public void steer(MqSettings.Mode mode) {
        if (steering == null) throw new IllegalStateException("the MQ path is off (no --kafka): every host is on gRPC");
        steering.mode(mode);
    }

    /**
     * The goal-state service of one replica: it serves the hosts it owns among the given replicas (all of them when
     * it is alone) and sends any other host to its owner.
     */
    public static SouthboundServer start(SouthboundSettings settings, DataplaneEngine engine, HostService hosts,
                                         Consumer<List<PortReport>> portReports, MeterRegistry metrics, Replicas replicas) {
        var sessions = new HostSessions(settings, engine);
        var reports = new PortReports(portReports);
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        var ownership = new Ownership(replicas, settings.partitioned());
        var streams = new AgentStreams(sessions, engine, hosts, reports, blocking, ownership);
        var service = new GoalStateGrpcService(streams);
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()));
        if (settings.secure()) {
            builder.sslContext(SouthboundTls.serverContext(settings)).addService(ServerInterceptors.intercept(service, new HostIdentity()));
        } else {
            LOG.warning("southbound: PLAINTEXT and UNAUTHENTICATED (--southbound-insecure): anything that reaches "
                    + settings.host() + ":" + settings.port() + " can say it is any host, take that host's goal state "
                    + "and move its tunnel endpoint. For labs only.");
            builder.addService(service);
        }
        // Acks are small (ports only); 1 MiB per stream of acks in flight is plenty.
        Server server = builder.directExecutor().maxInboundMessageSize(16 << 20).flowControlWindow(1 << 20)
                .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true).build();
        try {
            server.start();
        } catch (IOException e) {
            reports.close();
            throw new UncheckedIOException("southbound: cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alcor-southbound-sweep");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(sessions::expire, 1, 1, TimeUnit.SECONDS);
        replicas.announce(settings.advertise() != null ? settings.advertise() : settings.host() + ":" + server.getPort());
        var moved = new java.util.concurrent.atomic.AtomicLong();
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                if (!ownership.refresh()) return;
                int n = sessions.rebalance(ownership);
                moved.addAndGet(n);
                LOG.info(() -> "southbound: replicas " + ownership.live().keySet() + " (this one " + ownership.self() + "); "
                        + n + " hosts sent on to their owners");
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "southbound: reading the replicas failed; tried again shortly", e);
            }
        }, 0, OWNERSHIP_POLL_MS, TimeUnit.MILLISECONDS);
        FunctionCounter.builder("alcor_southbound_redirects", streams, x -> x.redirected.sum())
                .description("Hellos sent on to the replica that owns their host").register(metrics);
        FunctionCounter.builder("alcor_southbound_hosts_rebalanced", moved, java.util.concurrent.atomic.AtomicLong::get)
                .description("connected hosts sent to another replica when the replicas changed").register(metrics);
        KafkaSouthbound kafka = null;
        PathSteering steering = null;
        if (settings.mq() != null) {
            try {
                // The MQ path is as secure as the southbound: TLS with a client certificate of the same CA, or plaintext.
                org.alcor.southbound.mq.MqTls mqTls = null;
                if (settings.secure()) {
                    var ca = org.alcor.controller.pki.CertificateAuthority.openOrCreate(settings.caDir());
                    mqTls = ca.mqTls(ca.issueMqController());
                }
                kafka = KafkaSouthbound.start(settings.mq(), streams, mqTls);
            } catch (RuntimeException e) {
                sweeper.shutdownNow();
                server.shutdownNow();
                reports.close();
                throw e;
            }
            engine.feeds(kafka);
            KafkaSouthbound mq = kafka;
            sweeper.scheduleWithFixedDelay(() -> mq.endSilentStreams(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
            var steer = new PathSteering(settings.mq(), kafka);
            steering = steer;
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    steer.run(sessions.all());
                } catch (RuntimeException e) {
                    LOG.log(java.util.logging.Level.WARNING, "southbound: path steering failed; tried again in a second", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
            KafkaSouthbound k = kafka;
            Gauge.builder("alcor_southbound_mq_hosts", k, KafkaSouthbound::hosts).register(metrics);
            Gauge.builder("alcor_southbound_mq_in_flight_bytes", k, KafkaSouthbound::inFlightBytes).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_records_sent", k, x -> x.recordsSent.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_bytes_sent", k, x -> x.bytesSent.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_send_failures", k, x -> x.sendFailures.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_records_received", k, x -> x.recordsReceived.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_hello_requests", k, x -> x.helloRequests.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_feed_records_sent", k, x -> x.feedRecordsSent.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_feed_bytes_sent", k, x -> x.feedBytesSent.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_mq_hellos_refused", k, x -> x.hellosRefused.get())
                    .description("Hellos on the agents topic not signed by the host they name").register(metrics);
            FunctionCounter.builder("alcor_southbound_path_moves", steer, x -> x.moves.get()).register(metrics);
            FunctionCounter.builder("alcor_southbound_path_rollbacks", steer, x -> x.rollbacks.get()).register(metrics);
        }
        Gauge.builder("alcor_southbound_hosts_connected", sessions, HostSessions::connected).register(metrics);
        Gauge.builder("alcor_southbound_unacked_goal_states", sessions, HostSessions::unacked).register(metrics);
        Gauge.builder("alcor_southbound_port_reports_pending", reports, PortReports::pending).register(metrics);
        FunctionCounter.builder("alcor_southbound_messages_sent", sessions, HostSessions::messagesSent).register(metrics);
        FunctionCounter.builder("alcor_southbound_bytes_sent", sessions, HostSessions::bytesSent).register(metrics);
        // gRPC's transport buffers (pooled direct memory, outside the JVM's own direct-buffer count when Netty
        // manages it itself): what slow hosts used to fill.
        Gauge.builder("alcor_southbound_netty_direct_bytes", () -> io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent.usedDirectMemory())
                .register(metrics);
        Gauge.builder("alcor_dataplane_backlog", engine, DataplaneEngine::backlog).register(metrics);
        Gauge.builder("alcor_dataplane_intake_rows", engine, DataplaneEngine::intakeRows).register(metrics);
        Gauge.builder("alcor_dataplane_hosts_pending", engine, DataplaneEngine::hostsPending).register(metrics);
        Gauge.builder("alcor_dataplane_hosts_blocked", engine, DataplaneEngine::hostsBlocked).register(metrics);
        Gauge.builder("alcor_dataplane_healthy", engine, e -> e.healthy() ? 1 : 0).register(metrics);
        FunctionCounter.builder("alcor_dataplane_engine_failures", engine, DataplaneEngine::failures).register(metrics);
        FunctionCounter.builder("alcor_dataplane_delivery_failures", engine, DataplaneEngine::deliveryFailures).register(metrics);
        FunctionCounter.builder("alcor_dataplane_changes", engine, DataplaneEngine::changesReceived).register(metrics);
        // Reconciliation (docs/architecture.md): what was found differing and repaired, by where the difference was.
        FunctionCounter.builder("alcor_southbound_repairs", engine, DataplaneEngine::agentStateRepairs).tag("kind", "agent_state")
                .description("hosts sent a full snapshot because their digest differed from what they were sent").register(metrics);
        FunctionCounter.builder("alcor_southbound_repairs", engine, DataplaneEngine::controllerStateRepairs).tag("kind", "controller_state")
                .description("hosts recomputed because their desired state differed from what they were sent, nothing marked").register(metrics);
        FunctionCounter.builder("alcor_southbound_repairs", engine, DataplaneEngine::agentFlowRepairs).tag("kind", "agent_flows")
                .description("flows agents reinstalled or removed after finding their switch differ").register(metrics);
        FunctionCounter.builder("alcor_southbound_attaches", engine, DataplaneEngine::resumes).tag("how", "resumed")
                .description("streams that went on from the host's version").register(metrics);
        FunctionCounter.builder("alcor_southbound_attaches", engine, DataplaneEngine::adoptions).tag("how", "inventory")
                .description("streams that went on with the difference from what the host said it holds").register(metrics);
        FunctionCounter.builder("alcor_southbound_attaches", engine, DataplaneEngine::attachSnapshots).tag("how", "snapshot")
                .description("streams that began with a full snapshot").register(metrics);
        FunctionCounter.builder("alcor_southbound_digests", engine, DataplaneEngine::digestsCompared).tag("outcome", "compared").register(metrics);
        FunctionCounter.builder("alcor_southbound_digests", engine, DataplaneEngine::digestsSkipped).tag("outcome", "skipped").register(metrics);
        FunctionCounter.builder("alcor_dataplane_drift_checks", engine, DataplaneEngine::driftChecks).register(metrics);
        LOG.info(() -> "southbound listening on " + settings.host() + ":" + server.getPort()
                + (settings.secure() ? " (mutual TLS; host certificates from the CA in " + settings.caDir() + ")" : " (plaintext)"));
        return new SouthboundServer(server, sessions, reports, blocking, sweeper, kafka, steering, ownership);
    }

    public int port() { return server.getPort(); }

    /** False when the port-report writer has died: hosts' reports would no longer turn ports ACTIVE. */
    public boolean healthy() { return reports.healthy(); }

    /**
     * The hosts served by this replica with their delivery state: the version last sent, the version the host
     * last acknowledged, and the lag between them (DESIGN.md: the controller shows per-host lag).
     */
    public Object status() {
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (HostSession s : sessions.all()) {
            var path = s.path();
            hosts.add(Map.of("host_id", s.hostId(), "connected", s.connected(), "path", path == null ? "" : path.name().toLowerCase(),
                    "sent_version", s.lastSent(), "acked_version", s.lastAcked(), "lag", s.lag()));
        }
        hosts.sort(java.util.Comparator.comparing(h -> (String) h.get("host_id")));
        return Map.of("hosts", hosts, "replica", ownership.self(), "replicas", new java.util.TreeMap<>(ownership.live()));
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        if (kafka != null) kafka.close();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        blocking.shutdownNow();
        reports.close();
    }
}
