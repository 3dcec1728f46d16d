package org.alcor.southbound.mq;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.VpcFeedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The agents' connection to one Kafka cluster: a producer for Hellos and acks, and one reader per host partition
 * and per VPC feed partition ({@code consumer.assign}, never a consumer group) that hands each record to the hosts
 * its key names and skips the others. A real agent has one host; the bench's simulated hosts share the readers of their partitions (one fetch
 * per partition instead of one per host: the broker's fan-out is then smaller than a fleet's, the controller's side
 * is the same).
 */
public final class AgentMqLink implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentMqLink.class.getName());

    private final String bootstrap;
    /** The host's TLS (null: plaintext brokers, a lab). */
    private final MqTls tls;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<TopicPartition, Reader<?>> readers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A link to plaintext brokers (a lab). */
    public AgentMqLink(String bootstrap) { this(bootstrap, null); }

    /** tls: the host's certificate, key and CA (its Hellos are signed with them); null for plaintext brokers. */
    public AgentMqLink(String bootstrap, MqTls tls) {
        MqClients.quietLogs();
        this.bootstrap = bootstrap;
        this.tls = tls;
        Properties p = MqClients.orderedProducer(bootstrap, tls);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(p);
    }

    public String bootstrap() { return bootstrap; }

    public MqTls tls() { return tls; }

    /** Sends one message to the agents partition, keyed by host; completes when the brokers have it. */
    public CompletableFuture<Void> send(String topic, int partition, String hostId, AgentMessage m) {
        var done = new CompletableFuture<Void>();
        try {
            producer.send(new ProducerRecord<>(topic, partition, hostId, m.toByteArray()), (meta, error) -> {
                if (error != null) done.completeExceptionally(error); else done.complete(null);
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * Delivers the host's records of the partition to handler, from the partition's end as it is now: when this
     * returns, everything written later reaches the handler. Blocks until the reader is positioned.
     */
    public void subscribe(String topic, int partition, String hostId, Consumer<ControllerMessage> handler) {
        Reader<ControllerMessage> r = reader(topic, partition, ControllerMessage::parseFrom);
        r.handlers(hostId).put(hostId, handler);
        r.positioned.join();
    }

    public void unsubscribe(String topic, int partition, String hostId) { remove(topic, partition, hostId, hostId); }

    /**
     * Delivers the records of one VPC feed to a host's handler, from the first one written at or after sinceMillis
     * (the partition is read back to there if need be; the other followers skip what they already had by number).
     * Until the read-back is done nothing reaches the handler, so it never sees a later record before an earlier.
     */
    public void follow(String topic, int partition, String vpcId, String hostId, Consumer<VpcFeedRecord> handler, long sinceMillis) {
        Reader<VpcFeedRecord> r = reader(topic, partition, VpcFeedRecord::parseFrom);
        r.joins.add(new Join<>(vpcId, hostId, handler, sinceMillis));
        r.consumer.wakeup();   // out of its poll, to position the newcomer
    }

    public void unfollow(String topic, int partition, String vpcId, String hostId) { remove(topic, partition, vpcId, hostId); }

    private void remove(String topic, int partition, String key, String subscriber) {
        Reader<?> r = readers.get(new TopicPartition(topic, partition));
        if (r == null) return;
        r.joins.removeIf(j -> j.key().equals(key) && j.subscriber().equals(subscriber));
        var byKey = r.handlers.get(key);
        if (byKey != null) byKey.remove(subscriber);
    }

    @SuppressWarnings("unchecked")
    private <T> Reader<T> reader(String topic, int partition, Parser<T> parser) {
        if (closed) throw new IllegalStateException("closed");
        return (Reader<T>) readers.computeIfAbsent(new TopicPartition(topic, partition), tp -> new Reader<>(tp, parser));
    }

    private interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    private record Join<T>(String key, String subscriber, Consumer<T> handler, long sinceMillis) {}

    /**
     * One partition's reader ({@code assign}, never a group): each record, parsed once, goes to the subscribers of
     * its key (a host partition's key is its host; a VPC feed's its VPC, followed by every host of it in this process).
     */
    private final class Reader<T> {
        final Map<String, Map<String, Consumer<T>>> handlers = new ConcurrentHashMap<>();
        final java.util.Queue<Join<T>> joins = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final CompletableFuture<Void> positioned = new CompletableFuture<>();
        final KafkaConsumer<String, byte[]> consumer;
        final Thread thread;
        private final TopicPartition tp;
        private final Parser<T> parser;

        Reader(TopicPartition tp, Parser<T> parser) {
            this.tp = tp;
            this.parser = parser;
            Properties p = MqClients.assignedReader(bootstrap, (16 << 20) + (64 << 10), tls);
            consumer = new KafkaConsumer<>(p);
            thread = new Thread(this::run, "alcor-mq-" + tp);
            thread.setDaemon(true);
            thread.start();
        }

        Map<String, Consumer<T>> handlers(String key) { return handlers.computeIfAbsent(key, k -> new ConcurrentHashMap<>()); }

        private void run() {
            try {
                consumer.assign(List.of(tp));
                while (!closed) {
                    org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records;
                    try {
                        if (!positioned.isDone()) {
                            consumer.seekToEnd(List.of(tp));
                            consumer.position(tp, Duration.ofSeconds(30));
                            positioned.complete(null);
                        }
                        join();
                        records = consumer.poll(Duration.ofMillis(500));
                    } catch (WakeupException e) {
                        continue;   // a newcomer to position, or closing (the loop's condition says which)
                    } catch (RuntimeException e) {
                        if (!positioned.isDone()) throw e;   // never got going: the subscriber is told
                        // Once reading, a reader that stopped would leave its followers waiting for records that never
                        // come (they notice a gap only when one arrives): it keeps trying from where it is.
                        LOG.log(Level.WARNING, "MQ: reading " + tp + " on " + bootstrap + " failed; trying again in a second", e);
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : records) {
                        Map<String, Consumer<T>> hs = r.key() == null ? null : handlers.get(r.key());
                        if (hs == null || hs.isEmpty()) continue;   // another host's, or a VPC nobody here follows
                        T message;
                        try {
                            message = parser.parse(r.value());
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warning("MQ: dropped a bad record at " + tp + "@" + r.offset() + ": " + e.getMessage());
                            continue;
                        }
                        for (Consumer<T> h : hs.values()) h.accept(message);
                    }
                }
            } catch (RuntimeException e) {
                positioned.completeExceptionally(e);
                if (!closed) LOG.log(Level.SEVERE, "MQ: the reader of " + tp + " on " + bootstrap + " failed", e);
            } finally {
                readers.remove(tp, this);
                try {
                    consumer.close(Duration.ofSeconds(1));
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        }

        /**
         * Starts the followers that joined, reading back to the earliest time they need. The end offset is taken
         * before the search by time: if no record was at or after that time then, every such record comes after it.
         */
        private void join() {
            if (joins.isEmpty()) return;
            // Taken off the queue only once positioned: a wakeup in between (another newcomer) makes this run again.
            List<Join<T>> batch = new ArrayList<>(joins);
            long since = batch.stream().mapToLong(Join::sinceMillis).min().orElseThrow();
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
            var found = consumer.offsetsForTimes(Map.of(tp, Math.max(0, since)), Duration.ofSeconds(10)).get(tp);
            long target = found != null ? found.offset() : end;
            if (target < consumer.position(tp)) consumer.seek(tp, target);
            for (Join<T> j : batch) {
                if (joins.remove(j)) handlers(j.key()).put(j.subscriber(), j.handler());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Reader<?> r : readers.values()) r.consumer.wakeup();
        for (Reader<?> r : List.copyOf(readers.values())) {
            try {
                r.thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(2));
    }
}
