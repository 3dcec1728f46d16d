package org.alcor.kafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code bin/alcor kafka [--data-dir DIR] [--listen 127.0.0.1:9092] [--controller-port 9093]}: one Kafka node in
 * KRaft mode (broker and controller in one process), for development and the MQ southbound's tests. Formats its
 * data directory on first start (a standalone quorum of one voter), then runs until stopped; a restart on the same
 * directory keeps every topic and message. Listens on loopback only and has no authentication: a lab broker, never a
 * production one (those are deployed as Kafka clusters, see docs/southbound-mq.md).
 */
public final class DevBroker {
    private DevBroker() {}

    /**
     * The broker logs every configuration and partition change at INFO, thousands of lines per start: WARNING and
     * above are kept (held here, as java.util.logging forgets the level of a logger nobody references).
     */
    private static final java.util.List<java.util.logging.Logger> QUIETED = java.util.List.of(
            java.util.logging.Logger.getLogger("kafka"), java.util.logging.Logger.getLogger("org.apache.kafka"),
            java.util.logging.Logger.getLogger("state.change.logger"));

    public static void main(String[] args) throws Exception {
        if (!Boolean.getBoolean("alcor.kafka.verbose")) QUIETED.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        Map<String, String> o = parse(args);
        if (o.containsKey("help")) {
            System.err.println("usage: alcor kafka [--data-dir ./data/kafka] [--listen 127.0.0.1:9092] [--controller-port 9093]");
            return;
        }
        Path dir = Path.of(o.getOrDefault("data-dir", "data/kafka")).toAbsolutePath();
        String listen = o.getOrDefault("listen", "127.0.0.1:9092");
        int colon = listen.lastIndexOf(':');
        String host = listen.substring(0, colon);
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            System.err.println("alcor kafka: a development broker without authentication listens on loopback only, not " + host);
            System.exit(2);
        }
        int port = Integer.parseInt(listen.substring(colon + 1));
        int controllerPort = Integer.parseInt(o.getOrDefault("controller-port", String.valueOf(port + 1)));
        Path config = writeConfig(dir, host, port, controllerPort);
        if (!Files.exists(dir.resolve("logs/meta.properties"))) {
            int rc = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id=" + clusterId(), "--config=" + config,
                    "--standalone", "--ignore-formatted"}, System.err);
            if (rc != 0) {
                System.err.println("alcor kafka: formatting " + dir + " failed (" + rc + ")");
                System.exit(1);
            }
        }
        System.err.println("alcor kafka: KRaft broker on " + host + ":" + port + ", data in " + dir);
        kafka.Kafka.main(new String[] {config.toString()});   // runs until the JVM is told to stop
    }

    /** The broker's configuration, written next to its data so that an operator sees what runs. */
    static Path writeConfig(Path dir, String host, int port, int controllerPort) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        // One node: every internal topic has one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("num.partitions", "1");
        // Goal-state snapshots go in parts of about 1 MiB; a part and its envelope must fit in one record batch.
        p.setProperty("message.max.bytes", String.valueOf(16 << 20));
        p.setProperty("replica.fetch.max.bytes", String.valueOf(16 << 20));
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        Path file = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "written by bin/alcor kafka at each start");
        }
        return file;
    }

    private static String clusterId() {
        // Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding (22 characters).
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a);
            String k = a.substring(2);
            int eq = k.indexOf('=');
            if (eq >= 0) o.put(k.substring(0, eq), k.substring(eq + 1));
            else if (i + 1 < args.length && !args[i + 1].startsWith("--")) o.put(k, args[++i]);
            else o.put(k, "true");
        }
        return o;
    }
}
