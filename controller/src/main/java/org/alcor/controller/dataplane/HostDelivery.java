package org.alcor.controller.dataplane;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.Resource;
import org.alcor.proto.GoalState;
import org.alcor.proto.GroupDigest;
import org.alcor.proto.HeldState;
import org.alcor.proto.Inventory;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.StateDigest;
import org.alcor.proto.Operation;
import org.alcor.proto.ResourceType;
import org.alcor.southbound.digest.StateDigests;

/**
 * One host's delivery as state, not as a queue (the ofctrl model): what the host was sent (a fingerprint per local
 * state, a cursor per VPC neighbour table) and dirty flags saying what may differ from its desired state now (its
 * whole local state, single ports, a snapshot due). Only when the host's stream can take a message is the desired
 * state computed, from the engine's snapshot, and the difference written; a resource that changed ten times while
 * the host was slow is sent once, as it is now. Memory is bounded by the host's state, never by churn. Owned by the
 * engine thread.
 */
final class HostDelivery {
    final String hostId;
    HostSink sink;
    private final Map<StateKey, Long> sent = new HashMap<>();
    private final Map<String, NeighborTable.Cursor> cursors = new HashMap<>();
    /**
     * VPCs handed over to their VPC feed (the MQ path): their cursors stand still here, the agent follows the feed,
     * and says how far when it leaves the MQ path.
     */
    private final Map<String, Delegation> delegated = new HashMap<>();
    /** The host just came to a stream where it can follow VPC feeds: its VPCs are handed over in the next message. */
    private boolean feedsDue;

    /** A VPC this host follows on its feed (of the given id), read on the given Kafka cluster. */
    record Delegation(String feedId, int cluster) {}
    private final Set<String> dirtyPorts = new LinkedHashSet<>();
    private boolean recompute;
    private boolean snapshotDue = true;
    private boolean inSnapshot;
    /**
     * A snapshot was started over while its parts were still arriving: the host acks nothing until a last part,
     * so the new one must not wait for the window (the parts it replaces are discarded by the host).
     */
    private boolean snapshotRestarted;
    /** What the host holds was taken as sent (its inventory): the next message goes even if empty, to move it to this epoch. */
    private boolean adoptedDue;
    private String resyncReason;
    /**
     * Reconciliation repairs in a row that did not make the host agree (a state it keeps rejecting, say): each one
     * doubles the digests skipped before the next repair, so a difference no snapshot can fix costs little.
     */
    private int failedRepairs;
    private int digestsToSkip;
    /** Parts of the current snapshot written so far, and the reasons it was started (for the log of one that does not end). */
    private int snapshotParts;
    private String snapshotReason = "first snapshot";

    HostDelivery(String hostId, HostSink sink) {
        this.hostId = hostId;
        this.sink = sink;
    }

    void markPort(String portId) { if (!recompute) dirtyPorts.add(portId); }

    void markRecompute() {
        recompute = true;
        dirtyPorts.clear();
    }

    /** The host's state can no longer be patched: it is sent whole, after a Resync notice that says why. */
    /** The host's stream can carry VPC feeds now: its VPCs are handed over as soon as they are at the present. */
    void offerFeeds() { feedsDue = true; }

    /**
     * The host left the MQ path (or follows no feeds any more): its delegated VPCs come back to its own goal states
     * from where it says it applied each feed. When it does not say, for one of them, it gets a snapshot.
     */
    void reclaim(Map<String, org.alcor.proto.FeedPosition> positions) {
        feedsDue = false;
        for (var e : delegated.entrySet()) {
            var p = positions.get(e.getKey());
            NeighborTable.Cursor c = cursors.get(e.getKey());
            if (p == null || !p.getFeedId().equals(e.getValue().feedId()) || c == null) {
                delegated.clear();
                markSnapshot("the host left VPC feed " + e.getValue().feedId() + " without saying how far it applied it");
                return;
            }
            c.seq = p.getSeq();
            c.rewoundFrom = p.getRewoundFrom();
        }
        delegated.clear();
    }

    /** A feed this host follows stopped (a record was not written): only a snapshot can say what the host missed. */
    boolean follows(String feedId) {
        for (Delegation d : delegated.values()) if (d.feedId().equals(feedId)) return true;
        return false;
    }

    Map<String, Delegation> delegations() { return delegated; }

    void markSnapshot(String reason) {
        snapshotReason = reason;
        snapshotDue = true;
        snapshotRestarted |= inSnapshot;
        inSnapshot = false;
        resyncReason = reason;
    }

    /** The VPC went back to PROACTIVE: the host is sent its whole neighbour table again. */
    void rewind(String vpcId) {
        NeighborTable.Cursor c = cursors.get(vpcId);
        if (c != null) NeighborTable.rewind(c);
    }

    /** Whether the next message continues a snapshot whose parts the host has not acked (the window does not apply). */
    boolean continuesSnapshot() { return inSnapshot || snapshotRestarted; }

    /** The reason for a Resync notice to send before the next message, once. */
    String takeResyncReason() {
        String r = resyncReason;
        resyncReason = null;
        return r;
    }

    Map<String, NeighborTable.Cursor> cursors() { return cursors; }

    boolean hasWork(NeighborTables tables) {
        if (snapshotDue || inSnapshot || recompute || adoptedDue || !dirtyPorts.isEmpty()) return true;
        for (var c : cursors.entrySet()) {
            if (delegated.containsKey(c.getKey())) continue;
            if (c.getValue().replace) return true;
            NeighborTable t = tables.get(c.getKey());
            if (t != null && (t.behind(c.getValue()) || feedsDue)) return true;
        }
        feedsDue = false;
        return false;
    }

    /**
     * The next message: the difference between the host's desired state and what it was sent, at most budget
     * bytes (more_parts set when a snapshot did not fit), or null when there is none.
     */
    GoalState.Builder next(Snapshot snapshot, Topology topology, NeighborTables tables, int budget, Feeding feeding) {
        GoalStateWriter w = new GoalStateWriter(budget);
        boolean continuing = inSnapshot;
        if (snapshotDue) {
            sent.clear();
            cursors.clear();
            delegated.clear();
            dirtyPorts.clear();
            recompute = true;
            snapshotDue = false;
            snapshotRestarted = false;
            inSnapshot = true;
            snapshotParts = 0;
            w.fullSnapshot();
        }
        if (inSnapshot) snapshotParts++;
        boolean cut = false;
        if (recompute) {
            cut = !diffAll(HostDesired.compute(snapshot.portsOn(hostId), topology), w);
            if (!cut) {
                recompute = false;
                dirtyPorts.clear();
            }
        }
        for (Iterator<String> it = dirtyPorts.iterator(); !cut && it.hasNext(); ) {
            cut = !diffPort(it.next(), snapshot, topology, w);
            if (!cut) it.remove();
        }
        for (var c = cursors.entrySet().iterator(); !cut && c.hasNext(); ) {
            var cursor = c.next();
            if (delegated.containsKey(cursor.getKey())) continue;
            if (cursor.getValue().replace) {
                if (!w.replaceNeighbors(cursor.getKey())) {
                    cut = true;
                    continue;
                }
                cursor.getValue().replace = false;
            }
            NeighborTable table = tables.get(cursor.getKey());
            if (table == null) continue;
            switch (table.collect(cursor.getValue(), w.neighbors(cursor.getKey()))) {
                case CUT -> cut = true;
                case RESYNC -> {
                    markSnapshot("the neighbour changes this host missed were dropped while it was behind");
                    return null;
                }
                case DONE -> { }
            }
        }
        if (!cut) {
            if (feeding != null) handOver(tables, feeding, w);
            feedsDue = false;
        }
        boolean more = inSnapshot && cut;
        if (inSnapshot && !cut) inSnapshot = false;
        // A snapshot's last part is sent even when empty (what the previous part could not take was deleted
        // since): the host applies and acks the parts only when one says there are no more.
        if (w.isEmpty() && !(continuing && !more) && !adoptedDue) return null;
        adoptedDue = false;
        return w.build(more);
    }

    /**
     * Reconciliation: what the host says it holds (its digest, of the version it applied) against what it was sent.
     * Null when they agree, else what differs. Meaningful only when the host applied all it was sent and nothing is
     * due here (the caller checks both). Neighbours are compared only for VPCs whose every entry the host is sent
     * and has been sent to the present: PROACTIVE, not followed on a feed, the cursor not behind.
     */
    String differences(StateDigest digest, NeighborTables tables) {
        Map<ResourceType, StateDigests.Sum> ours = new EnumMap<>(ResourceType.class);
        for (var e : sent.entrySet()) ours.computeIfAbsent(e.getKey().type(), t -> new StateDigests.Sum()).add(StateDigests.member(e.getKey().id(), e.getValue()));
        Map<ResourceType, GroupDigest> theirs = new EnumMap<>(ResourceType.class);
        Map<String, GroupDigest> theirNeighbors = new HashMap<>();
        for (GroupDigest g : digest.getGroupsList()) {
            if (g.getType() == ResourceType.NEIGHBOR) theirNeighbors.put(g.getVpcId(), g);
            else theirs.put(g.getType(), g);
        }
        List<String> differ = new ArrayList<>();
        Set<ResourceType> types = EnumSet.noneOf(ResourceType.class);
        types.addAll(ours.keySet());
        types.addAll(theirs.keySet());
        for (ResourceType type : types) compare(type.name(), ours.getOrDefault(type, new StateDigests.Sum()), theirs.get(type), differ);
        for (var c : cursors.entrySet()) {
            NeighborTable table = tables.get(c.getKey());
            if (delegated.containsKey(c.getKey()) || table == null || table.policy() != NeighborPolicy.PROACTIVE || table.behind(c.getValue())) continue;
            compare("neighbours of VPC " + c.getKey(), table.digest(), theirNeighbors.get(c.getKey()), differ);
        }
        return differ.isEmpty() ? null : String.join("; ", differ);
    }

    private static void compare(String what, StateDigests.Sum ours, GroupDigest theirs, List<String> differ) {
        long count = theirs == null ? 0 : theirs.getCount(), hash = theirs == null ? 0 : theirs.getHash();
        if (ours.matches(count, hash)) return;
        differ.add(what + ": " + count + " held, " + ours.count() + " sent" + (count == ours.count() ? ", contents differ" : ""));
    }

    /** The host agreed with what it was sent. */
    void agreed() { failedRepairs = 0; digestsToSkip = 0; }

    /** The host differs: whether to repair it now (false while backing off after repairs that did not take). */
    boolean repairNow() {
        if (digestsToSkip > 0) {
            digestsToSkip--;
            return false;
        }
        if (failedRepairs > 0) digestsToSkip = 1 << Math.min(failedRepairs, 6);
        failedRepairs++;
        return true;
    }

    /** Repairs in a row that the next digests still found differing (0 once the host agrees). */
    int failedRepairs() { return Math.max(0, failedRepairs - 1); }

    /**
     * Whether the host's local desired state, computed now, differs from what it was sent though nothing is marked:
     * a change the engine missed. Meaningful only when nothing is due here (the caller checks). Neighbour tables are
     * not recomputed here (they are the engine's own record, kept by every port change).
     */
    boolean drifted(Snapshot snapshot, Topology topology) {
        Map<StateKey, Message> desired = HostDesired.compute(snapshot.portsOn(hostId), topology);
        if (desired.size() != sent.size()) return true;
        for (var e : desired.entrySet()) {
            Long had = sent.get(e.getKey());
            if (had == null || had != StateDigests.fingerprint(e.getValue())) return true;
        }
        return false;
    }

    /**
     * A host this replica did not send its state to (another replica's, or this one's before a restart) says what it
     * holds: taken as what it was sent, so the next message is only the difference from its desired state (deletes
     * of what it should not hold included), not a full snapshot. A VPC whose neighbours agree with the table (count
     * and hash) goes on from the present; one whose neighbours differ (it changed while the host moved) is sent whole
     * with {@code replace}, which drops what the host held of it. Only when every VPC it holds has its neighbours
     * pushed (PROACTIVE): an ON_DEMAND VPC's are a cache the controller cannot correct entry by entry, so then, or for
     * an inventory that names a VPC's neighbours without the VPC, false: it gets a snapshot. The rare collision of two
     * different states' fingerprints (about 2^-64) is left to reconciliation.
     */
    boolean adopt(Inventory inventory, NeighborTables tables) {
        Map<String, GroupDigest> neighbors = new HashMap<>();
        for (GroupDigest g : inventory.getNeighborsList()) neighbors.put(g.getVpcId(), g);
        Map<StateKey, Long> held = new HashMap<>(inventory.getStatesCount() * 2);
        for (HeldState h : inventory.getStatesList()) {
            if (h.getType() == ResourceType.NEIGHBOR || h.getType() == ResourceType.RESOURCE_TYPE_UNSPECIFIED) return false;
            held.put(new StateKey(h.getType(), h.getId()), h.getFingerprint());
        }
        Map<String, NeighborTable.Cursor> at = new HashMap<>();
        for (StateKey key : held.keySet()) {
            if (key.type() != ResourceType.VPC) continue;
            NeighborTable table = tables.get(key.id());
            GroupDigest theirs = neighbors.remove(key.id());
            long count = theirs == null ? 0 : theirs.getCount(), hash = theirs == null ? 0 : theirs.getHash();
            NeighborTable.Cursor c = new NeighborTable.Cursor();
            if (table != null && table.policy() != NeighborPolicy.PROACTIVE) return false;
            if (table != null && table.digest().matches(count, hash)) table.toPresent(c);
            else if (table != null || count != 0) c.replace = true;   // from a fresh cursor: every live entry, after the drop
            at.put(key.id(), c);
        }
        for (GroupDigest rest : neighbors.values()) if (rest.getCount() != 0) return false;
        sent.clear();
        sent.putAll(held);
        cursors.clear();
        cursors.putAll(at);
        delegated.clear();
        dirtyPorts.clear();
        snapshotDue = false;
        snapshotRestarted = false;
        inSnapshot = false;
        resyncReason = null;
        recompute = true;
        adoptedDue = true;
        return true;
    }

    /** Parts written of the snapshot in progress (0 when none is). */
    int snapshotParts() { return inSnapshot ? snapshotParts : 0; }

    /**
     * What a snapshot that does not end looks like from here, for the log: it has been seen twice in thousands of
     * randomized runs (100,000 parts, none acked) and not reproduced with its seed.
     */
    String describeSnapshot(NeighborTables tables) {
        StringBuilder b = new StringBuilder("host ").append(hostId).append(": snapshot started for '").append(snapshotReason)
                .append("', parts ").append(snapshotParts).append(", restarted ").append(snapshotRestarted).append(", recompute ").append(recompute)
                .append(", dirty ports ").append(dirtyPorts.size()).append(", states sent ").append(sent.size()).append(", cursors");
        cursors.forEach((vpc, c) -> {
            NeighborTable t = tables.get(vpc);
            b.append(' ').append(vpc).append("@").append(c.seq).append("/").append(c.rewoundFrom)
                    .append(t == null ? " (no table)" : " (" + t.policy() + ", " + t.size() + " live, " + t.tombstones() + " tombstones, behind " + t.behind(c) + ")");
        });
        return b.toString();
    }

    /** The MQ path's VPC feeds, and the Kafka cluster the host reads them on (the engine's, for one message). */
    record Feeding(VpcFeeds feeds, FeedSink sink, int cluster) {}

    /**
     * Every VPC of the host whose cursor is at the present goes over to its feed: the message says from which record
     * on the host reads it (its records are all written after this message is built), and the cursor stands still.
     */
    private void handOver(NeighborTables tables, Feeding feeding, GoalStateWriter w) {
        long since = System.currentTimeMillis() - FEED_CLOCK_MARGIN_MILLIS;
        for (var e : cursors.entrySet()) {
            String vpc = e.getKey();
            NeighborTable table = tables.get(vpc);
            if (delegated.containsKey(vpc) || table == null) continue;
            VpcFeeds.Feed f = feeding.feeds().join(table, e.getValue(), feeding.cluster());
            if (f == null) continue;
            w.feed(feeding.sink().place(vpc).setVpcId(vpc).setFeedId(f.id).setNextRecord(f.next).setSeq(e.getValue().seq)
                    .setSinceMillis(since).build());
            delegated.put(vpc, new Delegation(f.id, feeding.cluster()));
        }
    }

    /** How far a feed record's broker timestamp may lag this clock (a record's time is taken when it is sent). */
    private static final long FEED_CLOCK_MARGIN_MILLIS = 2_000;

    /** Diffs the whole local state; false when the message filled up first (what fit is sent and remembered). */
    private boolean diffAll(Map<StateKey, Message> desired, GoalStateWriter w) {
        for (var e : desired.entrySet()) if (!diff(e.getKey(), e.getValue(), w)) return false;
        List<StateKey> gone = new ArrayList<>();
        for (StateKey key : sent.keySet()) if (!desired.containsKey(key)) gone.add(key);
        for (StateKey key : gone) if (!diff(key, null, w)) return false;
        return true;
    }

    /** One port's own states (the port and its lease), when nothing else on the host depends on its change. */
    private boolean diffPort(String portId, Snapshot snapshot, Topology topology, GoalStateWriter w) {
        PortRecord port = snapshot.port(portId);
        Map<StateKey, Message> desired = new HashMap<>(4);
        Resource network = port == null || !port.hostId().equals(hostId) ? null : topology.network(port.networkId());
        if (network != null) HostDesired.portStates(port, network, HostDesired.subnetsOf(network, topology), desired);
        for (StateKey key : HostDesired.portKeys(portId)) if (!diff(key, desired.get(key), w)) return false;
        return true;
    }

    private boolean diff(StateKey key, Message desired, GoalStateWriter w) {
        Long had = sent.get(key);
        if (desired == null) {
            if (had == null) return true;
            if (!w.delete(key)) return false;
            sent.remove(key);
            if (key.type() == ResourceType.VPC) {   // the agent drops the VPC's neighbours with it, and its feed
                cursors.remove(key.id());
                delegated.remove(key.id());
            }
            return true;
        }
        long fingerprint = StateDigests.fingerprint(desired);
        if (had != null && had == fingerprint) return true;
        if (!w.put(key, desired, had == null ? Operation.CREATE : Operation.UPDATE)) return false;
        sent.put(key, fingerprint);
        if (had == null && key.type() == ResourceType.VPC) cursors.put(key.id(), new NeighborTable.Cursor());
        return true;
    }
}
