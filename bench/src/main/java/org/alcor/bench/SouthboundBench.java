package org.alcor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborState;
import org.alcor.proto.Operation;

/**
 * {@code alcor bench southbound}: H simulated agents in this JVM on real gRPC streams, one VPC with P ports per
 * host. Measures provisioning latency (POST sent → the bound host has the port in a goal state, which it acks at
 * once), the fan-out of one port change to every host, messages and bytes per host, and controller heap per port.
 */
final class SouthboundBench {
    private static final long WAIT_NANOS = TimeUnit.MINUTES.toNanos(30);

    private final SouthboundOptions o;
    private final PrintStream out;
    private final NeutronHttp api;
    private final HttpClient http = NeutronHttp.newClient();
    private final Map<String, Long> portArrivals = new ConcurrentHashMap<>();
    private final AtomicLong portsReceived = new AtomicLong();
    private volatile String watchedNeighbor;
    /** The subnet's last host address: the fan-out port asks for it, so its neighbor key is known before the POST. */
    private String lastAddress;
    private final AtomicInteger watchedCreates = new AtomicInteger(), watchedDeletes = new AtomicInteger();

    SouthboundBench(SouthboundOptions options, PrintStream out) {
        this.o = options;
        this.out = out;
        this.api = new NeutronHttp(http, options.url(), null);
    }

    int run() throws IOException, InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        out.printf("southbound bench: %d hosts x %d ports in one VPC, %d channels, run %s%n", o.hosts(), o.portsPerHost(), o.channels(), run);
        List<String> hostIds = registerHosts(run);
        List<ManagedChannel> channels = new ArrayList<>();
        List<SimulatedAgent> agents = new ArrayList<>();
        String[] hp = o.southbound().split(":");
        for (int i = 0; i < o.channels(); i++) {
            channels.add(NettyChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1])).usePlaintext().directExecutor()
                    .maxInboundMessageSize(64 << 20).build());
        }
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < hostIds.size(); i++) {
                agents.add(new SimulatedAgent(channels.get(i % channels.size()), hostIds.get(i), underlay(i), this::applied).connect());
            }
            await("every agent has its first snapshot", () -> agents.stream().allMatch(a -> a.appliedVersion() > 0));
            out.printf("connected %d agents in %.1f s%n", agents.size(), (System.nanoTime() - t0) / 1e9);

            long heapBefore = controllerHeap();
            int total = o.hosts() * o.portsPerHost();
            String networkId = createVpc(run, total + o.latencySamples() + 16);
            fill(networkId, hostIds, total);
            quiesce();
            latency(networkId, hostIds);
            fanOut(networkId, hostIds.getFirst(), agents);
            long heapAfter = controllerHeap();

            long messages = agents.stream().mapToLong(SimulatedAgent::messages).sum();
            long bytes = agents.stream().mapToLong(SimulatedAgent::bytes).sum();
            out.printf("per host: %.1f goal-state messages, %.0f bytes (%d messages, %.1f MB in all)%n",
                    messages / (double) agents.size(), bytes / (double) agents.size(), messages, bytes / 1e6);
            if (heapBefore > 0 && heapAfter > 0) {
                out.printf("controller heap: %.0f MB before the ports, %.0f MB after: ~%.0f bytes per port (no GC forced: rough)%n",
                        heapBefore / 1e6, heapAfter / 1e6, (heapAfter - heapBefore) / (double) Math.max(1, total));
            }
            return 0;
        } finally {
            for (SimulatedAgent a : agents) a.close();
            for (ManagedChannel c : channels) c.shutdownNow();
        }
    }

    private void applied(SimulatedAgent agent, GoalState gs, long receivedNanos) {
        if (!gs.getPortsMap().isEmpty()) {
            // A port has arrived when its own host holds it as a local port (INFO ports are other hosts' group members).
            gs.getPortsMap().forEach((id, p) -> {
                boolean local = (p.getOp() == Operation.CREATE || p.getOp() == Operation.UPDATE) && p.getHostId().equals(agent.hostId());
                if (local && portArrivals.putIfAbsent(id, receivedNanos) == null) portsReceived.incrementAndGet();
            });
        }
        String watched = watchedNeighbor;
        if (watched != null) {
            for (var table : gs.getNeighborTablesList()) {
                if (!watched.startsWith(table.getVpcId() + "/")) continue;
                String ip = watched.substring(table.getVpcId().length() + 1);
                if (org.alcor.bench.southbound.AppliedState.entries(table).stream().anyMatch(n -> n.getIp().equals(ip))) watchedCreates.incrementAndGet();
                for (int i = 0; i < table.getDeletedIpv4Count(); i++) {
                    int v = table.getDeletedIpv4(i);
                    String d = ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
                    if (d.equals(ip)) watchedDeletes.incrementAndGet();
                }
            }
        }
    }

    private List<String> registerHosts(String run) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < o.hosts(); i++) ids.add("sim-" + run + "-" + i);
        for (int from = 0; from < ids.size(); from += 1000) {
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (int i = from; i < Math.min(ids.size(), from + 1000); i++) hosts.add(Map.of("id", ids.get(i), "host_ip", underlay(i)));
            expect(api.post("/v2.0/hosts", Map.of("hosts", hosts)), 201, "register hosts");
        }
        return ids;
    }

    /** A distinct underlay address per simulated host (documentation/benchmark ranges, never routed anywhere). */
    private static String underlay(int i) { return "198.18." + ((i >> 8) & 0xff) + "." + (i & 0xff); }

    private String createVpc(String run, int addresses) throws IOException, InterruptedException {
        var net = expect(api.post("/v2.0/networks", Map.of("network", Map.of("name", "sb-" + run))), 201, "create network");
        String id = net.get("network").get("id").asText();
        api.liftPortQuota(id);
        int prefix = Math.min(24, 32 - (64 - Long.numberOfLeadingZeros(addresses + 16L)));
        expect(api.post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", id, "ip_version", 4, "cidr", "10.0.0.0/" + prefix))),
                201, "create subnet");
        long last = (10L << 24) + (1L << (32 - prefix)) - 2;
        lastAddress = (last >> 24) + "." + ((last >> 16) & 0xff) + "." + ((last >> 8) & 0xff) + "." + (last & 0xff);
        return id;
    }

    /** Fills the VPC with bulk POSTs, ports spread over the hosts, and waits until every host has its ports. */
    private void fill(String networkId, List<String> hosts, int total) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        for (int from = 0; from < total; from += o.bulk()) {
            List<Map<String, Object>> ports = new ArrayList<>();
            for (int i = from; i < Math.min(total, from + o.bulk()); i++) {
                ports.add(Map.of("network_id", networkId, "binding:host_id", hosts.get(i % hosts.size())));
            }
            expect(api.post("/v2.0/ports", Map.of("ports", ports)), 201, "bulk create ports");
        }
        double created = (System.nanoTime() - t0) / 1e9;
        await("every host has its ports", () -> portsReceived.get() >= total);
        out.printf("fill: %d ports created in %.1f s (%.0f ports/s); on their hosts after %.1f s%n", total, created, total / created,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Single POSTs, C at a time: time from sending the POST to the bound host receiving the port. */
    private void latency(String networkId, List<String> hosts) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency());
        List<Future<Long>> samples = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int i = 0; i < o.latencySamples(); i++) {
            samples.add(pool.submit(() -> {
                String host = hosts.get(next.getAndIncrement() % hosts.size());
                long sent = System.nanoTime();
                JsonNode port = expect(api.post("/v2.0/ports", Map.of("port", Map.of("network_id", networkId, "binding:host_id", host))), 201, "create port");
                String id = port.get("port").get("id").asText();
                await("port " + id + " reaches its host", () -> portArrivals.containsKey(id));
                return portArrivals.get(id) - sent;
            }));
        }
        long[] nanos = new long[samples.size()];
        try {
            for (int i = 0; i < nanos.length; i++) nanos[i] = samples.get(i).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        LatencyStats s = LatencyStats.ofNanos(nanos);
        out.printf("provisioning latency (POST sent -> goal state on the host, acked at once), %d samples, %d at a time: p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                s.count(), o.concurrency(), s.percentileMillis(50), s.percentileMillis(90), s.percentileMillis(99), s.maxMillis());
    }

    /** One new port, then its deletion: how long until every host of the VPC has heard of each. */
    private void fanOut(String networkId, String host, List<SimulatedAgent> agents) throws IOException, InterruptedException {
        watchedNeighbor = networkId + "/" + lastAddress;
        long sent = System.nanoTime();
        JsonNode port = expect(api.post("/v2.0/ports", Map.of("port", Map.of("network_id", networkId, "binding:host_id", host,
                "fixed_ips", List.of(Map.of("ip_address", lastAddress))))), 201, "create port");
        long created = System.nanoTime();
        boolean pushed = awaitOrNot(() -> watchedCreates.get() >= agents.size(), TimeUnit.SECONDS.toNanos(10));
        if (pushed) {
            out.printf("fan-out of a new port to %d hosts: %.0f ms after its POST returned (%.0f ms after it was sent)%n",
                    agents.size(), (System.nanoTime() - created) / 1e6, (System.nanoTime() - sent) / 1e6);
        } else {
            out.printf("fan-out of a new port: not pushed (%d of %d hosts got it): the VPC is past the neighbor push limit, hosts ask on demand%n",
                    watchedCreates.get(), agents.size());
        }
        long deleting = System.nanoTime();
        expect(api.delete("/v2.0/ports/" + port.get("port").get("id").asText()), 204, "delete port");
        long deleted = System.nanoTime();
        await("every host hears of the deletion", () -> watchedDeletes.get() >= agents.size());
        out.printf("fan-out of a port deletion to %d hosts: %.0f ms after its DELETE returned (%.0f ms after it was sent)%n",
                agents.size(), (System.nanoTime() - deleted) / 1e6, (System.nanoTime() - deleting) / 1e6);
    }

    /**
     * Waits until the controller has caught up with the fill (no dataplane backlog, no port reports waiting, no
     * unacknowledged goal state), so latency samples measure the fast path, not the tail of the bulk load.
     */
    private void quiesce() throws InterruptedException {
        long t0 = System.nanoTime();
        String[] gauges = {"alcor_dataplane_backlog", "alcor_southbound_port_reports_pending", "alcor_southbound_unacked_goal_states"};
        boolean idle = awaitOrNot(() -> {
            for (String g : gauges) if (metric(g, "") != 0) return false;
            return true;
        }, TimeUnit.MINUTES.toNanos(10));
        out.printf("controller %s after %.1f s%n", idle ? "caught up" : "still busy", (System.nanoTime() - t0) / 1e9);
    }

    /** Sum of the controller's heap pools from its Prometheus endpoint, or -1 when it has none. */
    private long controllerHeap() { return (long) metric("jvm_memory_used_bytes", "area=\"heap\""); }

    /** A metric from the controller's Prometheus endpoint, summed over the series whose labels contain the filter; -1 if absent. */
    private double metric(String name, String labelFilter) {
        try {
            String root = NeutronHttp.apiRoot(o.url().toString());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return -1;
            double sum = -1;
            for (String line : r.body().split("\n")) {
                if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labelFilter)) {
                    sum = Math.max(sum, 0) + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static JsonNode expect(NeutronHttp.Response r, int status, String what) throws IOException {
        if (r.status() != status) throw new IllegalStateException(what + ": HTTP " + r.status() + " " + r.body());
        return r.body().isEmpty() ? null : r.json();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (!awaitOrNot(condition, WAIT_NANOS)) throw new IllegalStateException("timed out: " + what);
    }

    private static boolean awaitOrNot(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(1);
        }
        return true;
    }
}
