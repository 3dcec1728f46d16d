package org.alcor.controller.dataplane;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.core.Resource;
import org.alcor.controller.store.RowChange;
import org.alcor.controller.store.Store;
import org.alcor.proto.FeedPosition;
import org.alcor.proto.GoalState;
import org.alcor.proto.Inventory;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.NeighborState;
import org.alcor.proto.StateDigest;

/**
 * Turns committed changes into per-host goal states for the hosts connected to this controller, as an incremental
 * engine (the model is OVN northd's): the change feed ({@link ChangeIntake}) feeds the {@link Snapshot}, which
 * decodes each row once into typed {@link TopologyChange}s; the neighbour node ({@link NeighborTables}) and the
 * interest index ({@link HostInterest}) turn those into dirty flags on the hosts' {@link HostDelivery}s; and a
 * host's difference is computed and written only when its stream can take it. One thread owns all of it, so
 * nothing is locked, and its memory is the state itself: no queue grows with churn or with slow hosts.
 *
 * <p>Supervised: an exception or error anywhere in a round turns {@link #healthy()} false (the controller's
 * /ready follows it), is logged and counted, and the engine restarts from a full recompute: a new snapshot read
 * from the store and a full snapshot to every host.
 */
public final class DataplaneEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DataplaneEngine.class.getName());
    private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Where a test injects a fault; production passes {@link #NONE}. */
    public interface Faults {
        /** Called at the start of every round and every (re)load, on the engine thread. */
        void check();
    }

    public static final Faults NONE = () -> { };

    private sealed interface Control {}

    private record Attach(String hostId, HostSink sink, boolean resumed, boolean followsFeeds, Map<String, FeedPosition> positions,
                          Inventory inventory) implements Control {}

    private record FeedBroken(String feedId) implements Control {}

    private record Pull(String hostId, CompletableFuture<List<GoalState>> parts) implements Control {}

    /** More parts than this for one host is a fault of the engine, not a large host: the pull fails instead of looping. */
    private static final int PULL_MAX_PARTS = 100_000;
    /** A stream snapshot this long is logged once (with the host's delivery state): one never ended, twice, unexplained. */
    private static final int LONG_SNAPSHOT_PARTS = 20_000;

    private record Detach(String hostId, HostSink sink) implements Control {}

    private record Digest(String hostId, HostSink sink, StateDigest digest) implements Control {}

    private final Store store;
    private final int pushLimit;
    private final int messageBudget;
    private final Faults faults;
    private final ChangeIntake intake;
    private final ConcurrentLinkedQueue<Control> controls = new ConcurrentLinkedQueue<>();
    private final Set<String> readySignals = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean signal = new AtomicBoolean();
    private final Thread thread;

    // Owned by the engine thread; rebuilt by a (re)load.
    private Snapshot snapshot;
    private volatile NeighborTables tables;
    private volatile HostInterest interest;
    private final Topology inputs = new Inputs();
    private VpcFeeds feeds = new VpcFeeds();
    private volatile FeedSink feedSink;
    private final Map<String, HostDelivery> deliveries = new HashMap<>();
    /** Hosts that may have something to send; hosts whose stream cannot take more wait in blocked until it can. */
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    private final Set<String> blocked = new HashSet<>();
    private long lastHousekeeping = System.nanoTime();

    private volatile boolean closed;
    private volatile boolean healthy;
    private volatile int pendingCount, blockedCount;
    private final AtomicLong failures = new AtomicLong(), deliveryFailures = new AtomicLong(), messages = new AtomicLong(),
            rounds = new AtomicLong(), snapshotsLoaded = new AtomicLong();
    /** How attached hosts went on: from their version, from what they said they hold, or with a full snapshot. */
    private final AtomicLong resumes = new AtomicLong(), adoptions = new AtomicLong(), attachSnapshots = new AtomicLong();
    private final AtomicLong digestsCompared = new AtomicLong(), digestsSkipped = new AtomicLong(), agentStateRepairs = new AtomicLong(),
            controllerStateRepairs = new AtomicLong(), agentFlowRepairs = new AtomicLong(), driftChecks = new AtomicLong();
    /** How often each host's desired state is recomputed against what it was sent (0: never); hosts are spread over it. */
    private volatile long reconcileNanos = TimeUnit.SECONDS.toNanos(60);
    /** The hosts still to check in the current reconciliation period (engine thread). */
    private final ArrayDeque<String> driftTurn = new ArrayDeque<>();
    private long driftPeriodStart = System.nanoTime();

    public DataplaneEngine(Store store, int neighborPushLimit, int messageBudget, Faults faults) {
        this.store = store;
        this.pushLimit = neighborPushLimit;
        this.messageBudget = messageBudget;
        this.faults = faults;
        this.thread = new Thread(this::run, "alcor-dataplane");
        thread.setDaemon(true);
        // Subscribed before the first load reads the store: a commit is then either in the load or in the intake.
        this.intake = new ChangeIntake(store, Snapshot.TABLES, this::wake);
        thread.start();
    }

    /**
     * A host's stream is (re)attached. resumed: the host applied everything it was sent, so what was sent stands
     * (if this engine still knows it); otherwise the host gets a full snapshot.
     */
    public void attach(String hostId, HostSink sink, boolean resumed) { attach(hostId, sink, resumed, false, List.of(), null); }

    /**
     * followsFeeds: the new stream is on the MQ path and its agent follows VPC feeds (it keeps the ones it had);
     * otherwise it follows none, and positions say how far it applied each one it had. inventory: what the host says
     * it holds (null: nothing said). A host that cannot resume is sent only the difference
     * from it when it can be taken as sent ({@link HostDelivery#adopt}), else a full snapshot.
     */
    public void attach(String hostId, HostSink sink, boolean resumed, boolean followsFeeds, List<FeedPosition> positions, Inventory inventory) {
        Map<String, FeedPosition> byVpc = new HashMap<>();
        for (FeedPosition p : positions) byVpc.put(p.getVpcId(), p);
        controls.add(new Attach(hostId, sink, resumed, followsFeeds, byVpc, inventory));
        wake();
    }

    /**
     * The host's whole goal state as a full snapshot in parts, computed as a stream's snapshot is but outside its
     * session (version 0, no epoch): the rescue path's answer. Fails while the engine reloads.
     */
    public CompletableFuture<List<GoalState>> pull(String hostId) {
        var parts = new CompletableFuture<List<GoalState>>();
        controls.add(new Pull(hostId, parts));
        wake();
        return parts;
    }

    /** The MQ path, which takes VPC feeds; without one every host gets its neighbours in its own goal states. */
    public void feeds(FeedSink sink) { this.feedSink = sink; }

    /** A record of a feed was not written (the sink's callback, any thread): its hosts get snapshots. */
    public void feedBroken(String feedId) {
        controls.add(new FeedBroken(feedId));
        wake();
    }

    /** Reconciliation: a host says what it holds (any thread; compared on the engine thread). */
    public void digest(String hostId, HostSink sink, StateDigest digest) {
        controls.add(new Digest(hostId, sink, digest));
        wake();
    }

    /** Every served host's desired state is recomputed and compared with what it was sent once per this period (0: never). */
    public void reconcileEvery(int seconds) { reconcileNanos = TimeUnit.SECONDS.toNanos(seconds); }

    /** The host's session ended for good: its delivery state is dropped. */
    public void detach(String hostId, HostSink sink) {
        controls.add(new Detach(hostId, sink));
        wake();
    }

    /** The host's stream can take more (gRPC flow control turned ready, or an ack opened the window). Any thread. */
    public void ready(String hostId) {
        readySignals.add(hostId);
        wake();
    }

    /**
     * On-demand neighbour resolution: where an address of a VPC lives, if a bound port holds it; null while the
     * engine is (re)loading and cannot say. Any thread: it reads the neighbour tables without waiting for a round.
     */
    public Optional<NeighborState> lookup(String vpcId, String ip) {
        NeighborTables t = tables;
        if (t == null) return null;
        return Optional.ofNullable(t.lookup(vpcId, ip));
    }

    /** Whether the host has a port in the VPC (what it may ask lookups about); false while the engine reloads. Any thread. */
    public boolean hostServes(String hostId, String vpcId) {
        HostInterest i = interest;
        return i != null && i.serves(hostId, vpcId);
    }

    private void wake() {
        if (signal.compareAndSet(false, true)) LockSupport.unpark(thread);
    }

    private void run() {
        long backoffMillis = 100;
        while (!closed) {
            try {
                if (snapshot == null) load();
                healthy = true;
                backoffMillis = 100;
                awaitWork();
                if (closed) return;
                round();
            } catch (Throwable t) {
                if (closed) return;
                healthy = false;
                failures.incrementAndGet();
                LOG.log(Level.SEVERE, "dataplane engine failed; restarting it from a full recompute in " + backoffMillis + " ms", t);
                snapshot = null;
                interest = null;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /**
     * Waits for a signal, unless hosts are still pending: a round sends each host one message, and what a host has
     * left (the next part of a snapshot, which no ack will wake us for) goes out in the next round at once, not
     * at the next housekeeping.
     */
    private void awaitWork() {
        if (!pending.isEmpty()) return;
        long until = lastHousekeeping + HOUSEKEEPING_NANOS;
        while (!closed && !signal.getAndSet(false)) {
            long left = until - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(this, left);
        }
    }

    /** The full recompute: every row read again, every host sent a full snapshot. */
    private void load() {
        faults.check();
        long started = System.nanoTime();
        Snapshot s = Snapshot.load(store);
        NeighborTables t = new NeighborTables(pushLimit);
        HostInterest i = new HostInterest();
        HostInterest.Marks none = new HostInterest.Marks() {
            @Override public void port(String hostId, String portId) { }

            @Override public void recompute(String hostId) { }
        };
        for (PortRecord p : s.ports()) {
            t.portChanged(null, p, s);
            i.portChanged(null, p, none);
        }
        t.drainTouched();
        boolean restart = snapshotsLoaded.getAndIncrement() > 0;
        snapshot = s;
        tables = t;
        interest = i;
        feeds = new VpcFeeds();   // new ids: every host gets a snapshot, which hands its VPCs over again
        blocked.clear();
        for (HostDelivery d : deliveries.values()) {
            if (restart) d.markSnapshot("the controller's goal-state engine restarted");
            pending.add(d.hostId);
        }
        LOG.info(() -> String.format("dataplane: loaded %d bound ports in %d ms%s", s.portCount(),
                (System.nanoTime() - started) / 1_000_000, restart ? "; every host gets a full snapshot" : ""));
    }

    private void round() {
        faults.check();
        rounds.incrementAndGet();
        Control c;
        while ((c = controls.poll()) != null) control(c);
        List<RowChange> changes = intake.drain();
        if (!changes.isEmpty()) apply(changes);
        for (Iterator<String> it = readySignals.iterator(); it.hasNext(); ) {
            String host = it.next();
            it.remove();
            if (blocked.remove(host)) pending.add(host);
        }
        if (System.nanoTime() - lastHousekeeping >= HOUSEKEEPING_NANOS) housekeeping();
        deliver();
        pendingCount = pending.size() + blocked.size();
        blockedCount = blocked.size();
    }

    private void control(Control c) {
        switch (c) {
            case Attach a -> {
                HostDelivery d = deliveries.get(a.hostId());
                boolean fresh = d == null;
                if (fresh) {
                    d = new HostDelivery(a.hostId(), a.sink());
                    deliveries.put(a.hostId(), d);
                } else {
                    d.sink = a.sink();
                }
                if (a.resumed() && !fresh) {
                    if (!a.followsFeeds()) d.reclaim(a.positions());
                    resumes.incrementAndGet();
                } else if (a.inventory() != null && d.adopt(a.inventory(), tables)) {
                    adoptions.incrementAndGet();
                } else {
                    if (!fresh) d.markSnapshot("the host's last applied version is not the last one sent");
                    attachSnapshots.incrementAndGet();
                }
                if (a.followsFeeds()) d.offerFeeds();
                a.sink().attached();
                blocked.remove(a.hostId());
                pending.add(a.hostId());
            }
            case FeedBroken b -> {
                if (feeds.drop(b.feedId()) != null) snapshotFollowers(b.feedId(), "a record of VPC feed " + b.feedId() + " was not written");
            }
            case Pull p -> {
                try {
                    HostDelivery once = new HostDelivery(p.hostId(), null);
                    List<GoalState> parts = new ArrayList<>();
                    for (GoalState.Builder gs; (gs = once.next(snapshot, inputs, tables, messageBudget, null)) != null; ) {
                        if (parts.size() == PULL_MAX_PARTS) throw new IllegalStateException("the snapshot of host " + p.hostId() + " does not end");
                        parts.add(gs.setHostId(p.hostId()).build());
                    }
                    p.parts().complete(parts);
                } catch (RuntimeException e) {
                    p.parts().completeExceptionally(e);
                }
            }
            case Digest g -> reconcile(g);
            case Detach dt -> {
                HostDelivery d = deliveries.get(dt.hostId());
                if (d != null && d.sink == dt.sink()) {
                    deliveries.remove(dt.hostId());
                    pending.remove(dt.hostId());
                    blocked.remove(dt.hostId());
                }
            }
        }
    }

    private void apply(List<RowChange> changes) {
        List<TopologyChange> typed = new ArrayList<>();
        for (RowChange change : changes) snapshot.apply(change, typed);
        Set<String> vpcs = new LinkedHashSet<>();
        HostInterest.Marks marks = new HostInterest.Marks() {
            @Override public void port(String hostId, String portId) {
                HostDelivery d = deliveries.get(hostId);
                if (d == null) return;
                d.markPort(portId);
                schedule(hostId);
            }

            @Override public void recompute(String hostId) { DataplaneEngine.this.recompute(hostId); }
        };
        for (TopologyChange change : typed) {
            switch (change) {
                case TopologyChange.PortChanged p -> {
                    tables.portChanged(p.before(), p.after(), snapshot);
                    interest.portChanged(p.before(), p.after(), marks);
                }
                case TopologyChange.VpcChanged v -> {
                    vpcs.add(v.networkId());
                    tables.networkChanged(v.networkId(), snapshot);
                }
                case TopologyChange.RulesChanged r -> interest.hostsOfGroup(r.groupId()).forEach(this::recompute);
                case TopologyChange.HostAddressChanged h -> tables.hostAddressChanged(h.hostId(), snapshot);
            }
        }
        for (String vpc : vpcs) interest.hostsOfVpc(vpc).forEach(this::recompute);
        tables.drainTouched().forEach((vpc, policyFlipped) -> {
            boolean proactive = tables.policy(vpc) == NeighborPolicy.PROACTIVE;
            if (policyFlipped && proactive) feeds.rewind(vpc);
            for (String host : interest.hostsOfVpc(vpc)) {
                HostDelivery d = deliveries.get(host);
                if (d == null) continue;
                if (policyFlipped) {
                    d.markRecompute();   // the VPC state carries the policy
                    if (proactive) d.rewind(vpc);   // a no-op for a host that follows the VPC's feed: the feed rewinds
                }
                schedule(host);
            }
        });
    }

    /**
     * An agent's digest: compared when it describes everything the host was sent and nothing is due here (otherwise
     * the next one will be); a difference is repaired with a full snapshot, which replaces whatever the agent holds.
     */
    private void reconcile(Digest g) {
        HostDelivery d = deliveries.get(g.hostId());
        if (d == null || d.sink != g.sink()) return;
        agentFlowRepairs.addAndGet(g.digest().getFlowRepairs());
        if (!g.sink().settled(g.digest().getVersion(), g.digest().getEpoch()) || d.continuesSnapshot() || d.hasWork(tables)) {
            digestsSkipped.incrementAndGet();
            return;
        }
        digestsCompared.incrementAndGet();
        String differs = d.differences(g.digest(), tables);
        if (differs == null) {
            d.agreed();
            return;
        }
        if (!d.repairNow()) return;
        agentStateRepairs.incrementAndGet();
        LOG.warning("host " + d.hostId + ": reconciliation: its state at version " + g.digest().getVersion() + " differs from what it was sent ("
                + differs + ")" + (d.failedRepairs() > 0 ? "; " + d.failedRepairs() + " repairs in a row did not take" : "") + "; a full snapshot repairs it");
        d.markSnapshot("reconciliation: the host's state differs from what it was sent (" + differs + ")");
        schedule(d.hostId);
    }

    /**
     * The engine's own check, a slice of the hosts at each housekeeping so that each is checked once per period: a
     * host with nothing due whose desired state differs from what it was sent lost a change here; it is recomputed.
     */
    private void checkDrift() {
        long period = reconcileNanos;
        if (period <= 0 || deliveries.isEmpty()) return;
        long now = System.nanoTime();
        if (driftTurn.isEmpty()) {
            if (now - driftPeriodStart < period) return;
            driftPeriodStart = now;
            driftTurn.addAll(deliveries.keySet());
        }
        long slices = Math.max(1, period / HOUSEKEEPING_NANOS);
        int quota = (int) Math.max(1, (deliveries.size() + slices - 1) / slices);
        for (int i = 0; i < quota && !driftTurn.isEmpty(); i++) {
            HostDelivery d = deliveries.get(driftTurn.poll());
            if (d == null || d.continuesSnapshot() || d.hasWork(tables)) continue;
            driftChecks.incrementAndGet();
            if (!d.drifted(snapshot, inputs)) continue;
            controllerStateRepairs.incrementAndGet();
            LOG.warning("host " + d.hostId + ": reconciliation: its desired state differs from what it was sent though no change was marked; recomputed");
            d.markRecompute();
            schedule(d.hostId);
        }
    }

    private void recompute(String hostId) {
        HostDelivery d = deliveries.get(hostId);
        if (d == null) return;
        d.markRecompute();
        schedule(hostId);
    }

    private void schedule(String hostId) { if (!blocked.contains(hostId)) pending.add(hostId); }

    /** A feed stopped: the hosts that followed it cannot know what they missed, and get snapshots. */
    private void snapshotFollowers(String feedId, String reason) {
        LOG.warning("dataplane: " + reason + "; the hosts that follow it get snapshots");
        for (HostDelivery d : deliveries.values()) {
            if (!d.follows(feedId)) continue;
            d.markSnapshot(reason);
            schedule(d.hostId);
        }
    }

    /** How the host can be handed VPC feeds now; null when it cannot (not on the MQ path, or no feeds here). */
    private HostDelivery.Feeding feeding(HostDelivery d) {
        FeedSink sink = feedSink;
        if (sink == null) return null;
        int cluster = d.sink.feedCluster();
        return cluster < 0 ? null : new HostDelivery.Feeding(feeds, sink, cluster);
    }

    /**
     * The feeds first (so that a host handed over in this round is at the same place as its feed), then one
     * message to each host that has something to send and whose stream can take it, in turn.
     */
    private void deliver() {
        FeedSink sink = feedSink;
        if (sink != null && feeds.size() > 0) {
            for (VpcFeeds.Feed broken : feeds.publish(tables, sink, messageBudget)) snapshotFollowers(broken.id, "VPC feed " + broken.id + " cannot go on");
        }
        if (pending.isEmpty()) return;
        String[] turn = pending.toArray(new String[0]);
        pending.clear();
        for (String host : turn) {
            HostDelivery d = deliveries.get(host);
            if (d == null || !d.hasWork(tables)) continue;
            if (!d.sink.canSend(d.continuesSnapshot())) {
                blocked.add(host);
                continue;
            }
            try {
                String resync = d.takeResyncReason();
                if (resync != null) d.sink.resync(resync);
                GoalState.Builder gs = d.next(snapshot, inputs, tables, messageBudget, feeding(d));
                if (d.snapshotParts() == LONG_SNAPSHOT_PARTS) LOG.severe("dataplane: a snapshot passed " + LONG_SNAPSHOT_PARTS + " parts: " + d.describeSnapshot(tables));
                if (gs != null) {
                    if (d.sink.send(gs)) messages.incrementAndGet();
                    else d.markSnapshot("the stream closed while a goal state was written");
                }
            } catch (RuntimeException e) {
                // One host's failure is that host's: it is sent a full snapshot when it next can, others go on.
                deliveryFailures.incrementAndGet();
                LOG.log(Level.WARNING, "dataplane: building the goal state of host " + host + " failed", e);
                d.markSnapshot("the controller failed to build this host's goal state");
                blocked.add(host);   // retried at the next housekeeping, not in a tight loop
                continue;
            }
            if (d.hasWork(tables)) pending.add(host);
        }
    }

    /**
     * Once a second: drops neighbour history every host has been sent, and gives blocked hosts another look (a
     * ready signal that raced a block is never lost for more than this).
     */
    private void housekeeping() {
        lastHousekeeping = System.nanoTime();
        // Every host holding a cursor counts, including one whose VPC delete is still unsent (it may rejoin first).
        Map<String, Long> low = new HashMap<>();
        Map<String, BitSet> followed = new HashMap<>();
        for (HostDelivery d : deliveries.values()) {
            d.cursors().forEach((vpc, c) -> {
                if (!d.delegations().containsKey(vpc)) low.merge(vpc, c.rewoundFrom >= 0 ? Math.min(c.seq, c.rewoundFrom) : c.seq, Math::min);
            });
            d.delegations().values().forEach(f -> followed.computeIfAbsent(f.feedId(), id -> new BitSet()).set(f.cluster()));
        }
        feeds.retain(followed);
        feeds.lowWater(low);
        for (NeighborTable t : tables.withHistory()) t.purge(low.getOrDefault(t.vpcId(), Long.MAX_VALUE));
        pending.addAll(blocked);
        blocked.clear();
        checkDrift();
    }

    /** The engine's view for computing local states: the snapshot, plus the neighbour policy of each VPC. */
    private final class Inputs implements Topology {
        @Override public Resource network(String id) { return snapshot.network(id); }

        @Override public Resource subnet(String id) { return snapshot.subnet(id); }

        @Override public List<Resource> rulesOf(String groupId) { return snapshot.rulesOf(groupId); }

        @Override public Resource routerOfSubnet(String subnetId) { return snapshot.routerOfSubnet(subnetId); }

        @Override public NeighborPolicy neighborPolicy(String vpcId) { return tables.policy(vpcId); }
    }

    /** False from a failure until the engine has reloaded; the controller is then not ready. */
    public boolean healthy() { return healthy && thread.isAlive(); }

    /** Changed rows not yet applied plus hosts with changes not yet sent: a backlog means hosts are behind the store. */
    public int backlog() { return intake.size() + pendingCount; }

    public int intakeRows() { return intake.size(); }

    /** Hosts with something to send, including those whose stream cannot take it now. */
    public int hostsPending() { return pendingCount; }

    /** Hosts whose stream is full or whose window of unacknowledged goal states is. */
    public int hostsBlocked() { return blockedCount; }

    public long failures() { return failures.get(); }

    public long deliveryFailures() { return deliveryFailures.get(); }

    public long messages() { return messages.get(); }

    public long rounds() { return rounds.get(); }

    public long resumes() { return resumes.get(); }

    public long adoptions() { return adoptions.get(); }

    public long attachSnapshots() { return attachSnapshots.get(); }

    /** Agent digests compared with what their hosts were sent, and those skipped (the host had something in flight). */
    public long digestsCompared() { return digestsCompared.get(); }

    public long digestsSkipped() { return digestsSkipped.get(); }

    /** Hosts given a full snapshot because their digest differed from what they were sent. */
    public long agentStateRepairs() { return agentStateRepairs.get(); }

    /** Hosts recomputed because their desired state differed from what they were sent with nothing marked. */
    public long controllerStateRepairs() { return controllerStateRepairs.get(); }

    /** Flows agents reported reinstalling or removing after finding their switch differ from what they installed. */
    public long agentFlowRepairs() { return agentFlowRepairs.get(); }

    /** Hosts whose desired state was recomputed and compared by the periodic check. */
    public long driftChecks() { return driftChecks.get(); }

    public long changesReceived() { return intake.received(); }

    @Override
    public void close() {
        closed = true;
        intake.close();
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
