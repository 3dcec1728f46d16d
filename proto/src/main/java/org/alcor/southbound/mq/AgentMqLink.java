package org.alcor.southbound.mq;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The agents' connection to one Kafka cluster: a producer for Hellos and acks, and one reader per host partition
 * ({@code consumer.assign}, never a consumer group) that hands each record to the host its key names and skips the
 * others. A real agent has one host; the bench's simulated hosts share the readers of their partitions (one fetch
 * per partition instead of one per host: the broker's fan-out is then smaller than a fleet's, the controller's side
 * is the same).
 */
public final class AgentMqLink implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentMqLink.class.getName());

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<TopicPartition, Reader> readers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public AgentMqLink(String bootstrap) {
        MqClients.quietLogs();
        this.bootstrap = bootstrap;
        Properties p = MqClients.orderedProducer(bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(p);
    }

    public String bootstrap() { return bootstrap; }

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
        if (closed) throw new IllegalStateException("closed");
        Reader r = readers.computeIfAbsent(new TopicPartition(topic, partition), Reader::new);
        r.handlers.put(hostId, handler);
        r.positioned.join();
    }

    public void unsubscribe(String topic, int partition, String hostId) {
        Reader r = readers.get(new TopicPartition(topic, partition));
        if (r != null) r.handlers.remove(hostId);
    }

    private final class Reader {
        final Map<String, Consumer<ControllerMessage>> handlers = new ConcurrentHashMap<>();
        final CompletableFuture<Void> positioned = new CompletableFuture<>();
        final KafkaConsumer<String, byte[]> consumer;
        final Thread thread;

        Reader(TopicPartition tp) {
            Properties p = MqClients.assignedReader(bootstrap, (16 << 20) + (64 << 10));
            consumer = new KafkaConsumer<>(p);
            thread = new Thread(() -> run(tp), "alcor-mq-" + tp);
            thread.setDaemon(true);
            thread.start();
        }

        private void run(TopicPartition tp) {
            try {
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp, Duration.ofSeconds(30));
                positioned.complete(null);
                while (!closed) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        Consumer<ControllerMessage> h = r.key() == null ? null : handlers.get(r.key());
                        if (h == null) continue;   // another host's
                        try {
                            h.accept(ControllerMessage.parseFrom(r.value()));
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warning("MQ: dropped a bad record at " + tp + "@" + r.offset() + ": " + e.getMessage());
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
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
    }

    @Override
    public void close() {
        closed = true;
        for (Reader r : readers.values()) r.consumer.wakeup();
        for (Reader r : List.copyOf(readers.values())) {
            try {
                r.thread.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(2));
    }
}
