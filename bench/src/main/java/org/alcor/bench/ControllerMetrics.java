package org.alcor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the southbound bench reads from the controller besides its API: the Prometheus endpoint ({@code /metrics}),
 * the per-host delivery page ({@code /southbound/hosts}) and, given its pid, {@code jcmd PID GC.run} before heap
 * samples.
 */
final class ControllerMetrics {
    /**
     * A heap and direct-memory sample (-1 where the controller does not export a figure); afterGc: jcmd forced one.
     * nettyDirect is the shaded Netty's own count of what it allocated. With Netty's no-Cleaner allocation that memory
     * is outside the JVM's direct buffers and adds to them; when Netty allocates through the JDK (JDK 25 here: the two
     * figures match to the byte) it is already in them, and adding it would count it twice. The metrics do not say
     * which, so a Netty count above the JVM's (which cannot be a part of it) is added, one at or below it is not.
     */
    record Memory(long heapBytes, long jvmDirectBytes, long nettyDirectBytes, boolean afterGc) {
        long directBytes() {
            if (jvmDirectBytes < 0) return -1;
            return nettyInsideJvm() ? jvmDirectBytes : jvmDirectBytes + nettyDirectBytes;
        }

        boolean nettyInsideJvm() { return nettyDirectBytes <= jvmDirectBytes; }
    }

    private final HttpClient http;
    private final String root;
    private final PrintStream out;
    private long pid;

    ControllerMetrics(HttpClient http, URI url, long controllerPid, PrintStream out) {
        this.http = http;
        this.root = NeutronHttp.apiRoot(url.toString());
        this.pid = controllerPid;
        this.out = out;
    }

    /** One read of /metrics; sums over the series of a name whose labels contain a filter. */
    static final class Scrape {
        private final String[] lines;

        Scrape(String body) { this.lines = body.split("\n"); }

        /** -1 when no series of that name (and labels) is exported. */
        double sum(String name, String labelFilter) {
            double sum = -1;
            for (String line : lines) {
                if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labelFilter)) {
                    sum = Math.max(sum, 0) + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }

        double get(String name) { return sum(name, ""); }
    }

    /** The controller's metrics now; a failed read is a {@link BenchFailure}: every figure after it would be wrong. */
    Scrape scrape() {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) throw new BenchFailure("GET " + root + "/metrics: HTTP " + r.statusCode() + " " + BenchFailure.clip(r.body()));
        return new Scrape(r.body());
    }

    /**
     * Whether the controller has caught up: no changed rows waiting, no port reports waiting, every normal host of
     * this run sent everything and acknowledged it ({@code /southbound/hosts} lag 0), and no more hosts with changes
     * waiting than there are slow and stuck ones (whose changes wait, coalesced, behind their full window by design).
     * Without that page, every goal state acknowledged ({@code alcor_southbound_unacked_goal_states} 0), which
     * slow or stuck hosts never reach.
     */
    boolean caughtUp(Set<String> normalHosts, int slowAndStuck) {
        Scrape m = scrape();
        if (m.get("alcor_dataplane_intake_rows") > 0 || m.get("alcor_southbound_port_reports_pending") > 0
                || m.get("alcor_dataplane_hosts_pending") > slowAndStuck) return false;
        if (slowAndStuck == 0 && m.get("alcor_southbound_unacked_goal_states") == 0) return true;
        HttpResponse<String> page = get("/southbound/hosts");
        if (page.statusCode() == 404) {
            if (slowAndStuck > 0) throw new BenchFailure("the controller has no /southbound/hosts page: with slow or stuck hosts the bench cannot tell when it has caught up");
            return false;
        }
        if (page.statusCode() != 200) throw new BenchFailure("GET " + root + "/southbound/hosts: HTTP " + page.statusCode() + " " + BenchFailure.clip(page.body()));
        try {
            for (JsonNode h : NeutronHttp.JSON.readTree(page.body()).path("hosts")) {
                if (normalHosts.contains(h.path("host_id").asText()) && h.path("lag").asLong() != 0) return false;
            }
            return true;
        } catch (IOException e) {
            throw new BenchFailure("GET " + root + "/southbound/hosts: not JSON: " + BenchFailure.describe(e));
        }
    }

    double cpuSeconds() { return scrape().get("alcor_process_cpu_seconds_total"); }

    /**
     * Heap after a forced GC when the pid is known (jcmd), else the live data the JVM measured after its last
     * old-generation collection (0 until there was one: then -1); direct memory as {@link Memory} says.
     */
    Memory memory() throws InterruptedException {
        if (pid > 0) forceGc();
        boolean afterGc = pid > 0;
        Scrape m = scrape();
        double heap = afterGc ? m.sum("jvm_memory_used_bytes", "area=\"heap\"") : m.get("jvm_gc_live_data_size_bytes");
        double direct = m.sum("jvm_buffer_memory_used_bytes", "id=\"direct\"");
        double netty = m.get("alcor_southbound_netty_direct_bytes");
        return new Memory(heap > 0 ? (long) heap : -1, (long) direct, Math.max(0, (long) netty), afterGc);
    }

    private void forceGc() throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String command = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        try {
            Process p = new ProcessBuilder(command, String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                giveUpGc("jcmd " + pid + " GC.run did not finish in 2 minutes");
            } else if (p.exitValue() != 0 || !said.contains("Command executed successfully")) {
                giveUpGc("jcmd " + pid + " GC.run failed (exit " + p.exitValue() + "): " + BenchFailure.clip(said));
            }
        } catch (IOException e) {
            giveUpGc("cannot run jcmd: " + BenchFailure.describe(e));
        }
    }

    private void giveUpGc(String why) {
        out.println("warning: " + why + "; heap figures are the live data after the controller's last GC instead");
        pid = 0;
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchFailure("GET " + root + path + ": " + BenchFailure.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }
}
