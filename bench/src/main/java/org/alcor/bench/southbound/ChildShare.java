package org.alcor.bench.southbound;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.alcor.bench.BenchFailure;

/**
 * The bench's side of a child JVM running one share of the agents: started with this JVM's java, flags and class
 * path, driven over its stdin and stdout ({@link AgentLines}).
 */
final class ChildShare implements Share {
    private static final String EOF = "\0eof";
    private static final long ANSWER_SECONDS = 300;   // the totals of thousands of hosts, on a loaded machine

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final ShareEvents events;
    private volatile boolean closing;

    private ChildShare(String name, Process process, ShareEvents events) {
        this.name = name;
        this.process = process;
        this.events = events;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(this::read, name + " reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the child, hands it its hosts and checks that its clock compares with ours. */
    static ChildShare start(int number, String southbound, int channels, List<HostSpec> hosts, ShareEvents events,
                            org.alcor.southbound.mq.MqLayout mq) {
        String name = "agent process " + number;
        List<String> args = new java.util.ArrayList<>(List.of(AgentProcess.SUBCOMMAND, "--southbound", southbound, "--channels", String.valueOf(channels)));
        if (mq != null) {
            args.addAll(List.of("--kafka", String.join(";", mq.clusters()), "--kafka-topics", String.valueOf(mq.topics()),
                    "--kafka-partitions", String.valueOf(mq.partitions())));
        }
        List<String> command = command(args);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new BenchFailure("cannot start " + name + " (" + command.getFirst() + "): " + BenchFailure.describe(e));
        }
        ChildShare child = new ChildShare(name, p, events);
        try {
            for (HostSpec h : hosts) child.write(AgentLines.host(h));
            child.checkClock();
            return child;
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    /** This JVM's java, its flags (less a debugger's, whose port the child cannot take too) and class path, running Main. */
    static List<String> command(List<String> args) {
        return command(ManagementFactory.getRuntimeMXBean().getInputArguments(), args);
    }

    static List<String> command(List<String> jvmFlags, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String flag : jvmFlags) {
            if (flag.startsWith("-agentlib:jdwp") || flag.startsWith("-Xrunjdwp") || flag.equals("-Xdebug")) continue;
            c.add(flag);
        }
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(org.alcor.bench.Main.class.getName());
        c.addAll(args);
        return c;
    }

    private void checkClock() {
        long before = System.nanoTime();
        List<String> reply = call("clock");
        long after = System.nanoTime();
        long theirs = Long.parseLong(reply.getFirst().split(" ")[1]);
        if (theirs < before || theirs > after) {
            throw new BenchFailure(name + ": its System.nanoTime() (" + theirs + ") is not between ours before and after asking (" + before
                    + ", " + after + "): the two processes' clocks do not compare, so cross-process times would be wrong; run with --processes 1");
        }
    }

    @Override public void connect() { call("connect"); }

    @Override public void watchPorts() { call("watch-ports"); }

    @Override public void watchNeighbor(String vpcId, String ipv4, String boundHostId) {
        call("watch-neighbor " + vpcId + " " + ipv4 + " " + boundHostId);
    }

    @Override
    public List<HostTotals> totals() {
        List<HostTotals> out = new ArrayList<>();
        for (String line : call("totals")) out.add(AgentLines.parseTotals(line.split(" ")));
        return out;
    }

    /** Sends a command and returns the reply lines before its "ok". */
    private synchronized List<String> call(String command) {
        write(command);
        String verb = command.split(" ", 2)[0];
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_SECONDS);
        try {
            while (true) {
                String line = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) throw new BenchFailure(name + " did not answer '" + verb + "' within " + ANSWER_SECONDS + " s");
                if (line.equals(EOF)) throw new BenchFailure(name + " exited" + exitCode() + " while asked '" + verb + "'");
                if (line.equals("ok " + verb)) return lines;
                lines.add(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted waiting for " + name);
        }
    }

    private synchronized void write(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new BenchFailure(name + " exited" + exitCode() + ": " + BenchFailure.describe(e));
        }
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                try {
                    if (!AgentLines.dispatch(line, events)) replies.add(line);
                } catch (RuntimeException e) {
                    events.failed(name + " sent a line the bench cannot read: '" + line + "' (" + e + ")");
                }
            }
        } catch (IOException e) {
            // treated as the end of its output
        }
        replies.add(EOF);
        if (!closing) events.failed(name + " exited" + exitCode());
    }

    private String exitCode() {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) return " with code " + process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** Ends the child's input, which ends the child; one that does not exit in time is killed. */
    @Override
    public void close() {
        closing = true;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
