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
 * {@code bin/alcor kafka [--data-dir DIR] [--listen 127.0.0.1:9092] [--controller-port 9093] [--tls DIR]}: one Kafka
 * node in KRaft mode (broker and controller in one process), for development and the MQ southbound's tests. Formats
 * its data directory on first start (a standalone quorum of one voter), then runs until stopped; a restart on the
 * same directory keeps every topic and message. Plaintext (no authentication, loopback only) unless {@code --tls DIR}
 * gives it broker.crt, broker.key and ca.crt ({@code bin/alcor kafka-cert}): then every listener is TLS with client
 * certificates of that CA required, the certificate's CN is the principal, and ACLs decide (the controller and the
 * broker are super users; the controller creates the agents' ACLs). A development broker all the same: production
 * ones are Kafka clusters (docs/southbound-mq.md).
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
            System.err.println("usage: alcor kafka [--data-dir ./data/kafka] [--listen 127.0.0.1:9092] [--controller-port 9093] [--tls DIR]");
            return;
        }
        Path dir = Path.of(o.getOrDefault("data-dir", "data/kafka")).toAbsolutePath();
        String listen = o.getOrDefault("listen", "127.0.0.1:9092");
        int colon = listen.lastIndexOf(':');
        String host = listen.substring(0, colon);
        Path tls = o.containsKey("tls") ? Path.of(o.get("tls")).toAbsolutePath() : null;
        if (tls == null && !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            System.err.println("alcor kafka: a development broker without authentication listens on loopback only, not " + host);
            System.exit(2);
        }
        int port = Integer.parseInt(listen.substring(colon + 1));
        int controllerPort = Integer.parseInt(o.getOrDefault("controller-port", String.valueOf(port + 1)));
        Path config = writeConfig(dir, host, port, controllerPort, tls);
        if (!Files.exists(dir.resolve("logs/meta.properties"))) {
            int rc = kafka.tools.StorageTool.execute(new String[] {"format", "--cluster-id=" + clusterId(), "--config=" + config,
                    "--standalone", "--ignore-formatted"}, System.err);
            if (rc != 0) {
                System.err.println("alcor kafka: formatting " + dir + " failed (" + rc + ")");
                System.exit(1);
            }
        }
        System.err.println("alcor kafka: KRaft broker on " + host + ":" + port + (tls == null ? " (plaintext)" : " (TLS, ACLs)") + ", data in " + dir);
        kafka.Kafka.main(new String[] {config.toString()});   // runs until the JVM is told to stop
    }

    /** The broker's configuration, written next to its data so that an operator sees what runs. */
    static Path writeConfig(Path dir, String host, int port, int controllerPort, Path tls) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        String clients = tls == null ? "PLAINTEXT" : "SSL";
        p.setProperty("listeners", clients + "://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", clients + "://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", clients);
        p.setProperty("listener.security.protocol.map", clients + ":" + clients + ",CONTROLLER:" + clients);
        if (tls != null) secure(p, dir, tls);
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

    /**
     * TLS on every listener with client certificates required; the CN of a certificate is its principal (a host id,
     * or one of the two super users, whose names no host id can take); nothing is allowed without an ACL.
     */
    private static void secure(Properties p, Path dir, Path tls) throws IOException {
        // Kafka's PEM key store file holds the key and then the chain: written here, readable by this user only.
        Path keyStore = dir.resolve("broker-keystore.pem");
        Files.deleteIfExists(keyStore);
        try {
            Files.createFile(keyStore, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(keyStore);
        }
        Files.writeString(keyStore, Files.readString(tls.resolve("broker.key")) + Files.readString(tls.resolve("broker.crt")));
        p.setProperty("ssl.keystore.type", "PEM");
        p.setProperty("ssl.keystore.location", keyStore.toString());
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", tls.resolve("ca.crt").toString());
        p.setProperty("ssl.client.auth", "required");
        p.setProperty("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // MqTls.CONTROLLER_PRINCIPAL and BROKER_PRINCIPAL (this module does not depend on the proto module).
        p.setProperty("super.users", "User:alcor controller;User:alcor kafka broker");
        p.setProperty("allow.everyone.if.no.acl.found", "false");
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
