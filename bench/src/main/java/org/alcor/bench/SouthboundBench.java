package org.alcor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.alcor.bench.southbound.Fleet;
import org.alcor.bench.southbound.HostSpec;
import org.alcor.bench.southbound.ShareEvents.FanOut;
import org.alcor.bench.southbound.SimulatedAgent.Reading;

/**
 * {@code alcor bench southbound}: H simulated agents on real gRPC streams (in this JVM or spread over child JVMs,
 * see {@link Fleet}), one VPC with P ports per host. Measures provisioning latency (POST sent → the bound host holds
 * the port, which it acks at once), convergence after a bulk fill, the fan-out of one port change to every host,
 * messages and bytes per host against the minimal encoding, and the controller's heap, direct memory and CPU per
 * host and per port. Slow and stuck hosts get ports too but are left out of every figure but their message counts.
 */
final class SouthboundBench {
    private static final long WAIT_NANOS = TimeUnit.MINUTES.toNanos(30);
    private static final long FAN_OUT_WAIT_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Between reads of /metrics while waiting on the controller: its cost stays small beside the run. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final SouthboundOptions o;
    private final PrintStream out;
    private final HttpClient http = NeutronHttp.newClient();
    private final NeutronHttp api;
    private final ControllerMetrics metrics;
    private final SouthboundSummary summary = new SouthboundSummary();
    private Fleet fleet;
    private Set<String> normalHostIds;

    SouthboundBench(SouthboundOptions options, PrintStream out) {
        this.o = options;
        this.out = out;
        this.api = new NeutronHttp(http, options.url(), null);
        this.metrics = new ControllerMetrics(http, options.url(), options.controllerPid(), out);
    }

    int run() throws InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        checkApi();
        checkSouthbound();
        out.printf("southbound bench: %d hosts (%d normal, %d slow, %d stuck) x %d ports in one VPC; agents in %d process%s, %d shared channels each; run %s%n",
                o.hosts(), o.normalHosts(), o.slowAgents(), o.stuckAgents(), o.portsPerHost(), o.processes(), o.processes() == 1 ? "" : "es",
                o.channels(), run);
        if (o.slowAgents() + o.stuckAgents() > 0) {
            out.println("slow hosts read one message a second, stuck hosts none; they get ports too but are left out of the latency, convergence and fan-out figures");
        }
        summary.put("hosts", o.hosts()).put("slow", o.slowAgents()).put("stuck", o.stuckAgents()).put("ports_per_host", o.portsPerHost())
                .put("processes", o.processes()).put("channels", o.channels()).put("bulk", o.bulk());
        ControllerMetrics.Memory before = metrics.memory();
        List<HostSpec> hosts = registerHosts(run);
        normalHostIds = new HashSet<>();
        for (HostSpec h : hosts) if (h.normal()) normalHostIds.add(h.id());
        long t0 = System.nanoTime();
        try (Fleet f = Fleet.start(o.southbound(), o.channels(), o.processes(), hosts, o.mq())) {
            fleet = f;
            fleet.connect();
            await("every normal agent has its first goal state", fleet::connected, WAIT_NANOS, null);
            out.printf("connected %d agents in %.1f s%n", hosts.size(), (System.nanoTime() - t0) / 1e9);
            awaitPaths();
            var broker = metrics.scrape();
            ControllerMetrics.Memory connected = metrics.memory();

            int total = o.hosts() * o.portsPerHost();
            String networkId = createVpc(run, total + o.latencySamples() + 16);
            double cpuBefore = metrics.cpuSeconds();
            long fillReturned = fill(networkId, hosts, total);
            converge(fillReturned);
            double cpu = metrics.cpuSeconds() - cpuBefore;
            ControllerMetrics.Memory filled = metrics.memory();

            latency(networkId, hosts);
            fanOut(networkId, hosts.getFirst().id());
            new HostFigures(out, summary).print(fleet.totals());
            memory(before, connected, filled, total);
            out.printf("controller CPU over the fill (first POST until caught up): %.1f s, %.2f ms per port%n", cpu, cpu * 1e3 / total);
            summary.put("cpu_ms_per_port", cpu * 1e3 / total);
            brokerFigures(broker);
        }
        out.println(summary.line());
        return 0;
    }

    /**
     * With --path mq or auto, waits until the controller has moved hosts as its path mode says (mq: every one on
     * Kafka; auto: no move for 3 s), so that the fill is measured on the path under test; prints hosts per path.
     */
    private void awaitPaths() throws InterruptedException {
        if (o.mq() == null) return;
        long t0 = System.nanoTime();
        if (o.path().equals("mq")) {
            // Slow and stuck hosts may never be quiet enough to move: the normal ones are waited for.
            await("every normal host is moved to the MQ path", () -> metrics.scrape().get("alcor_southbound_mq_hosts") >= o.normalHosts(), WAIT_NANOS,
                    () -> String.format("%.0f of %d normal hosts on Kafka", metrics.scrape().get("alcor_southbound_mq_hosts"), o.normalHosts()));
        } else {
            double[] last = {-1};
            long[] since = {System.nanoTime()};
            await("the controller's path moves settle", () -> {
                double moves = metrics.scrape().get("alcor_southbound_path_moves_total");
                if (moves != last[0]) {
                    last[0] = moves;
                    since[0] = System.nanoTime();
                }
                return System.nanoTime() - since[0] > TimeUnit.SECONDS.toNanos(3);
            }, WAIT_NANOS, null);
        }
        double onMq = metrics.scrape().get("alcor_southbound_mq_hosts");
        out.printf("paths: %.0f hosts on Kafka, %.0f on gRPC, after %.1f s (layout %s, %d topics x %d partitions)%n", onMq,
                o.hosts() - onMq, (System.nanoTime() - t0) / 1e9, o.mq().clusters(), o.mq().topics(), o.mq().partitions());
        summary.put("path", o.path()).put("hosts_on_mq", (long) onMq);
    }

    /** What the fill, latency and fan-out phases wrote to and read from the broker. */
    private void brokerFigures(ControllerMetrics.Scrape before) {
        if (o.mq() == null) return;
        var now = metrics.scrape();
        double records = now.get("alcor_southbound_mq_records_sent_total") - before.get("alcor_southbound_mq_records_sent_total");
        double bytes = now.get("alcor_southbound_mq_bytes_sent_total") - before.get("alcor_southbound_mq_bytes_sent_total");
        double received = now.get("alcor_southbound_mq_records_received_total") - before.get("alcor_southbound_mq_records_received_total");
        out.printf("broker: %.0f goal-state records (%.1f MB) written by the controller, %.0f agent records (Hellos, acks) read back%n",
                records, bytes / 1e6, received);
        summary.put("mq_records", (long) records).put("mq_bytes", (long) bytes).put("mq_agent_records", (long) received);
    }

    /** Fails with a clear message when nothing (or not a controller) answers at --url. */
    private void checkApi() throws InterruptedException {
        NeutronHttp.Response r;
        try {
            r = api.get("/v2.0/networks?limit=1");
        } catch (java.net.ConnectException e) {
            throw new BenchFailure("no controller answers at " + o.url() + " (" + BenchFailure.describe(e) + "): start one, or give its API with --url");
        } catch (IOException e) {
            throw new BenchFailure("cannot talk to a controller at " + o.url() + " (" + BenchFailure.describe(e) + "): --url must be the controller's HTTP API (its --port)");
        }
        if (r.status() != 200) {
            throw new BenchFailure("the server at " + o.url() + " is not a Neutron-compatible controller: GET /v2.0/networks answered HTTP "
                    + r.status() + " " + BenchFailure.clip(r.body()));
        }
    }

    /** Fails with a clear message when the goal-state address refuses connections (a stream would only say UNAVAILABLE). */
    private void checkSouthbound() {
        for (String address : o.southbound().split(",")) checkSouthbound(address);
    }

    private void checkSouthbound(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        boolean plaintext;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5_000);
            plaintext = speaksPlaintextHttp2(s);
        } catch (IOException e) {
            throw new BenchFailure("nothing accepts connections at the southbound address " + address + " (" + BenchFailure.describe(e)
                    + "): --southbound must be the controller's goal-state port (its --southbound-port)");
        }
        if (!plaintext) {
            throw new BenchFailure("the southbound at " + address + " wants TLS: the controller authenticates hosts by certificate "
                    + "(its default), and thousands of simulated hosts share a few connections; start it with --southbound-insecure for the bench");
        }
    }

    /** Sends HTTP/2's client preface: a plaintext gRPC server answers with a SETTINGS frame, a TLS one does not. */
    private static boolean speaksPlaintextHttp2(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] header = new byte[4];
        try {
            return s.getInputStream().readNBytes(header, 0, 4) == 4 && header[3] == 0x04;
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            return false;
        }
    }

    private List<HostSpec> registerHosts(String run) throws InterruptedException {
        List<HostSpec> hosts = new ArrayList<>();
        for (int i = 0; i < o.hosts(); i++) {
            Reading reading = i < o.normalHosts() ? Reading.NORMAL : i < o.normalHosts() + o.slowAgents() ? Reading.SLOW : Reading.STUCK;
            hosts.add(new HostSpec(i, "sim-" + run + "-" + i, underlay(i), reading));
        }
        for (int from = 0; from < hosts.size(); from += 1000) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (HostSpec h : hosts.subList(from, Math.min(hosts.size(), from + 1000))) batch.add(Map.of("id", h.id(), "host_ip", h.underlayIp()));
            expect(post("register hosts", "/v2.0/hosts", Map.of("hosts", batch)), 201, "register hosts");
        }
        return hosts;
    }

    /** A distinct underlay address per simulated host, from 198.18.0.0/15 (benchmark range, never routed anywhere). */
    static String underlay(int i) { return "198." + (18 + (i >> 16)) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff); }

    /** The VPC's one IPv4 subnet, the smallest that holds the addresses (at most a /8: 16M), and the bench's quota lifted. */
    private String createVpc(String run, long addresses) throws InterruptedException {
        var net = expect(post("create network", "/v2.0/networks", Map.of("network", Map.of("name", "sb-" + run))), 201, "create network");
        String id = net.get("network").get("id").asText();
        api.liftPortQuota(id);
        int prefix = Math.max(8, Math.min(24, 32 - (64 - Long.numberOfLeadingZeros(addresses + 16L))));
        expect(post("create subnet", "/v2.0/subnets", Map.of("subnet", Map.of("network_id", id, "ip_version", 4, "cidr", "10.0.0.0/" + prefix))),
                201, "create subnet");
        long last = (10L << 24) + (1L << (32 - prefix)) - 2;
        lastAddress = (last >> 24) + "." + ((last >> 16) & 0xff) + "." + ((last >> 8) & 0xff) + "." + (last & 0xff);
        return id;
    }

    /** The subnet's last host address: the fan-out port asks for it, so its neighbour entry is known before the POST. */
    private String lastAddress;

    /** Bulk POSTs, ports spread over all hosts (slow and stuck ones too); returns when the last POST returned. */
    private long fill(String networkId, List<HostSpec> hosts, int total) throws InterruptedException {
        long t0 = System.nanoTime(), nextProgress = t0 + PROGRESS_NANOS;
        for (int from = 0; from < total; from += o.bulk()) {
            List<Map<String, Object>> ports = new ArrayList<>();
            for (int i = from; i < Math.min(total, from + o.bulk()); i++) {
                ports.add(Map.of("network_id", networkId, "binding:host_id", hosts.get(i % hosts.size()).id()));
            }
            expect(post("bulk create ports", "/v2.0/ports", Map.of("ports", ports)), 201, "bulk create ports");
            fleet.check();
            if (System.nanoTime() > nextProgress) {
                out.printf("  fill: %d of %d ports created, %d on their normal hosts%n", from + ports.size(), total, fleet.heldPorts());
                nextProgress = System.nanoTime() + PROGRESS_NANOS;
            }
        }
        long returned = System.nanoTime();
        double s = (returned - t0) / 1e9;
        out.printf("fill: %d ports created in %.1f s (%.0f ports/s), bulk POSTs of %d%n", total, s, total / s, o.bulk());
        summary.put("fill_s", s).put("fill_ports_per_s", total / s);
        return returned;
    }

    /** From the last fill POST returning: until every normal host holds all its ports, and until the controller is idle. */
    private void converge(long fillReturned) throws InterruptedException {
        long target = (long) o.normalHosts() * o.portsPerHost();
        await("every normal host holds its " + o.portsPerHost() + " ports", () -> fleet.heldPorts() >= target, WAIT_NANOS,
                () -> fleet.heldPorts() + " of " + target + " ports on their normal hosts");
        double hostsS = (fleet.lastHeldNanos() - fillReturned) / 1e9;
        awaitCaughtUp(WAIT_NANOS);
        double caughtS = (System.nanoTime() - fillReturned) / 1e9;
        // A host may hold the last ports before their POST's response is back: the push runs beside the reply.
        String hostsAt = hostsS >= 0 ? String.format(java.util.Locale.ROOT, "after %.2f s", hostsS)
                : String.format(java.util.Locale.ROOT, "%.2f s before it returned", -hostsS);
        out.printf("convergence after the last fill POST returned: every normal host holds all its ports %s; the controller caught up after %.2f s%n",
                hostsAt, caughtS);
        out.println(caughtUpMeaning());
        summary.put("hosts_converged_s", hostsS).put("controller_caught_up_s", caughtS);
    }

    private String caughtUpMeaning() {
        String exempt = o.slowAgents() + o.stuckAgents() == 0 ? "" : ", at most " + (o.slowAgents() + o.stuckAgents())
                + " hosts (the slow and stuck ones) with changes waiting";
        return "  (caught up: no changed rows waiting, no port reports waiting, every normal host's goal states acknowledged" + exempt + ")";
    }

    /** Single POSTs, C at a time, to normal hosts: from sending the POST to its host holding the port. */
    private void latency(String networkId, List<HostSpec> hosts) throws InterruptedException {
        fleet.watchPorts();
        List<HostSpec> normal = hosts.stream().filter(HostSpec::normal).toList();
        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency());
        List<Future<Long>> samples = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int i = 0; i < o.latencySamples(); i++) {
            samples.add(pool.submit(() -> {
                String host = normal.get(next.getAndIncrement() % normal.size()).id();
                long sent = System.nanoTime();
                JsonNode port = expect(post("create port", "/v2.0/ports", Map.of("port", Map.of("network_id", networkId, "binding:host_id", host))),
                        201, "create port");
                return arrival(port.get("port").get("id").asText()) - sent;
            }));
        }
        long[] nanos = new long[samples.size()];
        try {
            for (int i = 0; i < nanos.length; i++) nanos[i] = samples.get(i).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new BenchFailure(String.valueOf(e.getCause()));
        } finally {
            pool.shutdownNow();
        }
        LatencyStats s = LatencyStats.ofNanos(nanos);
        out.printf("provisioning latency (POST sent -> goal state holding the port on its host, acked at once), %d samples, %d at a time: p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                s.count(), o.concurrency(), s.percentileMillis(50), s.percentileMillis(90), s.percentileMillis(99), s.maxMillis());
        summary.put("latency_samples", s.count()).put("c", o.concurrency()).put("p50_ms", s.percentileMillis(50))
                .put("p90_ms", s.percentileMillis(90)).put("p99_ms", s.percentileMillis(99)).put("max_ms", s.maxMillis());
    }

    /** When a watched port reached its host, waiting for it. */
    private long arrival(String portId) throws InterruptedException {
        await("port " + portId + " reaches its host", () -> fleet.arrival(portId) != null, WAIT_NANOS, null);
        return fleet.arrival(portId);
    }

    /**
     * One new port, then its deletion: how long until every other normal host has heard of each. A VPC past the
     * controller's neighbour push limit is ON_DEMAND: a new port is sent to no host but its own (the others ask when
     * they meet the address), which the bench tells from the hosts' VPC state once the controller has caught up;
     * deletions are still pushed to every host.
     */
    private void fanOut(String networkId, String boundHost) throws InterruptedException {
        int others = o.normalHosts() - 1;
        if (others == 0) {
            out.println("fan-out: only one normal host, no other to fan out to");
            return;
        }
        fleet.watchNeighbor(networkId, lastAddress, boundHost);
        long sent = System.nanoTime();
        JsonNode port = expect(post("create port", "/v2.0/ports", Map.of("port", Map.of("network_id", networkId, "binding:host_id", boundHost,
                "fixed_ips", List.of(Map.of("ip_address", lastAddress))))), 201, "create port");
        long created = System.nanoTime();
        long own = arrival(port.get("port").get("id").asText());
        boolean pushed = awaitFanOutOrOnDemand(others);
        if (pushed) {
            long last = fleet.fanOutLastNanos(FanOut.CREATE);
            out.printf("fan-out of a new port to the %d other normal hosts: %.0f ms after its POST returned (%.0f ms after it was sent; on its own host %.0f ms after it was sent)%n",
                    others, (last - created) / 1e6, (last - sent) / 1e6, (own - sent) / 1e6);
            summary.put("policy", "PROACTIVE").put("fanout_create_ms", (last - created) / 1e6).put("fanout_create_from_sent_ms", (last - sent) / 1e6);
        } else {
            out.printf("fan-out of a new port: the VPC is ON_DEMAND (more addresses than the controller's neighbour push limit), so no other host is sent it; "
                    + "it reached its own host %.0f ms after it was sent (%.0f ms after its POST returned)%n", (own - sent) / 1e6, (own - created) / 1e6);
            summary.put("policy", "ON_DEMAND").put("fanout_create_ms", "n/a").put("fanout_create_from_sent_ms", "n/a");
        }
        summary.put("own_host_from_sent_ms", (own - sent) / 1e6);
        long deleting = System.nanoTime();
        expect(call("delete port", () -> api.delete("/v2.0/ports/" + port.get("port").get("id").asText())), 204, "delete port");
        long deleted = System.nanoTime();
        await("every other normal host hears of the deletion", () -> fleet.fanOutHosts(FanOut.DELETE) >= others, FAN_OUT_WAIT_NANOS,
                () -> fleet.fanOutHosts(FanOut.DELETE) + " of " + others + " hosts heard of the deletion");
        long last = fleet.fanOutLastNanos(FanOut.DELETE);
        out.printf("fan-out of a port deletion to the %d other normal hosts: %.0f ms after its DELETE returned (%.0f ms after it was sent)%n",
                others, (last - deleted) / 1e6, (last - deleting) / 1e6);
        summary.put("fanout_delete_ms", (last - deleted) / 1e6).put("fanout_delete_from_sent_ms", (last - deleting) / 1e6);
    }

    /**
     * True once every other normal host was sent the new port; false once the controller has caught up with every
     * normal host holding its VPC as ON_DEMAND (then nothing more is coming). Caught up with the VPC PROACTIVE and
     * hosts still missing it is a controller bug, reported as such.
     */
    private boolean awaitFanOutOrOnDemand(int others) throws InterruptedException {
        long deadline = System.nanoTime() + FAN_OUT_WAIT_NANOS, nextPoll = 0, caughtUpSince = 0;
        while (true) {
            fleet.check();
            if (fleet.fanOutHosts(FanOut.CREATE) >= others) return true;
            long now = System.nanoTime();
            if (now >= nextPoll) {
                nextPoll = now + POLL_NANOS;
                if (metrics.caughtUp(normalHostIds, o.slowAgents() + o.stuckAgents())) {
                    if (fleet.onDemandHosts() == o.normalHosts()) return false;
                    if (caughtUpSince == 0) caughtUpSince = now;
                    // The shares report every 20 ms: a second caught up without the rest is no reporting delay.
                    if (now - caughtUpSince > TimeUnit.SECONDS.toNanos(1)) {
                        throw new BenchFailure("fan-out incomplete: the controller has caught up but only " + fleet.fanOutHosts(FanOut.CREATE) + " of "
                                + others + " other normal hosts were sent the new port, and " + (o.normalHosts() - fleet.onDemandHosts())
                                + " hosts hold the VPC as PROACTIVE");
                    }
                } else {
                    caughtUpSince = 0;
                }
            }
            if (now > deadline) throw new BenchFailure("timed out after " + FAN_OUT_WAIT_NANOS / 60_000_000_000L + " min: fan-out of the new port ("
                    + fleet.fanOutHosts(FanOut.CREATE) + " of " + others + " hosts)");
            Thread.sleep(1);
        }
    }

    private void memory(ControllerMetrics.Memory before, ControllerMetrics.Memory connected, ControllerMetrics.Memory filled, int ports) {
        boolean gc = before.afterGc() && filled.afterGc();
        String how = gc ? "after a forced GC (jcmd GC.run)" : "live data after the controller's last GC; no GC forced (give --controller-pid to force one)";
        out.println("controller heap, " + how + ": " + memoryLine(before.heapBytes(), connected.heapBytes(), filled.heapBytes(), ports));
        String netty = filled.nettyDirectBytes() <= 0 ? "" : filled.nettyInsideJvm()
                ? String.format(java.util.Locale.ROOT, "; Netty's own count, %.1f MB at the end, lies within them, not added", filled.nettyDirectBytes() / 1e6)
                : String.format(java.util.Locale.ROOT, "; Netty's own count, %.1f MB at the end, exceeds them and is added", filled.nettyDirectBytes() / 1e6);
        out.println("controller direct memory (JVM direct buffers" + netty + "): "
                + memoryLine(before.directBytes(), connected.directBytes(), filled.directBytes(), ports));
        summary.put("heap_gc", gc ? "forced" : "none")
                .put("heap_per_host_bytes", perUnit(before.heapBytes(), connected.heapBytes(), o.hosts()))
                .put("heap_per_port_bytes", perUnit(connected.heapBytes(), filled.heapBytes(), ports))
                .put("direct_per_host_bytes", perUnit(before.directBytes(), connected.directBytes(), o.hosts()))
                .put("direct_per_port_bytes", perUnit(connected.directBytes(), filled.directBytes(), ports));
    }

    private String memoryLine(long before, long connected, long filled, int ports) {
        if (before < 0 || connected < 0 || filled < 0) {
            return "not measured (the controller does not export it, or has not collected its old generation yet)";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB before the run's hosts, %.1f MB with %d hosts connected, %.1f MB with %d ports: %s bytes per host, %s bytes per port",
                before / 1e6, connected / 1e6, o.hosts(), filled / 1e6, ports, perUnit(before, connected, o.hosts()), perUnit(connected, filled, ports));
    }

    private static Object perUnit(long from, long to, long units) {
        return from < 0 || to < 0 ? "n/a" : Math.round((to - from) / (double) units);
    }

    private void awaitCaughtUp(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos, nextProgress = System.nanoTime() + PROGRESS_NANOS;
        while (!metrics.caughtUp(normalHostIds, o.slowAgents() + o.stuckAgents())) {
            fleet.check();
            if (System.nanoTime() > deadline) throw new BenchFailure("timed out: the controller never caught up" + caughtUpMeaning());
            if (System.nanoTime() > nextProgress) {
                var m = metrics.scrape();
                out.printf("  waiting for the controller: backlog %.0f, unacknowledged goal states %.0f, port reports pending %.0f%n",
                        m.get("alcor_dataplane_backlog"), m.get("alcor_southbound_unacked_goal_states"), m.get("alcor_southbound_port_reports_pending"));
                nextProgress = System.nanoTime() + PROGRESS_NANOS;
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(POLL_NANOS));
        }
    }

    /** Waits on a condition with a deadline, failing at once when a share of the agents fails; prints progress every 10 s. */
    private void await(String what, BooleanSupplier condition, long timeoutNanos, Supplier<String> progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos, nextProgress = System.nanoTime() + PROGRESS_NANOS;
        while (!condition.getAsBoolean()) {
            fleet.check();
            long now = System.nanoTime();
            if (now > deadline) throw new BenchFailure("timed out after " + timeoutNanos / 60_000_000_000L + " min: " + what
                    + (progress != null ? " (" + progress.get() + ")" : ""));
            if (progress != null && now > nextProgress) {
                out.println("  " + progress.get());
                nextProgress = now + PROGRESS_NANOS;
            }
            Thread.sleep(1);
        }
    }

    private interface HttpCall {
        NeutronHttp.Response send() throws IOException, InterruptedException;
    }

    private NeutronHttp.Response post(String what, String path, Object body) throws InterruptedException {
        return call(what, () -> api.post(path, body));
    }

    /** An HTTP call whose I/O failure becomes a message naming the step and the server. */
    private NeutronHttp.Response call(String what, HttpCall c) throws InterruptedException {
        try {
            return c.send();
        } catch (IOException e) {
            String cause = BenchFailure.describe(e);
            if (e instanceof java.net.ConnectException) throw new BenchFailure(what + ": the controller at " + o.url() + " stopped answering (" + cause + ")");
            throw new BenchFailure(what + ": " + cause + " (" + o.url() + ")");
        }
    }

    private static JsonNode expect(NeutronHttp.Response r, int status, String what) {
        if (r.status() != status) throw new BenchFailure(what + ": HTTP " + r.status() + " " + BenchFailure.clip(r.body()));
        try {
            return r.body().isEmpty() ? null : r.json();
        } catch (IOException e) {
            throw new BenchFailure(what + ": HTTP " + r.status() + " with a body that is not JSON: " + BenchFailure.clip(r.body()));
        }
    }
}
