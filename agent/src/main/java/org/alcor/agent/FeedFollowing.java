package org.alcor.agent;

import java.util.Collection;
import org.alcor.proto.VpcFeed;
import org.alcor.proto.VpcFeedRecord;
import org.alcor.southbound.mq.VpcFeedFollower;

/**
 * The VPC feeds of the MQ path, as the core applies them: it reports what it applied, and asks before applying a
 * feed record (in its own order, so no record of a feed it has left lands after that). Called on the apply thread.
 */
public interface FeedFollowing {
    /** A goal state (or a whole snapshot) was applied: a snapshot replaces the feeds, a deleted VPC's stops, the named ones start. */
    void applied(boolean snapshot, Collection<VpcFeed> feeds, Collection<String> deletedVpcs);

    VpcFeedFollower.Admission admit(VpcFeedRecord record);

    /** A feed lost records: the host's neighbours can no longer be patched, it needs a snapshot. */
    void gap(String why);
}
