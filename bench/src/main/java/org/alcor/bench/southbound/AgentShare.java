package org.alcor.bench.southbound;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.NeighborTable;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.VpcState;

/**
 * The simulated agents of one process (the bench's own JVM, or one child of {@code --processes}) and what the
 * bench measures on them, told to a {@link ShareEvents}. Normal agents share {@code channels} gRPC connections;
 * slow and stuck agents get a connection each, as a real host has its own: on a shared HTTP/2 connection the bytes
 * of a stream nobody reads keep holding the connection's flow-control window, so a hung simulated agent would also
 * stall the normal ones beside it, which no real deployment does.
 *
 * <p>State is compact (see {@link AppliedState}); on top of it each host keeps the ids of its local ports, which is
 * what "the port has arrived" means (its own host holds it as a local port, not as another host's INFO member).
 * Counts and the time of the latest arrival are reported at most every {@link #REPORT_MILLIS} ms, when they change;
 * single ports only once {@link #watchPorts()} was called (after the fill), so a million-port fill costs counters.
 */
public final class AgentShare implements AutoCloseable {
    static final long REPORT_MILLIS = 20;

    private final List<ManagedChannel> channels = new ArrayList<>();
    /** The shared connections of normal agents, per replica address. */
    private final java.util.Map<String, List<ManagedChannel>> shared = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Host> hosts = new ArrayList<>();
    private final ShareEvents events;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-share-reporter");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong held = new AtomicLong(), heldNanos = new AtomicLong();
    private volatile boolean watchingPorts;
    private volatile Watch watch;
    private boolean connectedReported, failedReported;
    private long reportedHeld = -1, reportedHeldNanos;
    private int reportedProactive = -1, reportedOnDemand = -1;
    private int reportedCreates = -1, reportedDeletes = -1;
    private Watch reportedWatch;

    /** The MQ path's link to the brokers, shared by this share's agents; null: they are served over gRPC only. */
    private final org.alcor.southbound.mq.AgentMqLink mqLink;

    /**
     * southbound: HOST:PORT[,HOST:PORT...], the controller's replicas; each has sharedChannels connections, host i
     * dials replica i mod n first and follows redirects (over the shared connections of its owner). mq: the
     * controller's Kafka layout when the agents can be moved to the MQ path (one cluster), else null.
     */
    public AgentShare(String southbound, int sharedChannels, List<HostSpec> specs, ShareEvents events,
                      org.alcor.southbound.mq.MqLayout mq) {
        this.events = events;
        if (mq != null && mq.clusters().size() != 1) throw new IllegalArgumentException("the bench's agents read one Kafka cluster, not " + mq.clusters());
        this.mqLink = mq == null ? null : new org.alcor.southbound.mq.AgentMqLink(mq.clusters().getFirst());
        List<String> replicas = List.of(southbound.split(","));
        for (String r : replicas) shared.put(r, sharedOf(r, sharedChannels));
        java.util.concurrent.atomic.AtomicInteger spread = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Function<String, io.grpc.Channel> dial = address -> {
            List<ManagedChannel> to = shared.computeIfAbsent(address, a -> sharedOf(a, sharedChannels));
            return to.get(Math.floorMod(spread.getAndIncrement(), to.size()));
        };
        int next = 0;
        for (HostSpec spec : specs) {
            String first = replicas.get(spec.index() % replicas.size());
            ManagedChannel channel;
            if (spec.normal()) {
                List<ManagedChannel> to = shared.get(first);
                channel = to.get(next++ % to.size());
            } else {
                channel = channel(first);
                channels.add(channel);
            }
            Host h = new Host(spec, channel);
            if (replicas.size() > 1) h.agent.replicas(replicas, dial);
            if (mqLink != null) h.agent.readsMq(mqLink, mq);
            hosts.add(h);
        }
    }

    private List<ManagedChannel> sharedOf(String address, int n) {
        List<ManagedChannel> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ManagedChannel c = channel(address);
            out.add(c);
            synchronized (channels) { channels.add(c); }
        }
        return out;
    }

    private static ManagedChannel channel(String address) {
        int colon = address.lastIndexOf(':');
        return NettyChannelBuilder.forAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))).usePlaintext()
                .directExecutor().maxInboundMessageSize(64 << 20).build();
    }

    /** Opens every agent's stream; {@link ShareEvents#connected} follows once every normal agent has its first goal state. */
    public void connect() {
        for (Host h : hosts) h.agent.connect();
        reporter.scheduleWithFixedDelay(this::report, REPORT_MILLIS, REPORT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** From now on every port a normal host newly holds is reported on its own. */
    public void watchPorts() { watchingPorts = true; }

    /** Counts the normal hosts (but the port's own) that are sent this neighbour's create, and later its delete. */
    public void watchNeighbor(String vpcId, String ipv4, String boundHostId) {
        watch = new Watch(vpcId, ipv4(ipv4), vpcId + "/" + ipv4, boundHostId);
    }

    public List<HostTotals> totals() {
        List<HostTotals> out = new ArrayList<>();
        for (Host h : hosts) {
            out.add(new HostTotals(h.spec.index(), h.spec.reading(), h.agent.messages(), h.agent.bytes(), h.agent.state().minimalBytes(), h.agent.feedRecords(),
                    h.agent.feedBytes()));
        }
        return out;
    }

    /** Runs on the reporter thread only, so the "reported" fields need no locking. */
    private void report() {
        try {
            if (failedReported) return;
            for (Host h : hosts) {
                Throwable e = h.agent.streamError();
                if (e != null) {
                    failedReported = true;
                    // Before the first goal states, a failure is most likely the wrong address.
                    String hint = connectedReported ? "" : " (is --southbound the controller's goal-state port?)";
                    events.failed("the goal-state stream of host " + h.spec.id() + " failed: " + describeStreamError(e) + hint);
                    return;
                }
            }
            int normal = 0, firsts = 0, proactive = 0, onDemand = 0;
            for (Host h : hosts) {
                if (!h.spec.normal()) continue;
                normal++;
                if (h.agent.appliedVersion() > 0) firsts++;
                NeighborPolicy p = h.policy;
                if (p == NeighborPolicy.ON_DEMAND) onDemand++;
                else if (p != null) proactive++;
            }
            if (!connectedReported && firsts == normal) {
                connectedReported = true;
                events.connected(hosts.size());
            }
            long n = held.get(), t = heldNanos.get();   // the count first: t then covers every arrival counted
            if (n != reportedHeld || t != reportedHeldNanos) {
                reportedHeld = n;
                reportedHeldNanos = t;
                events.held(n, t);
            }
            if (proactive != reportedProactive || onDemand != reportedOnDemand) {
                reportedProactive = proactive;
                reportedOnDemand = onDemand;
                events.policy(proactive, onDemand);
            }
            Watch w = watch;
            if (w != null) {
                if (w != reportedWatch) {
                    reportedWatch = w;
                    reportedCreates = reportedDeletes = -1;
                }
                int c = w.creates.get(), d = w.deletes.get();
                if (c != reportedCreates) events.fanOut(ShareEvents.FanOut.CREATE, reportedCreates = c, w.createNanos.get());
                if (d != reportedDeletes) events.fanOut(ShareEvents.FanOut.DELETE, reportedDeletes = d, w.deleteNanos.get());
            }
        } catch (RuntimeException e) {
            failedReported = true;
            events.failed("agent share: " + e);
        }
    }

    private static String describeStreamError(Throwable e) {
        if (e instanceof io.grpc.StatusRuntimeException s) {
            var status = s.getStatus();
            String cause = status.getCause() != null ? " (" + status.getCause().getMessage() + ")" : "";
            return status.getCode() + (status.getDescription() != null ? ": " + status.getDescription() : "") + cause;
        }
        return String.valueOf(e);
    }

    private static int ipv4(String ip) {
        String[] o = ip.split("\\.");
        if (o.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ip);
        int v = 0;
        for (String s : o) v = (v << 8) | Integer.parseInt(s);
        return v;
    }

    @Override
    public void close() {
        reporter.shutdownNow();
        for (Host h : hosts) h.agent.close();
        for (ManagedChannel c : channels) c.shutdownNow();
        if (mqLink != null) mqLink.close();
    }

    /** The neighbour whose fan-out is being timed; one object per watch, so hosts reset their flags by identity. */
    private record Watch(String vpcId, int ip, String key, String boundHostId,
                         AtomicInteger creates, AtomicInteger deletes, AtomicLong createNanos, AtomicLong deleteNanos) {
        Watch(String vpcId, int ip, String key, String boundHostId) {
            this(vpcId, ip, key, boundHostId, new AtomicInteger(), new AtomicInteger(), new AtomicLong(), new AtomicLong());
        }
    }

    /**
     * One agent and what the bench tracks of it. The listener runs on the agent's stream, one goal state at a time,
     * so the fields below are touched by one thread at a time (the share's counters are atomic).
     */
    private final class Host implements SimulatedAgent.Listener {
        final HostSpec spec;
        final SimulatedAgent agent;
        /** Ids of the ports this host holds as its own. */
        private Set<String> localPorts = new HashSet<>();
        /** The local ports of a snapshot whose parts are still arriving (applied, as the agent does, at the last part). */
        private Set<String> snapshot;
        private long lastVersion;
        /** The neighbour policy of the last VPC state this host was sent (the bench's hosts are in one VPC). */
        volatile NeighborPolicy policy;
        private Watch seenFor;
        private boolean sawCreate, sawDelete;

        Host(HostSpec spec, ManagedChannel channel) {
            this.spec = spec;
            this.agent = new SimulatedAgent(channel, spec.id(), spec.underlayIp(), this, spec.reading(), true);
        }

        @Override
        public void applied(SimulatedAgent a, GoalState gs, long receivedNanos) {
            if (!spec.normal()) return;   // slow and stuck hosts are left out of every figure but their message counts
            // As SimulatedAgent: an old version (a resend of what is applied) changes nothing.
            if (gs.getVersion() <= lastVersion && !gs.getFullSnapshot() && !gs.getMoreParts()) return;
            lastVersion = Math.max(lastVersion, gs.getVersion());
            ports(gs, receivedNanos);
            for (VpcState vpc : gs.getVpcsMap().values()) {
                if (vpc.getOp() != Operation.DELETE) policy = vpc.getNeighborPolicy() == NeighborPolicy.ON_DEMAND ? NeighborPolicy.ON_DEMAND : NeighborPolicy.PROACTIVE;
            }
            Watch w = watch;
            if (w != null && !spec.id().equals(w.boundHostId())) fanOut(w, gs, receivedNanos);
        }

        @Override
        public void feedApplied(SimulatedAgent a, NeighborTable changes, long receivedNanos) {
            Watch w = watch;
            if (spec.normal() && w != null && !spec.id().equals(w.boundHostId())) {
                fanOut(w, GoalState.newBuilder().addNeighborTables(changes).build(), receivedNanos);
            }
        }

        private void ports(GoalState gs, long nanos) {
            if (gs.getFullSnapshot()) snapshot = new HashSet<>();
            if (gs.getMoreParts() || snapshot != null) {
                if (snapshot == null) return;   // a part of a snapshot whose start was missed: the agent ignores it too
                gs.getPortsMap().forEach((id, p) -> {
                    if (local(p)) snapshot.add(id);
                    else if (p.getOp() != Operation.INFO) snapshot.remove(id);
                });
                if (gs.getMoreParts()) return;
                Set<String> before = localPorts;
                localPorts = snapshot;
                snapshot = null;
                if (watchingPorts) for (String id : localPorts) if (!before.contains(id)) arrived(id, nanos);
                moved(localPorts.size() - before.size(), nanos);
                return;
            }
            int delta = 0;
            for (var e : gs.getPortsMap().entrySet()) {
                if (local(e.getValue())) {
                    if (localPorts.add(e.getKey())) {
                        delta++;
                        if (watchingPorts) arrived(e.getKey(), nanos);
                    }
                } else if (e.getValue().getOp() != Operation.INFO && localPorts.remove(e.getKey())) {
                    delta--;   // deleted, or bound elsewhere now
                }
            }
            moved(delta, nanos);
        }

        private boolean local(PortState p) {
            return (p.getOp() == Operation.CREATE || p.getOp() == Operation.UPDATE) && p.getHostId().equals(spec.id());
        }

        private void arrived(String id, long nanos) { events.portArrived(id, nanos); }

        private void moved(int delta, long nanos) {
            if (delta == 0) return;
            if (delta > 0) heldNanos.accumulateAndGet(nanos, Math::max);   // before the count: see report()
            held.addAndGet(delta);
        }

        private void fanOut(Watch w, GoalState gs, long nanos) {
            if (seenFor != w) {
                seenFor = w;
                sawCreate = sawDelete = false;
            }
            boolean created = false, deleted = false;
            for (NeighborTable t : gs.getNeighborTablesList()) {
                if (!t.getVpcId().equals(w.vpcId())) continue;
                for (int i = 0; i < t.getIpv4Count() && !created; i++) created = t.getIpv4(i) == w.ip();
                for (int i = 0; i < t.getDeletedIpv4Count() && !deleted; i++) deleted = t.getDeletedIpv4(i) == w.ip();
            }
            var n = gs.getNeighborsMap().get(w.key());   // the per-entry map, which agents still accept
            if (n != null) {
                if (n.getOp() == Operation.DELETE) deleted = true;
                else created = true;
            }
            if (created && !sawCreate) {
                sawCreate = true;
                w.createNanos().accumulateAndGet(nanos, Math::max);
                w.creates().incrementAndGet();
            }
            if (deleted && !sawDelete) {
                sawDelete = true;
                w.deleteNanos().accumulateAndGet(nanos, Math::max);
                w.deletes().incrementAndGet();
            }
        }
    }
}
