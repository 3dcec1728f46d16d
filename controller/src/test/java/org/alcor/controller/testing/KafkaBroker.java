package org.alcor.controller.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real Kafka broker for tests, started the way {@code bin/alcor kafka} starts one (the kafka module's
 * DevBroker, KRaft, one node, loopback) as a child process with its own data directory; stopped (or killed) by
 * its PID, and restartable on the same directory and port.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final int port, controllerPort;
    /** The broker's certificates (bin/alcor kafka --tls), and a client's to see it answer; null: plaintext. */
    private final Path tlsDir;
    private final org.alcor.southbound.mq.MqTls client;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, Path tlsDir, org.alcor.southbound.mq.MqTls client) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.tlsDir = tlsDir;
        this.client = client;
    }

    public static KafkaBroker start() { return start(null, null); }

    /** A TLS broker with the certificates in tlsDir (broker.crt, broker.key, ca.crt); client: any certificate of that CA. */
    public static KafkaBroker start(Path tlsDir, org.alcor.southbound.mq.MqTls client) {
        var b = new KafkaBroker(TestController.createTempDir(), FreePorts.next(), FreePorts.next(), tlsDir, client);
        b.startProcess();
        return b;
    }

    public String bootstrap() { return "127.0.0.1:" + port; }

    private static Path moduleDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path m = p.resolve("kafka");
            if (Files.exists(m.resolve("pom.xml")) && Files.isDirectory(m.resolve("target/lib"))) return m;
        }
        throw new IllegalStateException("the kafka module is not built (kafka/target/lib): build the whole project first");
    }

    private void startProcess() {
        Path m = moduleDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = m.resolve("target/classes") + File.pathSeparator + m.resolve("target/lib") + "/*";
        try {
            List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-cp", cp, "org.alcor.kafka.DevBroker",
                    "--data-dir", dir.resolve("data").toString(), "--listen", bootstrap(), "--controller-port", String.valueOf(controllerPort)));
            if (tlsDir != null) command.addAll(List.of("--tls", tlsDir.toString()));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Kafka broker", e);
        }
        Properties p = client == null ? new Properties() : client.apply(new Properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(p)) {
            Await.until("the Kafka broker on " + bootstrap() + " answers", Duration.ofSeconds(90), () -> {
                if (!process.isAlive()) throw new IllegalStateException("the Kafka broker exited: " + logTail());
                try {
                    return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    /** kill -9 of the broker, then the same broker on the same data and port again. */
    public void killAndRestart() {
        process.destroyForcibly();
        waitFor();
        startProcess();
    }

    /** kill -9 only; {@link #restart()} brings it back. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    public void restart() { startProcess(); }

    private void waitFor() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("broker.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TestController.deleteRecursively(dir);
    }
}
