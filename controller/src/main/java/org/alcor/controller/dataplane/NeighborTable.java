package org.alcor.controller.dataplane;

import java.util.concurrent.ConcurrentHashMap;
import org.alcor.proto.NeighborPolicy;
import org.alcor.southbound.digest.StateDigests;

/**
 * The neighbour table of one VPC, held once for all its hosts, with its change history compacted to one entry per
 * address: every change gives the address's entry the next sequence number and moves it to the tail of a list in
 * sequence order (a delete leaves a tombstone there). A host's {@link Cursor} is the sequence number up to which
 * it has been sent this table, so what it still needs is exactly the entries after its cursor: the latest state
 * of each address, however many times it changed. Memory is one entry per address (plus tombstones, which are
 * purged), never a queue of changes per host.
 *
 * <p>Policy: PROACTIVE while the VPC has at most {@code pushLimit} addresses, then ON_DEMAND. An ON_DEMAND host
 * is sent only the entries whose latest change could make a cached answer stale (moves, updates, deletes, and
 * re-use of an address): those are also kept, in sequence order, in a second list that such hosts walk, so a
 * million creates cost them nothing. The policy is a pure function of the size, so a recompute agrees with the
 * incremental engine; a VPC that goes back to PROACTIVE is sent whole again to its hosts.
 *
 * <p>Written by the engine thread only; {@link #lookup} may be called from any thread.
 */
final class NeighborTable {
    /** How far a host has been sent this table. */
    static final class Cursor {
        long seq;
        /**
         * At or above 0: the host was rewound to send it every entry again (the VPC went back to PROACTIVE), and
         * holds what it was sent up to this sequence number, so tombstones are sent too. Below 0 with seq at 0: the
         * cursor is fresh, the host holds nothing of this table.
         */
        long rewoundFrom = -1;
        /**
         * The table's purge mark when the host started holding nothing of it: tombstones purged before that are of
         * addresses it was never sent, so they cannot be missing from it (only a purge since can be).
         */
        long floor;
        /** The host holds entries of this table that may differ from it: the next message replaces them (a fresh cursor). */
        boolean replace;
    }

    private static final class Entry {
        final String ip;
        volatile Neighbor value;     // null: a tombstone
        long seq;
        Entry prev, next;            // the list of every entry, in sequence order
        Entry invPrev, invNext;      // the list of invalidations
        boolean invalidation;

        Entry(String ip) { this.ip = ip; }
    }

    /** Receives the entries a host is sent. */
    interface Sink {
        /** false: the message is full, stop here (the entry is not taken). */
        boolean upsert(Neighbor n);

        boolean delete(String ip);
    }

    enum Collected { DONE, CUT, RESYNC }

    private final String vpcId;
    private final int pushLimit;
    private final ConcurrentHashMap<String, Entry> byIp = new ConcurrentHashMap<>();
    private Entry head, tail, invHead, invTail;
    private long seq, lastInvalidation, purgedThrough;
    private int live, tombstones;
    private volatile long vni;
    /** The reconciliation digest of the live entries: what a host that was sent the whole table holds. */
    private final StateDigests.Sum digest = new StateDigests.Sum();

    NeighborTable(String vpcId, int pushLimit) {
        this.vpcId = vpcId;
        this.pushLimit = pushLimit;
    }

    String vpcId() { return vpcId; }

    NeighborPolicy policy() { return live <= pushLimit ? NeighborPolicy.PROACTIVE : NeighborPolicy.ON_DEMAND; }

    int size() { return live; }

    int tombstones() { return tombstones; }

    /** The sequence number of the last change an ON_DEMAND host must hear of. */
    long lastInvalidation() { return lastInvalidation; }

    boolean isEmpty() { return live == 0 && tombstones == 0; }

    /** Count and hash of the live entries (kept up to date by every change: O(1) to read). */
    StateDigests.Sum digest() { return digest; }

    void vni(long vni) { this.vni = vni; }

    /** The live entry of an address, as a lookup answers it; null if none. Any thread. */
    Neighbor lookup(String ip) {
        Entry e = byIp.get(ip);
        return e == null ? null : e.value;
    }

    long vniForLookups() { return vni; }

    /** Sets an address's entry; false when it already was exactly that. */
    boolean upsert(Neighbor n) {
        Entry e = byIp.get(n.ip());
        if (e == null) {
            e = new Entry(n.ip());
            e.value = n;
            byIp.put(n.ip(), e);
            digest.add(n.digest());
            live++;
            e.seq = ++seq;
            append(e);
            return true;
        }
        if (n.equals(e.value)) return false;
        if (e.value == null) {
            tombstones--;
            live++;
        } else {
            digest.remove(e.value.digest());
        }
        digest.add(n.digest());
        e.value = n;
        touch(e, true);
        return true;
    }

    /** Removes an address's entry if the given port still holds it (another may have taken the address since). */
    boolean remove(String ip, String portId) {
        Entry e = byIp.get(ip);
        if (e == null || e.value == null || !e.value.portId().equals(portId)) return false;
        digest.remove(e.value.digest());
        e.value = null;
        live--;
        tombstones++;
        touch(e, true);
        return true;
    }

    /** Whether a host at this cursor has anything to be sent under the current policy. */
    boolean behind(Cursor c) {
        return (policy() == NeighborPolicy.PROACTIVE ? seq : lastInvalidation) > c.seq;
    }

    /**
     * Whether hosts at these two cursors would be sent the same from now on. ON_DEMAND, a cursor moves only when
     * its host is sent something, so two hosts that are both up to date can stand at different sequence numbers
     * with nothing between them that either would be sent (only invalidations are): they are at the same place.
     */
    boolean samePlace(Cursor a, Cursor b) {
        if (a.rewoundFrom != b.rewoundFrom) return false;
        if (a.seq == b.seq) return true;
        if (policy() == NeighborPolicy.PROACTIVE || a.rewoundFrom >= 0) return false;
        long lo = Math.min(a.seq, b.seq), hi = Math.max(a.seq, b.seq);
        Entry e = invTail;
        while (e != null && e.seq > hi) e = e.invPrev;   // O(invalidations after the later cursor)
        return e == null || e.seq <= lo;
    }

    /** A host that holds every live entry now (its inventory agreed): it is sent what changes from here on. */
    void toPresent(Cursor c) {
        c.seq = seq;
        c.rewoundFrom = -1;
        c.floor = purgedThrough;
    }

    /** The VPC went back to PROACTIVE: the host is sent every entry again, and deletes it may have missed. */
    static void rewind(Cursor c) {
        // A fresh cursor holds nothing to correct: it already sends the whole table (marking it rewound from 0
        // would ask for tombstones back to the table's start, and a purged one would force a needless snapshot).
        if (c.seq == 0 && c.rewoundFrom < 0) return;
        if (c.rewoundFrom < 0) c.rewoundFrom = c.seq;
        c.seq = 0;
    }

    /**
     * Gives the sink what the host at the cursor has not been sent, oldest change first, and moves the cursor past
     * what the sink took. RESYNC: tombstones the host needed were purged; it needs a full snapshot.
     */
    Collected collect(Cursor c, Sink sink) {
        boolean proactive = policy() == NeighborPolicy.PROACTIVE;
        // Nothing of this table was sent to the host yet: a deleted address it never had needs no delete.
        boolean fresh = c.seq == 0 && c.rewoundFrom < 0;
        if (fresh) c.floor = purgedThrough;
        // The host needs every delete after what it holds; if some were dropped since it started, only a snapshot can
        // say what is gone. (Not those purged before: a host that came after a purge walks past old live entries, so
        // its cursor stands below the purge mark for a while with nothing missing. Taken for missing, that restarted
        // the host's snapshot at the same part forever: seen twice in randomized runs, over 100,000 parts.)
        if (!fresh && purgedThrough > c.floor && (c.rewoundFrom >= 0 ? c.rewoundFrom : c.seq) < purgedThrough) return Collected.RESYNC;
        if (fresh && !proactive) {
            c.seq = seq;   // a host new to an on-demand VPC has nothing cached: it starts at the present
            return Collected.DONE;
        }
        for (Entry e = firstAfter(c.seq, proactive); e != null; e = proactive ? e.next : e.invNext) {
            Neighbor n = e.value;
            boolean taken = n != null ? sink.upsert(n) : fresh || sink.delete(e.ip);
            if (!taken) return Collected.CUT;
            c.seq = e.seq;
        }
        // Every change is in the list it walked (creates are irrelevant on demand): the host is now at the present.
        c.seq = seq;
        c.rewoundFrom = -1;
        return Collected.DONE;
    }

    /** The first entry with a sequence number above seq, walking back from the tail: O(entries after it). */
    private Entry firstAfter(long after, boolean all) {
        if (after == 0) return all ? head : invHead;
        Entry e = all ? tail : invTail, first = null;
        while (e != null && e.seq > after) {
            first = e;
            e = all ? e.prev : e.invPrev;
        }
        return first;
    }

    /**
     * Drops tombstones and invalidations that every host of the VPC has been sent (lowWater: the lowest cursor of
     * its hosts). If tombstones still outnumber the live entries (a host stuck far behind while addresses churn),
     * the oldest go anyway and a host that needed them gets a full snapshot instead.
     */
    void purge(long lowWater) {
        while (invHead != null && invHead.seq <= lowWater) {
            // Nobody should need these; if a host was missed, it resyncs rather than keeping a stale entry.
            purgedThrough = Math.max(purgedThrough, invHead.seq);
            drop(invHead);
        }
        if (tombstones > Math.max(1024, live)) {
            while (invHead != null && tombstones > live / 2) {
                purgedThrough = Math.max(purgedThrough, invHead.seq);
                drop(invHead);
            }
        }
    }

    private void drop(Entry e) {
        unlinkInvalidation(e);
        if (e.value == null) {
            unlink(e);
            byIp.remove(e.ip);
            tombstones--;
        }
    }

    private void touch(Entry e, boolean invalidates) {
        e.seq = ++seq;
        unlink(e);
        append(e);
        if (invalidates) {
            if (e.invalidation) unlinkInvalidation(e);
            e.invalidation = true;
            e.invPrev = invTail;
            if (invTail != null) invTail.invNext = e; else invHead = e;
            invTail = e;
            lastInvalidation = e.seq;
        }
    }

    private void append(Entry e) {
        e.prev = tail;
        e.next = null;
        if (tail != null) tail.next = e; else head = e;
        tail = e;
    }

    private void unlink(Entry e) {
        if (e.prev != null) e.prev.next = e.next; else if (head == e) head = e.next;
        if (e.next != null) e.next.prev = e.prev; else if (tail == e) tail = e.prev;
        e.prev = e.next = null;
    }

    private void unlinkInvalidation(Entry e) {
        if (!e.invalidation) return;
        if (e.invPrev != null) e.invPrev.invNext = e.invNext; else invHead = e.invNext;
        if (e.invNext != null) e.invNext.invPrev = e.invPrev; else invTail = e.invPrev;
        e.invPrev = e.invNext = null;
        e.invalidation = false;
    }
}
