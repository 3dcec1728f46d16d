package org.alcor.southbound.mq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.alcor.proto.FeedPosition;
import org.alcor.proto.VpcFeed;
import org.alcor.proto.VpcFeedRecord;

/**
 * The VPC feeds one host follows on the MQ path: which feed of each VPC, and the number of the next record it
 * needs. The host hands each record it receives back to {@link #admit} in the order it applies things, so a record
 * of a feed the host has since left (a snapshot replaced it, the VPC left the host) is never applied after that.
 */
public final class VpcFeedFollower {
    /** What to do with a record. */
    public enum Admission { APPLY, SKIP, GAP }

    private final AgentMqLink link;
    private final String hostId;
    private final Consumer<VpcFeedRecord> records;
    private final Map<String, Followed> followed = new HashMap<>();

    private static final class Followed {
        final VpcFeed feed;
        long next, seq, rewoundFrom = -1;

        Followed(VpcFeed feed) {
            this.feed = feed;
            this.next = feed.getNextRecord();
            this.seq = feed.getSeq();
        }
    }

    /** records: called on a reader thread with each record of a followed VPC (the host then calls {@link #admit}). */
    public VpcFeedFollower(AgentMqLink link, String hostId, Consumer<VpcFeedRecord> records) {
        this.link = link;
        this.hostId = hostId;
        this.records = records;
    }

    /** Follows a feed from the goal state just applied (replacing what this host followed of that VPC). */
    public synchronized void follow(VpcFeed feed) {
        Followed was = followed.put(feed.getVpcId(), new Followed(feed));
        if (was != null) link.unfollow(was.feed.getTopic(), was.feed.getPartition(), feed.getVpcId(), hostId);
        link.follow(feed.getTopic(), feed.getPartition(), feed.getVpcId(), hostId, records, feed.getSinceMillis());
    }

    /** The VPC left the host (its neighbours went with it). */
    public synchronized void drop(String vpcId) {
        Followed was = followed.remove(vpcId);
        if (was != null) link.unfollow(was.feed.getTopic(), was.feed.getPartition(), vpcId, hostId);
    }

    /** A snapshot replaces everything, or the host leaves the MQ path. */
    public synchronized void clear() {
        for (String vpc : List.copyOf(followed.keySet())) drop(vpc);
    }

    /**
     * Whether the host applies this record now: the next one of a feed it follows; SKIP for one it had or one of a
     * feed it no longer follows; GAP when records are missing (the host then needs a snapshot; the feed is left).
     */
    public synchronized Admission admit(VpcFeedRecord r) {
        Followed f = followed.get(r.getVpcId());
        if (f == null || !f.feed.getFeedId().equals(r.getFeedId()) || r.getNumber() < f.next) return Admission.SKIP;
        if (r.getNumber() > f.next) {
            drop(r.getVpcId());
            return Admission.GAP;
        }
        f.next++;
        f.seq = r.getSeq();
        f.rewoundFrom = r.getRewoundFrom();
        return Admission.APPLY;
    }

    /** Where each followed feed stands, for the Hello. */
    public synchronized List<FeedPosition> positions() {
        List<FeedPosition> out = new ArrayList<>();
        followed.forEach((vpc, f) -> out.add(FeedPosition.newBuilder().setVpcId(vpc).setFeedId(f.feed.getFeedId()).setSeq(f.seq)
                .setRewoundFrom(f.rewoundFrom).build()));
        return out;
    }

    /** Where each followed feed stands, and none is followed any more (the host leaves the MQ path). */
    public synchronized List<FeedPosition> positionsAndClear() {
        List<FeedPosition> out = positions();
        clear();
        return out;
    }

    public synchronized int size() { return followed.size(); }
}
