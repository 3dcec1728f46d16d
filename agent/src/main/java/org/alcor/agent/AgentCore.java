package org.alcor.agent;

import org.alcor.agent.southbound.AppliedPosition;
import org.alcor.agent.dhcp.DhcpResponder;
import org.alcor.agent.flow.FlowDelta;
import org.alcor.agent.flow.FlowProgrammer;
import org.alcor.agent.flow.FlowTables;
import org.alcor.agent.openflow.InstalledFlow;
import org.alcor.agent.openflow.OfConnection;
import org.alcor.agent.openflow.OfError;
import org.alcor.agent.ovsdb.BridgeSetup;
import org.alcor.agent.ovsdb.InterfaceMonitor;
import org.alcor.agent.pipeline.PipelineBuilder;
import org.alcor.agent.pipeline.PipelineConfig;
import org.alcor.agent.state.HostDigest;
import org.alcor.agent.state.HostState;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.Inventory;
import org.alcor.proto.Operation;
import org.alcor.proto.ResourceResult;
import org.alcor.proto.ResourceType;
import org.alcor.proto.VpcFeed;
import org.alcor.proto.VpcFeedRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The host agent without its controller stream: takes goal states, keeps the host state, computes the desired
 * flows and programs br-int with only the difference, then acks. One apply thread owns the state and the flow
 * tables; goal states, interface changes and retries only mark work ("dirty flags, not queues", DESIGN.md §6 #3),
 * so a burst of changes costs one recompute and one bundle. A failure (OVS unreachable, a rejected bundle) is
 * acked as per-resource errors and retried with backoff until it succeeds; the state is never dropped.
 * <p>
 * Acks name ports (ok once programmed and plugged) and failed resources only: a host may hold hundreds of
 * thousands of neighbours, and a result per neighbour would make every ack as large as the goal state. A snapshot
 * in parts is acked once, with its last part's version.
 */
public final class AgentCore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentCore.class.getName());

    private final AgentConfig config;
    private final AckSink acks;
    private final HostState state;
    private final FlowTables tables = new FlowTables();
    private final FlowProgrammer programmer;
    private final PipelineBuilder pipeline;
    private final DhcpResponder dhcp = new DhcpResponder();
    private final PacketInHandler packetIns;
    private final InterfaceMonitor monitor;
    private final OnDemandNeighbors onDemand;
    /** Goal states and stream ends in arrival order: a stream end discards the parts staged before it only. */
    private final ConcurrentLinkedQueue<Inbound> inbox = new ConcurrentLinkedQueue<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Set<String> awaitingPlug = new HashSet<>();
    private final Object signal = new Object();
    private final AtomicReference<AppliedPosition> position = new AtomicReference<>(AppliedPosition.NONE);
    private final AtomicLong applyRuns = new AtomicLong();
    private final Thread worker;
    private volatile Map<String, Integer> plugged = Map.of();
    /** Until OVSDB has reported the interfaces once, "no interface" means "not known yet", not "unplugged". */
    private volatile boolean interfacesKnown;
    /** A restarted agent programs nothing before its first goal state: an empty state would delete everything. */
    private boolean haveGoalState;
    private volatile boolean dirty = true;
    private volatile boolean closed;
    private volatile OfConnection of;
    private volatile String lastError;
    /** When the first part of the snapshot being staged (or the goal state being applied) arrived; 0: none. */
    private long firstPartMicros;
    /** When the switch's flows are next compared with what was installed and the controller told what the host holds. */
    private long nextReconcileAt;
    /** Flows reinstalled or removed by reconciliation since the last digest said so, and in all. */
    private long flowRepairsUnreported;
    private final AtomicLong flowRepairs = new AtomicLong(), reconciliations = new AtomicLong();

    private sealed interface Inbound permits Received, StreamEnded, FeedRecord, InventoryRequest {}
    private record Received(GoalState gs, long receivedMicros) implements Inbound {}
    private record StreamEnded() implements Inbound {}
    private record FeedRecord(VpcFeedRecord record) implements Inbound {}
    private record InventoryRequest(CompletableFuture<Inventory> answer) implements Inbound {}

    /** The VPC feeds (MQ path); null: none are followed. Set before start. */
    private volatile FeedFollowing feeds;
    /** The feeds named by the goal state being applied (all parts of a snapshot), and whether it is a snapshot. */
    private final List<VpcFeed> stagedFeeds = new ArrayList<>();
    private boolean stagedSnapshot;

    private record Pending(HostState.Applied applied, long receivedMicros, boolean[] errorReported) {}

    public AgentCore(AgentConfig config, AckSink acks, NeighborLookup lookup) {
        this.config = config;
        this.acks = acks;
        this.state = new HostState(config.hostId());
        this.programmer = new FlowProgrammer(config.bundleChunk(), config.switchTimeoutMillis());
        this.pipeline = new PipelineBuilder(new PipelineConfig(BridgeSetup.TUNNEL_OFPORT, config.underlayIp()));
        this.monitor = new InterfaceMonitor(config.ovsDbSocket(), p -> { plugged = p; interfacesKnown = true; wake(); });
        this.onDemand = new OnDemandNeighbors(lookup, this::wake, BridgeSetup.TUNNEL_OFPORT);
        this.packetIns = new PacketInHandler(dhcp, onDemand, this::currentConnection);
        this.nextReconcileAt = System.currentTimeMillis() + config.reconcileMillis();
        this.worker = new Thread(this::loop, "agent-apply");
        this.worker.setDaemon(true);
    }

    /** Sets up the bridge and tunnel port (idempotent) and starts watching interfaces and applying. */
    public void start() throws IOException {
        new BridgeSetup(config.ovsDb(), config.bridge(), config.datapathType()).ensure(config.underlayIp());
        monitor.start();
        worker.start();
    }

    /** Follows VPC feeds on the MQ path (call before start). */
    public void feeds(FeedFollowing following) { this.feeds = following; }

    /** Queues one VPC feed record; applied in arrival order with the goal states. */
    public void submitFeedRecord(VpcFeedRecord r) {
        inbox.add(new FeedRecord(r));
        wake();
    }

    /** Queues one goal state; applied in arrival order. */
    public void submit(GoalState gs) {
        inbox.add(new Received(gs, micros()));
        wake();
    }

    /**
     * The stream that delivered the goal states so far has ended: the parts of a snapshot still incomplete are
     * discarded (the controller sends a whole snapshot again after the reconnect); what was applied stays.
     */
    public void streamEnded() {
        inbox.add(new StreamEnded());
        wake();
    }

    /**
     * What the host holds, for a Hello (taken on the apply thread, after every goal state received before the call):
     * null when it holds no goal state, or when the apply thread did not answer within the timeout (busy programming a
     * large delta; the Hello then goes without, and the controller sends a full snapshot).
     */
    public Inventory inventory(long timeoutMillis) {
        CompletableFuture<Inventory> answer = new CompletableFuture<>();
        inbox.add(new InventoryRequest(answer));
        wake();
        try {
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public long appliedVersion() { return position.get().version(); }

    /** The version applied and the controller epoch it is numbered in, together. */
    public AppliedPosition appliedPosition() { return position.get(); }

    public String hostId() { return config.hostId(); }

    /** Number of completed programming runs (tests wait on it instead of sleeping). */
    public long applyRuns() { return applyRuns.get(); }

    public String lastError() { return lastError; }

    public int desiredFlowCount() { return tables.desired().size(); }

    /** Flows reconciliation found missing from or extra in the switch and repaired, since start. */
    public long flowRepairs() { return flowRepairs.get(); }

    /** Completed reconciliations (flow comparison, then the digest sent). */
    public long reconciliations() { return reconciliations.get(); }

    OfConnection currentConnection() { return of; }

    private void wake() {
        synchronized (signal) { dirty = true; signal.notifyAll(); }
    }

    private void loop() {
        long backoff = 50;
        long retryAt = 0;
        while (!closed) {
            long expiry = Math.min(state.suppressedSources.nextExpiry(),   // read here: the state belongs to this thread
                    config.reconcileMillis() > 0 ? nextReconcileAt : Long.MAX_VALUE);
            synchronized (signal) {
                // run on any new work, when a retry is due or a suppressed source expires; a signal during backoff retries at once
                while (!closed && !dirty && !(retryAt != 0 && System.currentTimeMillis() >= retryAt) && System.currentTimeMillis() < expiry) {
                    long now = System.currentTimeMillis();
                    long wait = Math.max(1, Math.min(retryAt != 0 ? retryAt - now : 1000, expiry - now));
                    try { signal.wait(wait); } catch (InterruptedException e) { return; }
                }
                if (closed) return;
                dirty = false;
            }
            retryAt = 0;
            drainInbox();
            try {
                programOnce();
                if (config.reconcileMillis() > 0 && System.currentTimeMillis() >= nextReconcileAt) reconcile();
                backoff = 50;
                lastError = null;
            } catch (RuntimeException | IOException e) {
                lastError = e.getMessage();
                LOG.warning("host " + config.hostId() + ": programming failed, retrying in " + backoff + " ms: " + e.getMessage());
                reportFailure(e.getMessage());
                OfConnection c = of;
                if (c != null && !(e instanceof org.alcor.agent.openflow.OfException && c.isOpen())) { c.close(); of = null; }
                retryAt = System.currentTimeMillis() + backoff;
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    private void drainInbox() {
        Inbound in;
        while ((in = inbox.poll()) != null) {
            if (in instanceof StreamEnded) {
                if (state.stagingSnapshot()) LOG.info("host " + config.hostId() + ": stream ended mid-snapshot, its parts are discarded");
                state.discardStagedParts();
                stagedFeeds.clear();
                stagedSnapshot = false;
                firstPartMicros = 0;
                continue;
            }
            if (in instanceof FeedRecord f) {
                applyFeedRecord(f.record());
                continue;
            }
            if (in instanceof InventoryRequest q) {
                q.answer().complete(haveGoalState ? HostDigest.inventory(state) : null);
                continue;
            }
            Received r = (Received) in;
            if (r.gs().getFullSnapshot()) {
                stagedFeeds.clear();
                stagedSnapshot = true;
            }
            stagedFeeds.addAll(r.gs().getVpcFeedsList());
            if (firstPartMicros == 0 || r.gs().getFullSnapshot()) firstPartMicros = r.receivedMicros();
            Optional<HostState.Applied> applied = state.apply(r.gs());
            if (applied.isEmpty()) {   // a part staged (or a stray one dropped): nothing changed, nothing to ack
                if (!state.stagingSnapshot()) {
                    firstPartMicros = 0;
                    stagedFeeds.clear();
                    stagedSnapshot = false;
                }
                continue;
            }
            pending.add(new Pending(applied.get(), firstPartMicros, new boolean[1]));
            firstPartMicros = 0;
            haveGoalState = true;
            FeedFollowing f = feeds;
            if (f != null) {
                List<String> deleted = new ArrayList<>();
                r.gs().getVpcsMap().forEach((id, vpc) -> { if (vpc.getOp() == Operation.DELETE) deleted.add(id); });
                f.applied(stagedSnapshot, List.copyOf(stagedFeeds), deleted);
            }
            stagedFeeds.clear();
            stagedSnapshot = false;
        }
        long now = System.currentTimeMillis();
        onDemand.drainInto(state, now);
        state.suppressedSources.expire(now);
    }

    private void applyFeedRecord(VpcFeedRecord r) {
        FeedFollowing f = feeds;
        if (f == null) return;
        switch (f.admit(r)) {
            case APPLY -> {
                if (!state.applyNeighbors(r.getChanges())) LOG.warning("host " + config.hostId() + ": malformed entries in VPC feed " + r.getFeedId());
            }
            case GAP -> f.gap("VPC feed " + r.getFeedId() + " of VPC " + r.getVpcId() + " is missing records before " + r.getNumber());
            case SKIP -> { }
        }
    }

    private void programOnce() throws IOException {
        if (!haveGoalState || !interfacesKnown) return;   // woken again when either arrives
        OfConnection c = ensureConnected();
        Map<String, Integer> ports = plugged;
        tables.setDesired(pipeline.build(state, ports));
        dhcp.update(state);
        onDemand.update(state);
        FlowDelta delta = tables.delta();
        programmer.apply(c, delta);
        tables.markApplied(delta);
        onDemand.releaseHeld(c, state);   // the state is what was just committed: this thread alone changes it
        applyRuns.incrementAndGet();
        position.set(new AppliedPosition(state.version(), state.epoch()));
        long applied = micros();
        for (Pending p : pending) {
            List<ResourceResult> results = new ArrayList<>();
            long micros = applied - p.receivedMicros();
            for (HostState.Touched t : p.applied().touched()) {
                if (t.type() == ResourceType.GATEWAY && state.gateways.containsKey(t.id())) {
                    // said plainly rather than acked as done: north-south traffic is not programmed yet
                    results.add(result(t.type(), t.id(), false, "GatewayState is not supported by this agent yet", micros));
                    continue;
                }
                if (t.type() != ResourceType.PORT) continue;   // only ports are reported when all went well
                if (state.ports.containsKey(t.id()) && !ports.containsKey(t.id()) && state.ports.get(t.id()).getOp() != Operation.INFO) {
                    awaitingPlug.add(t.id());   // reported once its interface shows up
                    continue;
                }
                awaitingPlug.remove(t.id());
                results.add(result(t.type(), t.id(), true, "", micros));
            }
            for (HostState.Rejected r : p.applied().rejected()) results.add(result(r.type(), r.id(), false, r.error(), micros));
            acks.ack(ack(p.applied().version(), results, p.receivedMicros(), applied));
        }
        pending.clear();
        // ports whose interface appeared after their goal state: report them now against the current version
        List<ResourceResult> late = new ArrayList<>();
        awaitingPlug.removeIf(id -> !state.ports.containsKey(id));
        for (String id : List.copyOf(awaitingPlug)) {
            if (ports.containsKey(id)) {
                awaitingPlug.remove(id);
                late.add(result(ResourceType.PORT, id, true, "", 0));
            }
        }
        if (!late.isEmpty()) acks.ack(ack(state.version(), late, applied, applied));
    }

    /** Every resource of the pending versions failed; neighbours as one result per VPC (id = the VPC's id). */
    private void reportFailure(String error) {
        long now = micros();
        for (Pending p : pending) {
            if (p.errorReported()[0]) continue;   // one error ack per version; the retry keeps going
            p.errorReported()[0] = true;
            List<ResourceResult> results = new ArrayList<>();
            for (HostState.Touched t : p.applied().touched()) results.add(result(t.type(), t.id(), false, error, now - p.receivedMicros()));
            for (HostState.Rejected r : p.applied().rejected()) results.add(result(r.type(), r.id(), false, r.error(), now - p.receivedMicros()));
            acks.ack(ack(p.applied().version(), results, p.receivedMicros(), now));
        }
    }

    /**
     * Reconciliation, when everything received is applied and acked: the switch's flows are compared with what this
     * agent installed (someone's ovs-ofctl, a vswitchd that lost some) and the difference is reprogrammed; then the
     * controller is told what the host holds, which it compares with what it sent (and repairs with a snapshot).
     */
    private void reconcile() throws IOException {
        nextReconcileAt = System.currentTimeMillis() + config.reconcileMillis();
        if (!haveGoalState || !interfacesKnown || !pending.isEmpty() || state.stagingSnapshot()) return;
        OfConnection c = ensureConnected();
        List<Long> cookies;
        try {
            cookies = c.dumpFlows().get(config.switchTimeoutMillis(), TimeUnit.MILLISECONDS).stream().map(InstalledFlow::cookie).toList();
        } catch (Exception e) {
            throw new IOException("reconciliation cannot read installed flows: " + e.getMessage(), e);
        }
        if (!tables.installedAre(cookies)) {
            tables.resetInstalled(cookies);
            FlowDelta delta = tables.delta();
            LOG.warning("host " + config.hostId() + ": reconciliation: the switch differs from what this agent installed; "
                    + delta.adds().size() + " flows reinstalled, " + delta.deletes().size() + " removed");
            programmer.apply(c, delta);
            tables.markApplied(delta);
            flowRepairs.addAndGet(delta.size());
            flowRepairsUnreported += delta.size();
        }
        acks.digest(HostDigest.of(state, flowRepairsUnreported));
        flowRepairsUnreported = 0;
        reconciliations.incrementAndGet();
    }

    private OfConnection ensureConnected() throws IOException {
        OfConnection c = of;
        if (c != null && c.isOpen()) return c;
        c = OfConnection.open(config.openflowSocket(), packetIns::handle, this::onSwitchError);
        try {
            // reconcile from what is really installed: unchanged flows keep their cookies, counters and age
            List<InstalledFlow> installed = c.dumpFlows().get(config.switchTimeoutMillis(), TimeUnit.MILLISECONDS);
            tables.resetInstalled(installed.stream().map(InstalledFlow::cookie).toList());
        } catch (Exception e) {
            c.close();
            throw new IOException("cannot read installed flows: " + e.getMessage(), e);
        }
        of = c;
        c.closedFuture().thenRun(this::wake);   // a lost switch connection is work: reconnect and reconcile
        return c;
    }

    private void onSwitchError(OfError e) {
        LOG.fine(() -> "host " + config.hostId() + ": " + e);
    }

    private GoalStateAck ack(long version, List<ResourceResult> results, long received, long applied) {
        return GoalStateAck.newBuilder().setHostId(config.hostId()).setVersion(version).addAllResults(results)
                .setReceivedAtMicros(received).setAppliedAtMicros(applied).build();
    }

    private static ResourceResult result(ResourceType type, String id, boolean ok, String error, long micros) {
        return ResourceResult.newBuilder().setResourceType(type).setResourceId(id).setOk(ok)
                .setError(error == null ? "" : error).setApplyMicros(Math.max(0, micros)).build();
    }

    private static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Stops applying; the bridge keeps its flows (fail_mode=secure), as a restarted agent expects. */
    @Override public void close() {
        closed = true;
        worker.interrupt();
        try { worker.join(5000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        monitor.close();
        onDemand.close();
        OfConnection c = of;
        if (c != null) c.close();
    }
}
