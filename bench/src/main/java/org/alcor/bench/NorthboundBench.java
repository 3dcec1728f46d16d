package org.alcor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Measures port creation on each URL in turn with identical parameters, so Alcor and a real Neutron can be
 * compared in one run. URLs run one after another, never together, so they do not compete for this machine.
 */
final class NorthboundBench {
    /** Usable addresses in a /16 minus the gateway; more ports than this fail with IP exhaustion. */
    private static final int SUBNET_CAPACITY = 65_533;

    private final NorthboundOptions options;
    private final PrintStream out;
    private final PhaseRunner runner;
    private final Random random;

    NorthboundBench(NorthboundOptions options, PrintStream out) {
        this(options, out, Duration.ofSeconds(5), new Random());
    }

    NorthboundBench(NorthboundOptions options, PrintStream out, Duration progressEvery, Random random) {
        this.options = options;
        this.out = out;
        this.runner = new PhaseRunner(out, progressEvery);
        this.random = random;
    }

    BenchResult run() throws InterruptedException {
        // Random per run so repeated runs without --cleanup do not collide on names or address ranges.
        String tag = HexFormat.of().toHexDigits(random.nextInt());
        String cidr = "10." + random.nextInt(256) + ".0.0/16";
        Report.start(out, options, cidr);
        int planned = options.warmupPorts() + options.n() * (options.bulkEnabled() ? 2 : 1);
        if (planned > SUBNET_CAPACITY) {
            out.printf("warning: %d ports planned per URL but a /16 holds %d; the rest will fail%n",
                    planned, SUBNET_CAPACITY);
        }
        List<UrlResult> results = new ArrayList<>();
        try (HttpClient client = NeutronHttp.newClient()) {
            for (URI url : options.urls()) {
                results.add(runUrl(new NeutronHttp(client, url, options.project()), url, tag, cidr));
            }
        }
        BenchResult result = new BenchResult(results);
        Report.comparison(out, result);
        return result;
    }

    private UrlResult runUrl(NeutronHttp http, URI url, String tag, String cidr) throws InterruptedException {
        Report.urlHeader(out, url);
        String networkId;
        try {
            networkId = create(http, "network", Map.of("name", "bench-" + tag));
        } catch (SetupException e) {
            return fail(url, e.getMessage());
        }
        String subnetId;
        try {
            subnetId = create(http, "subnet", Map.of("network_id", networkId, "ip_version", 4, "cidr", cidr,
                    "name", "bench-" + tag));
        } catch (SetupException e) {
            if (options.cleanup()) {
                deleteQuietly(http, "/v2.0/networks/" + networkId);
            }
            return fail(url, e.getMessage());
        }
        out.printf("network %s, subnet %s (%s)%n", networkId, subnetId, cidr);
        http.liftPortQuota(networkId);

        PortCalls calls = new PortCalls(http, networkId);
        int n = options.n();
        int c = options.concurrency();
        List<PhaseResult> phases = new ArrayList<>();
        List<ListTimings.Timing> lists = List.of();
        if (options.prefill() > 0) {
            double cpu = http.serverCpuSeconds();
            Prefill.Stored stored = Prefill.run(http, runner, options.prefill(), c, tag);
            phases.add(report(stored.phase().withServerCpu(http.serverCpuSeconds() - cpu)));
            out.printf("lists with %d prefill ports stored (and what the server held before):%n", stored.phase().ports());
            lists = ListTimings.run(http, out, options.listRepeats(), stored);
        }
        PhaseResult warmup = runner.run("warm-up", options.warmupPorts(), c,
                i -> calls.createOne("bench-warmup-" + i));
        Report.warmup(out, warmup);

        phases.add(measured(http, () -> runner.run("single", n, c, i -> calls.createOne("bench-" + i))));
        if (options.bulkEnabled()) {
            int b = options.bulk();
            int requests = (n + b - 1) / b;
            phases.add(measured(http, () -> runner.run("bulk", requests, c, r -> calls.createBulk(
                    IntStream.range(r * b, Math.min(n, r * b + b)).mapToObj(i -> "bench-bulk-" + i).toList()))));
        }
        if (options.cleanup()) {
            List<String> ids = calls.createdIds();
            phases.add(measured(http, () -> runner.run("cleanup", ids.size(), c, i -> calls.delete(ids.get(i)))));
            deleteQuietly(http, "/v2.0/subnets/" + subnetId);
            deleteQuietly(http, "/v2.0/networks/" + networkId);
        } else {
            out.printf("left in place: network %s with %d ports (use --cleanup to delete)%n",
                    networkId, calls.createdIds().size());
        }
        return new UrlResult(url, null, warmup, phases, lists);
    }

    private interface Phase {
        PhaseResult run() throws InterruptedException;
    }

    /** Runs a phase with the server's CPU read before and after it. */
    private PhaseResult measured(NeutronHttp http, Phase phase) throws InterruptedException {
        double before = http.serverCpuSeconds();
        PhaseResult r = phase.run();
        return report(r.withServerCpu(http.serverCpuSeconds() - before));
    }

    private PhaseResult report(PhaseResult r) {
        Report.phase(out, r);
        return r;
    }

    private UrlResult fail(URI url, String why) {
        out.println("FAILED: " + why);
        return UrlResult.failed(url, why);
    }

    /** POSTs one resource and returns its id; anything else means this URL cannot be measured at all. */
    private static String create(NeutronHttp http, String kind, Map<String, Object> body)
            throws SetupException, InterruptedException {
        NeutronHttp.Response r;
        try {
            r = http.post("/v2.0/" + kind + "s", Map.of(kind, body));
        } catch (IOException e) {
            throw new SetupException("unreachable: POST /v2.0/" + kind + "s: " + e);
        }
        String id = null;
        if (r.status() == 201) {
            try {
                id = r.json().path(kind).path("id").asText(null);
            } catch (IOException e) {
                // falls through to the error below, which shows the body that did not parse
            }
        }
        if (id == null) {
            throw new SetupException("POST /v2.0/" + kind + "s returned " + r.status() + ": " + r.body());
        }
        return id;
    }

    private void deleteQuietly(NeutronHttp http, String path) throws InterruptedException {
        try {
            int status = http.delete(path).status();
            out.printf("DELETE %s -> %d%n", path, status);
        } catch (IOException e) {
            out.printf("DELETE %s failed: %s%n", path, e);
        }
    }

    private static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }
}
