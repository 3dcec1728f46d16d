package org.alcor.controller.dataplane;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.alcor.proto.GoalState;
import org.alcor.proto.VpcFeedRecord;

/**
 * The VPC feeds of the MQ path: for each VPC that hosts on that path follow, one cursor into its neighbour table,
 * advanced every round into numbered records that one write to the VPC's topic delivers to all of them, instead of
 * one copy in each host's goal state. A feed is a host cursor that no host owns: it takes exactly what a host at
 * the same position would be sent (the same policy, the same rewinds), so a host whose cursor equals the feed's can
 * hand its VPC over to the feed and lose nothing. Owned by the engine thread.
 */
final class VpcFeeds {
    /** One VPC's feed. */
    static final class Feed {
        final String vpcId, id;
        final NeighborTable.Cursor cursor = new NeighborTable.Cursor();
        /** The number the next record gets. */
        long next;
        /** The Kafka clusters with hosts that follow this feed (each gets every record). */
        BitSet clusters = new BitSet();

        private Feed(String vpcId, String id) {
            this.vpcId = vpcId;
            this.id = id;
        }
    }

    /** Feed ids differ between engine loads and controllers: an agent never mistakes one feed's numbers for another's. */
    private final String prefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    private long created;
    private final Map<String, Feed> byVpc = new HashMap<>();

    /**
     * The VPC's feed for a host whose cursor is at the table's present: a new feed starts there; an existing one is
     * returned only if it is at the same place (else the host waits for a round where both are). An ON_DEMAND feed
     * with nothing to write stands still while its hosts' cursors move on: it is at their place all the same.
     */
    Feed join(NeighborTable table, NeighborTable.Cursor host, int cluster) {
        String vpcId = table.vpcId();
        Feed f = byVpc.get(vpcId);
        if (f == null) {
            f = new Feed(vpcId, prefix + Long.toString(++created, 36));
            f.cursor.seq = host.seq;
            f.cursor.rewoundFrom = host.rewoundFrom;
            f.cursor.floor = host.floor;
            byVpc.put(vpcId, f);
        }
        if (!table.samePlace(f.cursor, host)) return null;
        f.clusters.set(cluster);
        return f;
    }

    Feed get(String vpcId) { return byVpc.get(vpcId); }

    /** The VPC went back to PROACTIVE: its feed sends the whole table again, as a rewound host cursor would. */
    void rewind(String vpcId) {
        Feed f = byVpc.get(vpcId);
        if (f != null) NeighborTable.rewind(f.cursor);
    }

    /**
     * Writes what each feed's table changed since its last record, in records of at most budget bytes. Returns the
     * feeds that cannot go on (their table's history was purged under them, which should not happen as they hold
     * the purge back); they are dropped, and their hosts need snapshots.
     */
    List<Feed> publish(NeighborTables tables, FeedSink sink, int budget) {
        List<Feed> broken = new ArrayList<>();
        for (Iterator<Feed> it = byVpc.values().iterator(); it.hasNext(); ) {
            Feed f = it.next();
            NeighborTable table = tables.get(f.vpcId);
            if (table == null) {   // the VPC is gone: its hosts are sent its deletion
                it.remove();
                continue;
            }
            if (!table.behind(f.cursor) && f.cursor.rewoundFrom < 0) continue;
            NeighborTable.Collected c;
            do {
                GoalStateWriter w = new GoalStateWriter(budget);
                c = table.collect(f.cursor, w.neighbors(f.vpcId));
                if (c == NeighborTable.Collected.RESYNC) {
                    it.remove();
                    broken.add(f);
                    break;
                }
                GoalState.Builder gs = w.build(false);
                if (gs.getNeighborTablesCount() == 0) continue;
                sink.publish(VpcFeedRecord.newBuilder().setVpcId(f.vpcId).setFeedId(f.id).setNumber(f.next++)
                        .setChanges(gs.getNeighborTables(0)).setSeq(f.cursor.seq).setRewoundFrom(f.cursor.rewoundFrom).build(), f.clusters);
            } while (c == NeighborTable.Collected.CUT);
        }
        return broken;
    }

    /** The purge may not drop what a feed has not written yet: each feed counts as one of its VPC's hosts. */
    void lowWater(Map<String, Long> low) {
        for (Feed f : byVpc.values()) {
            NeighborTable.Cursor c = f.cursor;
            low.merge(f.vpcId, c.rewoundFrom >= 0 ? Math.min(c.seq, c.rewoundFrom) : c.seq, Math::min);
        }
    }

    /** Keeps the feeds some host follows, with the clusters of those hosts; the others stop. */
    void retain(Map<String, BitSet> followed) {
        byVpc.values().removeIf(f -> {
            BitSet clusters = followed.get(f.id);
            if (clusters == null) return true;
            f.clusters = clusters;
            return false;
        });
    }

    /** A record of this feed was not written: it stops, and its hosts need snapshots. */
    Feed drop(String feedId) {
        for (Iterator<Feed> it = byVpc.values().iterator(); it.hasNext(); ) {
            Feed f = it.next();
            if (f.id.equals(feedId)) {
                it.remove();
                return f;
            }
        }
        return null;
    }

    int size() { return byVpc.size(); }
}
