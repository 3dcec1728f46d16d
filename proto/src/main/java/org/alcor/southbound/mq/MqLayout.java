package org.alcor.southbound.mq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Where a host is served on the MQ path, as a function of configuration alone (no lookup service): the Kafka cluster,
 * the topic and the partition of its goal states, and the partition of the agents topic where its Hellos and acks
 * go. Controller and agent compute it with the same hash of the host id, so that an agent given the same
 * {@code --kafka} clusters and counts reads exactly its partition ({@code consumer.assign}, never group rebalancing)
 * and skips the other hosts' messages there by their key.
 *
 * <p>The hash splits into cluster, topic and partition in that order, so hosts spread evenly at every level. The
 * founding sizing (1,000,000 hosts = 10 clusters x 200 topics x 50 partitions x 10 hosts per partition) is
 * {@code new MqLayout(tenClusters, 200, 50)}; the defaults are small enough for a development broker.
 *
 * @param clusters bootstrap servers of each cluster ("host:port,host:port"), in the configured order
 * @param topics host topics per cluster
 * @param partitions partitions per topic
 */
public record MqLayout(List<String> clusters, int topics, int partitions) {
    public static final int DEFAULT_TOPICS = 4, DEFAULT_PARTITIONS = 8;
    /**
     * Goal states to hosts: {@code alcor.hosts.<n>}; Hellos and acks from them: {@code alcor.agents.<n>}; VPC feeds
     * (neighbour changes that every host of a VPC reads): {@code alcor.vpcs.<n>}, on every cluster with such a host.
     */
    public static final String HOST_TOPIC = "alcor.hosts.", AGENTS_TOPIC = "alcor.agents.", VPC_TOPIC = "alcor.vpcs.";

    public MqLayout {
        clusters = List.copyOf(clusters);
        if (clusters.isEmpty() || clusters.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("--kafka needs at least one cluster's bootstrap servers (host:port[,host:port][;next cluster])");
        }
        if (topics < 1 || topics > 10_000) throw new IllegalArgumentException("--kafka-topics must be between 1 and 10000, not " + topics);
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("--kafka-partitions must be between 1 and 10000, not " + partitions);
        }
    }

    /** Parses {@code --kafka}: clusters separated by ';', each a comma-separated bootstrap list. */
    public static MqLayout parse(String kafka, int topics, int partitions) {
        return new MqLayout(Arrays.stream(kafka.split(";")).map(String::trim).toList(), topics, partitions);
    }

    /** One host's place. */
    public record Place(int cluster, String bootstrapServers, String topic, int partition, String agentsTopic) {}

    public Place of(String hostId) {
        long h = hash(hostId);
        int cluster = (int) Long.remainderUnsigned(h, clusters.size());
        h = Long.divideUnsigned(h, clusters.size());
        int topic = (int) Long.remainderUnsigned(h, topics);
        h = Long.divideUnsigned(h, topics);
        int partition = (int) Long.remainderUnsigned(h, partitions);
        return new Place(cluster, clusters.get(cluster), HOST_TOPIC + topic, partition, AGENTS_TOPIC + topic);
    }

    /** Where a VPC's feed is, on each cluster: a topic and partition by the same hash of the VPC id (keyed by it there). */
    public record FeedPlace(String topic, int partition) {}

    public FeedPlace feedOf(String vpcId) {
        long h = hash(vpcId);
        int topic = (int) Long.remainderUnsigned(h, topics);
        h = Long.divideUnsigned(h, topics);
        return new FeedPlace(VPC_TOPIC + topic, (int) Long.remainderUnsigned(h, partitions));
    }

    public List<String> vpcTopics() {
        return java.util.stream.IntStream.range(0, topics).mapToObj(t -> VPC_TOPIC + t).toList();
    }

    /** The host topics of every cluster (each with {@link #partitions} partitions); the agents topics mirror them. */
    public List<String> hostTopics() {
        return java.util.stream.IntStream.range(0, topics).mapToObj(t -> HOST_TOPIC + t).toList();
    }

    public List<String> agentsTopics() {
        return java.util.stream.IntStream.range(0, topics).mapToObj(t -> AGENTS_TOPIC + t).toList();
    }

    /**
     * 64-bit FNV-1a of an id's UTF-8 bytes (host or VPC): fixed by this contract (String.hashCode is not meant to be one, and
     * Kafka's own partitioner would tie the layout to a client library's version).
     */
    public static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
