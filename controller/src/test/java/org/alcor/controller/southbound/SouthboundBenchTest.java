package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.alcor.bench.Main;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.Test;

/** {@code alcor bench southbound} against a real controller: it runs to the end and prints every figure. */
class SouthboundBenchTest {
    @Test
    @org.junit.jupiter.api.Timeout(180)
    void theSouthboundBenchReportsLatencyFanOutAndBytesPerHost() {
        try (var controller = TestController.start()) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"southbound", "--url", controller.baseUrl(), "--southbound",
                    "127.0.0.1:" + controller.app().southboundPort(), "--hosts", "20", "--ports-per-host", "5",
                    "--latency-samples", "10", "--channels", "2"}, new PrintStream(out), new PrintStream(err));
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, report + err.toString(StandardCharsets.UTF_8));
            assertTrue(report.contains("provisioning latency"), report);
            assertTrue(report.contains("fan-out of a new port to 20 hosts"), report);
            assertTrue(report.contains("fan-out of a port deletion to 20 hosts"), report);
            assertTrue(report.contains("per host:"), report);
        }
    }
}
