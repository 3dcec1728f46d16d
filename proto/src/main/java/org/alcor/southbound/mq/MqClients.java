package org.alcor.southbound.mq;

import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the controller's and the agents' Kafka clients have in common. */
public final class MqClients {
    /**
     * Kafka's clients log every configuration and every partition assignment at INFO (hundreds of lines per client):
     * that drowns Alcor's own log, so their loggers are kept at WARNING. The references are held because
     * java.util.logging forgets the level of a logger nobody references.
     */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("org.apache.kafka"), Logger.getLogger("kafka"),
            Logger.getLogger("state.change.logger"));

    private MqClients() { }

    public static void quietLogs() {
        for (Logger l : QUIETED) l.setLevel(Level.WARNING);
    }

    /**
     * A producer keyed by host id with byte values, idempotent and acked by all replicas: a retried batch is written
     * once and a partition's records keep their order, so a host's versions (or an agent's acks) arrive in order and
     * once (the reader still checks: a gap makes an agent say Hello again).
     */
    public static Properties orderedProducer(String bootstrap) { return orderedProducer(bootstrap, null); }

    /** As {@link #orderedProducer(String)}, over TLS with this client's certificate unless tls is null. */
    public static Properties orderedProducer(String bootstrap, MqTls tls) {
        Properties p = tls == null ? new Properties() : tls.apply(new Properties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    /** A consumer that is assign()ed its partitions (no group, no commits), keyed by host id, taking records up to maxRecordBytes. */
    public static Properties assignedReader(String bootstrap, int maxRecordBytes, MqTls tls) {
        Properties p = tls == null ? new Properties() : tls.apply(new Properties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecordBytes);
        return p;
    }
}
