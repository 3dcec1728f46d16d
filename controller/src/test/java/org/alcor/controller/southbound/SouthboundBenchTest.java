package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.alcor.bench.Main;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code alcor bench southbound} against a real controller: it runs to the end and prints every figure. */
class SouthboundBenchTest {
    /** Runs the bench with 20 hosts of 5 ports against the controller; returns what it printed, after asserting exit 0. */
    private static String bench(TestController controller, String... extra) {
        List<String> args = new ArrayList<>(List.of("southbound", "--url", controller.baseUrl(), "--southbound",
                "127.0.0.1:" + controller.app().southboundPort(), "--hosts", "20", "--ports-per-host", "5",
                "--latency-samples", "10", "--channels", "2"));
        args.addAll(List.of(extra));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, report + err.toString(StandardCharsets.UTF_8));
        return report;
    }

    private static void assertEveryFigure(String report) {
        assertTrue(report.contains("convergence after the last fill POST returned: every normal host holds all its ports"), report);
        assertTrue(report.contains("the controller caught up after"), report);
        assertTrue(report.contains("provisioning latency"), report);
        assertTrue(report.contains("per normal host"), report);
        assertTrue(report.contains("bytes against the minimal encoding"), report);
        assertTrue(report.contains("controller heap"), report);
        assertTrue(report.contains("controller direct memory"), report);
        assertTrue(report.contains("ms per port"), report);
        String summary = report.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(summary.startsWith("summary hosts=20 "), summary);
        assertTrue(summary.contains(" p50_ms=") && summary.contains(" fanout_delete_ms=") && summary.contains(" cpu_ms_per_port="), summary);
    }

    @Test
    @Timeout(120)
    void theSouthboundBenchReportsLatencyFanOutAndBytesPerHost() {
        try (var controller = TestController.start()) {
            String report = bench(controller);
            assertEveryFigure(report);
            assertTrue(report.contains("fan-out of a new port to the 19 other normal hosts"), report);
            assertTrue(report.contains("fan-out of a port deletion to the 19 other normal hosts"), report);
        }
    }

    @Test
    @Timeout(120)
    void aControllerOnItsDefaultMutualTlsIsSaidPlainlyToNeedInsecureForTheBench() {
        java.nio.file.Path pki = TestController.createTempDir();
        try (var controller = TestController.start(SouthboundSettings.defaults("127.0.0.1", 0).withCa(pki))) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"southbound", "--url", controller.baseUrl(), "--southbound",
                    "127.0.0.1:" + controller.app().southboundPort(), "--hosts", "2", "--ports-per-host", "1"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String errors = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, errors);
            assertTrue(errors.contains("wants TLS") && errors.contains("--southbound-insecure"), errors);
        } finally {
            TestController.deleteRecursively(pki);
        }
    }

    @Test
    @Timeout(120)
    void agentsSpreadOverTwoChildProcessesReportTheSameFigures() {
        try (var controller = TestController.start()) {
            String report = bench(controller, "--processes", "2");
            assertTrue(report.contains("agents in 2 processes"), report);
            assertEveryFigure(report);
            assertTrue(report.contains("fan-out of a new port to the 19 other normal hosts"), report);
            assertTrue(report.contains("fan-out of a port deletion to the 19 other normal hosts"), report);
            assertTrue(report.contains("per normal host (median / max of 20)"), report);
        }
        assertTrue(ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive), "the bench left child processes running");
    }

    @Test
    @Timeout(120)
    void slowAndStuckHostsGetPortsButAreLeftOutOfTheFigures() {
        try (var controller = TestController.start()) {
            String report = bench(controller, "--slow-agents", "1", "--stuck-agents", "1");
            assertTrue(report.contains("20 hosts (18 normal, 1 slow, 1 stuck)"), report);
            assertTrue(report.contains("left out of the latency, convergence and fan-out figures"), report);
            assertEveryFigure(report);
            assertTrue(report.contains("fan-out of a port deletion to the 17 other normal hosts"), report);
            assertTrue(report.contains("per normal host (median / max of 18)"), report);
            assertTrue(report.contains("1 slow host (reading one message a second) received"), report);
            assertTrue(report.contains("1 stuck host (never reading) received 0 goal-state messages"), report);
        }
    }

    @Test
    @Timeout(120)
    void anOnDemandVpcIsReportedAsSuchAndItsDeletionFanOutIsTimed() {
        // 100 ports against a push limit of 50: the VPC is ON_DEMAND, a new port goes to its own host only.
        try (var controller = TestController.start(SouthboundSettings.defaults("127.0.0.1", 0).withNeighborPushLimit(50))) {
            String report = bench(controller);
            assertTrue(report.contains("the VPC is ON_DEMAND"), report);
            assertTrue(report.contains("it reached its own host"), report);
            assertFalse(report.contains("fan-out of a new port to the"), report);
            assertTrue(report.contains("fan-out of a port deletion to the 19 other normal hosts"), report);
            assertTrue(report.contains(" policy=ON_DEMAND "), report);
        }
    }
}
