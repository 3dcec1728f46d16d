package org.alcor.controller.dataplane;

import java.util.BitSet;
import org.alcor.proto.VpcFeed;
import org.alcor.proto.VpcFeedRecord;

/** Where the engine writes VPC feed records: the MQ path. Called from the engine thread; never blocks long. */
public interface FeedSink {
    /** The VPC's feed topic and partition (the same on every cluster). */
    VpcFeed.Builder place(String vpcId);

    /**
     * Writes the record to the VPC's feed on each of the clusters. A write the brokers refuse (after the producer's
     * retries) is reported back with {@link DataplaneEngine#feedBroken}: records after it may be in the topic already.
     */
    void publish(VpcFeedRecord record, BitSet clusters);
}
