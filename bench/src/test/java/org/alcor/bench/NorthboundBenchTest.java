package org.alcor.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class NorthboundBenchTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private BenchResult bench(List<URI> urls, String project, int n, int c, int bulk, boolean cleanup)
            throws InterruptedException {
        NorthboundOptions o = new NorthboundOptions(urls, project, n, c, bulk, cleanup);
        // A short progress interval exercises the progress printer even on tiny phases.
        return new NorthboundBench(o, out, Duration.ofMillis(20), new Random(7)).run();
    }

    @Test
    void comparesTwoEndpointsAndCleansUp() throws Exception {
        try (FakeNeutron alcor = new FakeNeutron(name -> false);
             FakeNeutron neutron = new FakeNeutron(name -> name.equals("bench-3"))) {
            BenchResult r = bench(List.of(alcor.url(), neutron.url()), "p1", 40, 4, 8, true);

            assertEquals(0, r.exitCode(), printed.toString(StandardCharsets.UTF_8));
            UrlResult a = r.url(0);
            assertTrue(a.ok());
            assertEquals(4, a.warmup().ports(), "warm-up is min(200, n/10)");
            PhaseResult single = a.phase("single").orElseThrow();
            assertEquals(40, single.requests());
            assertEquals(40, single.ports());
            assertEquals(0, single.errorCount());
            assertEquals(40, single.latency().count());
            assertTrue(single.portsPerSecond() > 0);
            PhaseResult bulk = a.phase("bulk").orElseThrow();
            assertEquals(5, bulk.requests());
            assertEquals(4, bulk.concurrency(), "min(C, N/B)");
            assertEquals(40, bulk.ports());
            assertEquals(0, bulk.errorCount());
            assertEquals(5, alcor.bulkPosts.get());
            assertEquals(4 + 40, alcor.singlePosts.get());
            PhaseResult cleanup = a.phase("cleanup").orElseThrow();
            assertEquals(84, cleanup.ports());
            assertEquals(0, cleanup.errorCount());
            assertTrue(alcor.ports.isEmpty() && alcor.subnets.isEmpty() && alcor.networks.isEmpty());
            assertEquals(Set.of("p1"), alcor.projectHeaders);
            assertEquals(Set.of("bench"), alcor.tokenHeaders);

            UrlResult b = r.url(1);
            PhaseResult rejected = b.phase("single").orElseThrow();
            assertEquals(39, rejected.ports());
            assertEquals(Map.of("409", 1), rejected.errors());
            assertTrue(rejected.firstErrorBody().contains("IpAddressGenerationFailure"), rejected.firstErrorBody());
            assertEquals(39, rejected.latency().count(), "failed requests are not in the latency sample");
            assertEquals(4 + 39 + 40, b.phase("cleanup").orElseThrow().ports());
            assertTrue(neutron.ports.isEmpty());

            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("not measured"), text);
            assertTrue(text.contains(alcor.url() + " / " + neutron.url() + ": single "), text);
        }
    }

    @Test
    void prefillStoresNetworksOfAThousandPortsAndTimesTheLists() throws Exception {
        try (FakeNeutron fake = new FakeNeutron(name -> false)) {
            var o = new NorthboundOptions(List.of(fake.url()), null, 10, 2, 0, false, 2_500, 3);
            BenchResult r = new NorthboundBench(o, out, Duration.ofMillis(20), new Random(7)).run();

            assertEquals(0, r.exitCode(), printed.toString(StandardCharsets.UTF_8));
            UrlResult u = r.url(0);
            PhaseResult prefill = u.phase("prefill").orElseThrow();
            assertEquals(3, prefill.requests(), "one bulk POST per network of up to 1,000 ports");
            assertEquals(2_500, prefill.ports());
            assertEquals(1 + 3, fake.networks.size(), "the bench's network and three prefill networks");
            assertEquals(2_500 + 1 + 10, fake.ports.size());
            Map<String, ListTimings.Timing> lists = new java.util.HashMap<>();
            u.lists().forEach(t -> lists.put(t.label(), t));
            assertEquals(1_000, lists.get("limit=1000").items());
            assertEquals(3, lists.get("limit=1000").latency().count());
            assertEquals(1_000, lists.get("network_id").items(), "the first prefill network is full");
            assertEquals(1, lists.get("device_id").items(), "each prefill port has its own device");
            assertEquals(2_500, lists.get("all ports").items(), "the lists run before the warm-up");
            assertEquals(1, lists.get("all ports").latency().count(), "the full list runs once");
            assertTrue(Double.isNaN(prefill.serverCpuSeconds()), "the fake exports no /metrics");
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("list network_id"));
        }
    }

    @Test
    void unevenBulkAndNoCleanupLeavesPortsInPlace() throws Exception {
        try (FakeNeutron fake = new FakeNeutron(name -> false)) {
            BenchResult r = bench(List.of(fake.url()), null, 10, 3, 4, false);

            assertEquals(0, r.exitCode());
            UrlResult u = r.url(0);
            assertEquals(1, u.warmup().ports());
            assertEquals(10, u.phase("single").orElseThrow().ports());
            PhaseResult bulk = u.phase("bulk").orElseThrow();
            assertEquals(3, bulk.requests(), "4 + 4 + 2 ports");
            assertEquals(10, bulk.ports());
            assertFalse(u.phase("cleanup").isPresent());
            assertEquals(21, fake.ports.size());
            assertEquals(1, fake.networks.size());
            assertSlash16(fake.subnets.values().iterator().next().path("cidr").asText());
            assertEquals(Set.of("(none)"), fake.projectHeaders);
        }
    }

    @Test
    void unreachableUrlIsReportedAndMakesTheExitCodeNonZero() throws Exception {
        URI closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (FakeNeutron fake = new FakeNeutron(name -> false)) {
            BenchResult r = bench(List.of(fake.url(), closed), null, 5, 2, 0, true);

            assertEquals(1, r.exitCode());
            assertTrue(r.url(0).ok());
            assertEquals(5, r.url(0).phase("single").orElseThrow().ports());
            assertFalse(r.url(0).phase("bulk").isPresent());
            UrlResult down = r.url(1);
            assertFalse(down.ok());
            assertNotNull(down.failure());
            assertTrue(down.failure().startsWith("unreachable"), down.failure());
            assertTrue(down.phases().isEmpty());
        }
    }

    private static void assertSlash16(String cidr) {
        assertTrue(cidr.matches("10\\.\\d{1,3}\\.0\\.0/16"), cidr);
        int x = Integer.parseInt(cidr.split("\\.")[1]);
        assertTrue(x >= 0 && x <= 255, cidr);
    }
}
