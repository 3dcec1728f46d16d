package org.alcor.controller.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.alcor.controller.Main;

/**
 * One controller as its own JVM, as {@code bin/alcor controller} runs it, its output in a file; its API on a free
 * port, its southbound on an ephemeral one (the default 9697 may be held by another controller on this machine).
 * What it printed is appended to a transcript when it ends, for the test to show on failure.
 */
public final class ControllerProcess {
    public static final Duration READY_DEADLINE = Duration.ofSeconds(90), STOP_DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final StringBuilder transcript;
    public final NeutronClient client;

    /** A controller with these options besides --port and --southbound-port. */
    public ControllerProcess(Path log, StringBuilder transcript, List<String> options) throws IOException {
        this.log = log;
        this.transcript = transcript;
        int api = FreePorts.next();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(igniteJvmFlags());
        command.add("-Xmx512m");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", Integer.toString(api), "--southbound-port", "0"));
        command.addAll(options);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("IGNITE_QUIET", "true");
        process = builder.start();
        client = new NeutronClient("http://127.0.0.1:" + api, null);
    }

    /** Waits until GET /ready answers 200; fails if the process exits or the deadline passes first. */
    public ControllerProcess awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail("controller exited with " + process.exitValue() + " before it was ready");
            try {
                if (client.get("/ready").status() == 200) return this;
            } catch (UncheckedIOException notListeningYet) {
                // The API starts after the store: until then connections are refused.
            }
            Thread.sleep(200);
        }
        fail("controller not ready within " + READY_DEADLINE + "; its output:\n" + read(log));
        return this;
    }

    /** kill -9: no shutdown hook, no checkpoint; only what the write-ahead log (and the other replicas) hold survives. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: the shutdown hook closes the API, the write lanes and the store. */
    public void stop() {
        process.destroy();
        assertTrue(awaitExit(STOP_DEADLINE), "controller did not stop within " + STOP_DEADLINE + " of SIGTERM");
    }

    public boolean isAlive() { return process.isAlive(); }

    private boolean awaitExit(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        } finally {
            synchronized (transcript) {
                transcript.append("== ").append(log.getFileName()).append(" (exit ")
                        .append(process.isAlive() ? "none" : process.exitValue()).append(")\n").append(read(log));
            }
        }
    }

    /** The flags Ignite needs on this JDK, as this test JVM got them from the build. */
    private static List<String> igniteJvmFlags() {
        List<String> flags = new ArrayList<>();
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--add-opens") || a.startsWith("--sun-misc") || a.startsWith("--enable-native-access")) {
                flags.add(a);
                if (!a.contains("=") && i + 1 < args.size()) flags.add(args.get(++i)); // "--add-opens X" form
            }
        }
        return flags;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no output)\n";
        } catch (IOException e) {
            return "(unreadable: " + e + ")\n";
        }
    }
}
