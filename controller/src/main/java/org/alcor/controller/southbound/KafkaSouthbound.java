package org.alcor.controller.southbound;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.ControllerMessage;
import org.alcor.proto.PathAnnouncement;
import org.alcor.proto.Resync;
import org.alcor.proto.SouthboundPath;
import org.alcor.proto.VpcFeed;
import org.alcor.proto.VpcFeedRecord;
import org.alcor.southbound.mq.MqLayout;
import org.alcor.southbound.mq.MqTls;
import org.alcor.southbound.mq.SignedHello;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The MQ path on Kafka. Down: a host's goal states go to its partition of its host topic ({@link MqLayout}), keyed
 * by host id, from one idempotent producer per cluster (the same messages and versions as on gRPC: one session, two
 * transports). Up: agents send their Hellos and acks to the agents topic that mirrors their host topic; one reader
 * per cluster takes every partition of those ({@code assign}, from the end at start) and feeds the same stream
 * protocol as gRPC ({@link AgentStreams}), a new Hello making a new stream.
 *
 * <p>There is no connection to notice a controller restart or a stream it dropped: an agent on this path repeats
 * its last ack every few seconds, and an ack from a stream this controller does not know is answered with a
 * {@code Resync(say_hello)}, so the agent says Hello again and resumes or gets a snapshot.
 *
 * <p>With TLS (the southbound's default): every client has a certificate of the controller's CA; this controller is
 * the brokers' super user and gives agents (by ACLs it creates) read on the host and VPC topics and write on the
 * agents topics, never read there. A Hello counts only when signed by the host it names ({@link SignedHello}); what
 * follows on its stream is bound to it by the stream id, which no other agent can read. Without TLS
 * ({@code --southbound-insecure}) anyone who reaches the brokers can speak as any host (docs/southbound-mq.md).
 */
final class KafkaSouthbound implements org.alcor.controller.dataplane.FeedSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSouthbound.class.getName());
    /** Bytes written but not yet acknowledged by the brokers past which hosts wait (coalescing in the engine). */
    private static final long IN_FLIGHT_LIMIT = 16L << 20;
    private static final long SAY_HELLO_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_RECORD_BYTES = (16 << 20) + (64 << 10);

    private final MqLayout layout;
    private final MqSettings settings;
    /** This controller's Kafka client TLS, and the CA whose hosts may say Hello; both null on plaintext brokers. */
    private final MqTls tls;
    private final java.security.cert.X509Certificate ca;
    private final AgentStreams streams;
    private final List<KafkaProducer<String, byte[]>> producers = new ArrayList<>();
    private final List<KafkaConsumer<String, byte[]>> readers = new ArrayList<>();
    private final List<Thread> readerThreads = new ArrayList<>();
    /** Each host's current stream on this path, by the stream id of its Hello. */
    private final ConcurrentMap<String, Current> current = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> helloAskedAt = new ConcurrentHashMap<>();
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicLong inFlightBytes = new AtomicLong();
    final AtomicLong recordsSent = new AtomicLong(), bytesSent = new AtomicLong(), sendFailures = new AtomicLong(),
            recordsReceived = new AtomicLong(), helloRequests = new AtomicLong(), feedRecordsSent = new AtomicLong(),
            feedBytesSent = new AtomicLong(), hellosRefused = new AtomicLong();
    private volatile boolean closed;

    /** silentNanos: how long this agent may say nothing before its stream is taken as gone (from its Hello's heartbeat). */
    private record Current(String streamId, AgentStreams.Stream stream, AtomicLong heardNanos, long silentNanos) {
        Current(String streamId, AgentStreams.Stream stream, long heartbeatMillis) {
            this(streamId, stream, new AtomicLong(System.nanoTime()), silence(heartbeatMillis));
        }
    }

    /**
     * An agent on this path says something (an ack, at least its heartbeat) every interval it says in its Hello (2 s
     * when it does not); its stream is gone after five of them in silence, and never sooner than 20 s.
     */
    static long silence(long heartbeatMillis) {
        long beat = heartbeatMillis > 0 ? heartbeatMillis : MqSettings.MIN_HEARTBEAT_MILLIS;
        return TimeUnit.MILLISECONDS.toNanos(Math.max(20_000, 5 * beat));
    }
    /** When each cluster's agents reader last took fewer records than a full poll (it was at the partitions' end). */
    private final List<AtomicLong> caughtUpNanos = new ArrayList<>();

    private KafkaSouthbound(MqSettings settings, AgentStreams streams, MqTls tls) {
        this.layout = settings.layout();
        this.settings = settings;
        this.streams = streams;
        this.tls = tls;
        this.ca = tls == null ? null : tls.ca();
    }

    /**
     * Creates the topics (and with TLS the agents' ACLs) where missing and starts the readers; fails when a cluster
     * cannot be reached. tls: this controller's client certificate and CA, or null for plaintext brokers.
     */
    static KafkaSouthbound start(MqSettings settings, AgentStreams streams, MqTls tls) {
        org.alcor.southbound.mq.MqClients.quietLogs();
        MqLayout layout = settings.layout();
        var k = new KafkaSouthbound(settings, streams, tls);
        try {
            for (int c = 0; c < layout.clusters().size(); c++) {
                String bootstrap = layout.clusters().get(c);
                ensureTopics(bootstrap, layout, tls);
                k.producers.add(new KafkaProducer<>(producerConfig(bootstrap, tls)));
                KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(consumerConfig(bootstrap, tls));
                k.readers.add(reader);
                k.caughtUpNanos.add(new AtomicLong(System.nanoTime()));
                AtomicLong caughtUp = k.caughtUpNanos.get(c);
                Thread t = new Thread(() -> k.read(reader, bootstrap, caughtUp), "alcor-mq-agents-" + c);
                t.setDaemon(true);
                k.readerThreads.add(t);
            }
            // Metadata is fetched before the engine's first send, which then never waits for it.
            for (var p : k.producers) for (String topic : layout.hostTopics()) p.partitionsFor(topic);
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
        k.readerThreads.forEach(Thread::start);
        String where = "southbound MQ path on Kafka " + layout.clusters() + " (" + layout.topics() + " host topics x " + layout.partitions()
                + " partitions per cluster)";
        if (tls != null) LOG.info(where + " over TLS: hosts with this CA's certificates, ACLs per kind of topic, signed Hellos");
        else LOG.warning(where + ": PLAINTEXT and UNAUTHENTICATED (--southbound-insecure): anything that reaches the brokers"
                + " can read goal states or act as any host");
        return k;
    }

    private static void ensureTopics(String bootstrap, MqLayout layout, MqTls tls) {
        Properties p = tls == null ? new Properties() : tls.apply(new Properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(p)) {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            short replicas = (short) Math.min(3, brokers);
            // A goal state older than an hour is of no use: an agent that far behind gets a snapshot anyway.
            Map<String, String> config = Map.of("max.message.bytes", String.valueOf(MAX_RECORD_BYTES), "retention.ms", "3600000",
                    "segment.ms", "600000", "min.insync.replicas", String.valueOf(Math.min(2, replicas)));
            List<NewTopic> topics = new ArrayList<>();
            for (String t : layout.hostTopics()) topics.add(new NewTopic(t, layout.partitions(), replicas).configs(config));
            for (String t : layout.agentsTopics()) topics.add(new NewTopic(t, layout.partitions(), replicas).configs(config));
            for (String t : layout.vpcTopics()) topics.add(new NewTopic(t, layout.partitions(), replicas).configs(config));
            var result = admin.createTopics(topics);
            for (var e : result.values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) throw ex;
                }
            }
            if (tls != null) admin.createAcls(MqAcls.agents()).all().get(30, TimeUnit.SECONDS);   // creating one that exists is a no-op
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("--kafka: cannot reach or set up the Kafka cluster at " + bootstrap + ": " + e.getMessage()
                    + (tls == null ? "" : " (the southbound is mutual TLS, so the MQ path is TLS too: a broker started with"
                    + " bin/alcor kafka --tls DIR, its certificate from bin/alcor kafka-cert; or --southbound-insecure for both)"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up Kafka topics", e);
        }
    }

    private static Properties producerConfig(String bootstrap, MqTls tls) {
        Properties p = org.alcor.southbound.mq.MqClients.orderedProducer(bootstrap, tls);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4 * IN_FLIGHT_LIMIT);
        // The engine thread sends: it must never wait long on a full buffer or missing metadata.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    /** Records per poll of the agents reader (Kafka's default): a poll with fewer was at the partitions' end. */
    private static final int MAX_POLL_RECORDS = 500;

    static Properties consumerConfig(String bootstrap, MqTls tls) {
        Properties p = org.alcor.southbound.mq.MqClients.assignedReader(bootstrap, MAX_RECORD_BYTES, tls);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        return p;
    }

    /**
     * Where the agent finds its goal states and sends its acks, announced in the goal state that moves it here, and
     * how often it says it is alive (longer as more hosts are here: see {@link MqSettings#heartbeatMillis}).
     */
    PathAnnouncement announcement(String hostId) {
        MqLayout.Place place = layout.of(hostId);
        return PathAnnouncement.newBuilder().setPath(SouthboundPath.MQ).setBootstrapServers(place.bootstrapServers())
                .setTopic(place.topic()).setPartition(place.partition()).setAgentsTopic(place.agentsTopic())
                .setAgentsPartition(place.partition()).setHeartbeatMillis((int) settings.heartbeatMillis(current.size() + 1))
                .setReplica(streams.replica()).build();
    }

    private void read(KafkaConsumer<String, byte[]> reader, String bootstrap, AtomicLong caughtUp) {
        try {
            List<TopicPartition> all = new ArrayList<>();
            for (String t : layout.agentsTopics()) for (int p = 0; p < layout.partitions(); p++) all.add(new TopicPartition(t, p));
            reader.assign(all);
            // What agents said to an earlier controller is not for this one: they are asked to say Hello again.
            reader.seekToEnd(all);
            for (TopicPartition tp : all) reader.position(tp);
            while (!closed) {
                var records = reader.poll(Duration.ofMillis(500));
                if (records.count() < MAX_POLL_RECORDS) caughtUp.set(System.nanoTime());
                for (ConsumerRecord<String, byte[]> r : records) {
                    recordsReceived.incrementAndGet();
                    try {
                        dispatch(r.key(), AgentMessage.parseFrom(r.value()));
                    } catch (InvalidProtocolBufferException | RuntimeException e) {
                        LOG.log(Level.WARNING, "southbound MQ: dropped a bad record from " + r.topic() + "/" + r.partition() + "@" + r.offset(), e);
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closed) LOG.log(Level.SEVERE, "southbound MQ: the agents reader of " + bootstrap + " stopped", e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "southbound MQ: the agents reader of " + bootstrap + " failed; hosts on this cluster are not heard", e);
        }
    }

    /** One agent message; key: the host id it is from. */
    void dispatch(String hostId, AgentMessage m) {
        if (hostId == null || m.getStreamId().isEmpty()) return;
        if (m.hasHello()) {
            if (!hostId.equals(m.getHello().getHostId())) return;   // keyed for another host than it says: not the contract
            // Every replica reads every agents partition: the replica the Hello is for answers it (the one that moved the
            // host or asked it to say Hello), and only while it owns the host, so two never take one stream.
            String forReplica = m.getHello().getForReplica();
            if (!forReplica.isEmpty() && !forReplica.equals(streams.replica())) return;
            if (!streams.owns(hostId)) return;
            Current was = current.get(hostId);
            if (was != null && was.streamId().equals(m.getStreamId())) return;   // a repeated Hello of the same stream
            String refused = ca == null ? null : SignedHello.refusal(m.getHello(), m.getStreamId(), ca, System.currentTimeMillis());
            if (refused != null) {
                // Not answered: a forger learns nothing, and the host's real stream (if any) goes on.
                if (hellosRefused.getAndIncrement() % 100 == 0) LOG.warning("southbound MQ: refused a Hello for host " + hostId + ": " + refused);
                return;
            }
            var stream = streams.open(new KafkaDownlink(hostId, m.getStreamId()), null);
            current.put(hostId, new Current(m.getStreamId(), stream, m.getHello().getHeartbeatMillis()));
            if (was != null) was.stream().closed();
            stream.onMessage(m);
            return;
        }
        Current c = current.get(hostId);
        if (c != null && c.streamId().equals(m.getStreamId())) {
            c.heardNanos().set(System.nanoTime());
            c.stream().onMessage(m);
            return;
        }
        if (streams.owns(hostId)) askHello(hostId);
    }

    /**
     * Ends the streams whose agents went silent (a dead agent has no connection to lose), and those of hosts another
     * replica owns now: their hosts show as disconnected here, and their sessions expire as any disconnected one does.
     * Called by the sweeper every second.
     */
    void endSilentStreams(long nowNanos) {
        for (var e : current.entrySet()) {
            Current c = e.getValue();
            if (!streams.owns(e.getKey())) {
                // Another replica owns it now (one joined, or this one's view changed): its next ack there, from a
                // stream that replica does not know, is answered with say_hello, and the host moves over.
                if (current.remove(e.getKey(), c)) {
                    LOG.info(() -> "southbound MQ: host " + e.getKey() + " is another replica's now; its stream here ends");
                    c.stream().closed();
                }
                continue;
            }
            if (nowNanos - c.heardNanos().get() < c.silentNanos()) continue;
            // A reader that is behind has not read what agents said lately: their silence is its own.
            if (nowNanos - caughtUpNanos.get(layout.of(e.getKey()).cluster()).get() > TimeUnit.SECONDS.toNanos(2)) continue;
            if (!current.remove(e.getKey(), c)) continue;
            LOG.info(() -> "southbound MQ: host " + e.getKey() + " has been silent for " + TimeUnit.NANOSECONDS.toSeconds(c.silentNanos())
                    + " s; its stream on this path ends");
            c.stream().closed();
        }
    }

    private void askHello(String hostId) {
        long now = System.nanoTime();
        Long last = helloAskedAt.get(hostId);
        if (last != null && now - last < SAY_HELLO_EVERY_NANOS) return;
        helloAskedAt.put(hostId, now);
        helloRequests.incrementAndGet();
        publish(hostId, ControllerMessage.newBuilder().setResync(Resync.newBuilder().setSayHello(true).setReplica(streams.replica())
                .setReason("this controller does not know the stream (it restarted, or the stream ended); say Hello again")).build(), null);
    }

    private void publish(String hostId, ControllerMessage m, String streamId) {
        MqLayout.Place place = layout.of(hostId);
        byte[] bytes = m.toByteArray();
        inFlightBytes.addAndGet(bytes.length);
        producers.get(place.cluster()).send(new ProducerRecord<>(place.topic(), place.partition(), hostId, bytes), (meta, error) -> {
            long left = inFlightBytes.addAndGet(-bytes.length);
            if (error != null) {
                sendFailures.incrementAndGet();
                if (streamId != null) failed(hostId, streamId, error);
            } else {
                recordsSent.incrementAndGet();
                bytesSent.addAndGet(bytes.length);
            }
            if (left < IN_FLIGHT_LIMIT / 2 && !waiting.isEmpty()) {
                for (var it = waiting.iterator(); it.hasNext(); ) {
                    String h = it.next();
                    it.remove();
                    streams.engine().ready(h);
                }
            }
        });
    }

    /**
     * A write the brokers did not take (after the producer's retries): the stream ends, since a later version may
     * already be in the partition after the gap. The agent's next ack is answered with say_hello; its new Hello
     * resumes or resyncs.
     */
    private void failed(String hostId, String streamId, Exception error) {
        LOG.warning("southbound MQ: a goal state for host " + hostId + " was not written (" + error.getMessage() + "); its stream ends");
        Current c = current.get(hostId);
        if (c != null && c.streamId().equals(streamId) && current.remove(hostId, c)) c.stream().closed();
    }

    @Override
    public VpcFeed.Builder place(String vpcId) {
        MqLayout.FeedPlace place = layout.feedOf(vpcId);
        return VpcFeed.newBuilder().setTopic(place.topic()).setPartition(place.partition());
    }

    /** One write per cluster with followers reaches all of them (the point of the feed); keyed by VPC. */
    @Override
    public void publish(VpcFeedRecord record, java.util.BitSet clusters) {
        if (closed) return;   // shutting down: the engine's next load starts new feeds anyway
        MqLayout.FeedPlace place = layout.feedOf(record.getVpcId());
        byte[] bytes = record.toByteArray();
        for (int c = clusters.nextSetBit(0); c >= 0; c = clusters.nextSetBit(c + 1)) {
            inFlightBytes.addAndGet(bytes.length);
            sendFeedRecord(producers.get(c), new ProducerRecord<>(place.topic(), place.partition(), record.getVpcId(), bytes), record.getFeedId());
        }
    }

    private void sendFeedRecord(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> r, String feedId) {
        int length = r.value().length;
        try {
            producer.send(r, (meta, error) -> {
                inFlightBytes.addAndGet(-length);
                if (error != null) feedRecordFailed(feedId, error);
                else {
                    feedRecordsSent.incrementAndGet();
                    feedBytesSent.addAndGet(length);
                }
            });
        } catch (RuntimeException e) {
            inFlightBytes.addAndGet(-length);
            feedRecordFailed(feedId, e);
        }
    }

    private void feedRecordFailed(String feedId, Exception error) {
        sendFailures.incrementAndGet();
        LOG.warning("southbound MQ: a record of VPC feed " + feedId + " was not written (" + error.getMessage() + "); its hosts get snapshots");
        streams.engine().feedBroken(feedId);
    }

    int hosts() { return current.size(); }

    long inFlightBytes() { return inFlightBytes.get(); }

    /** One agent's stream on this path: writes go to its partition, keyed by its host id. */
    private final class KafkaDownlink implements Downlink {
        private final String hostId, streamId;

        KafkaDownlink(String hostId, String streamId) {
            this.hostId = hostId;
            this.streamId = streamId;
        }

        @Override public SouthboundPath path() { return SouthboundPath.MQ; }

        @Override public int cluster() { return layout.of(hostId).cluster(); }

        @Override public boolean isReady() {
            if (closed) return false;
            if (inFlightBytes.get() < IN_FLIGHT_LIMIT) return true;
            waiting.add(hostId);
            return inFlightBytes.get() < IN_FLIGHT_LIMIT;   // it may have drained in between
        }

        @Override public void send(ControllerMessage message) {
            if (closed) throw new IllegalStateException("the MQ path is closed");
            publish(hostId, message, streamId);
        }

        @Override public void close(io.grpc.Status status) { forget(); }

        @Override public void complete() { forget(); }

        private void forget() {
            Current c = current.get(hostId);
            if (c != null && c.streamId().equals(streamId)) current.remove(hostId, c);
        }
    }

    @Override
    public void close() {
        closed = true;
        readers.forEach(KafkaConsumer::wakeup);
        for (Thread t : readerThreads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        readers.forEach(r -> {
            try {
                r.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        });
        producers.forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}
