package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicBoolean;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The goal-state engine is supervised: when it fails the controller says it is not ready and counts the failure,
 * and once the fault is gone the engine rebuilds from the store and the hosts converge on what was written
 * meanwhile (the failure the issue saw was a dead engine thread behind a controller answering as if healthy).
 */
class EngineSupervisionTest {
    @Test
    @Timeout(120)
    void aFailingEngineMakesTheControllerUnreadyAndRecoversWithNothingLost() {
        var failing = new AtomicBoolean();
        try (var f = new SouthboundFixture(TestController.start(() -> {
            if (failing.get()) throw new OutOfMemoryError("injected by the test");
        }))) {
            var agent = f.agent("host-a", "10.0.0.1");
            var net = f.network("10.1.0.0/24");
            var first = f.port(net.get("id"), "host-a");
            Await.until("host-a holds the first port", () -> agent.state().keys("port").contains(first.get("id")));
            assertEquals(200, f.admin.get("/ready").status());

            failing.set(true);
            var during = f.port(net.get("id"), "host-a");
            Await.until("/ready says 503 while the engine fails", () -> f.admin.get("/ready").status() == 503);
            Await.until("the failure is counted", () -> metric(f, "alcor_dataplane_engine_failures_total") >= 1);
            Await.until("the engine is reported unhealthy", () -> metric(f, "alcor_dataplane_healthy") == 0);

            failing.set(false);
            var after = f.port(net.get("id"), "host-a");
            Await.until("/ready says 200 again", () -> f.admin.get("/ready").status() == 200);
            Await.until("host-a holds the ports written during and after the failure", () ->
                    agent.state().keys("port").contains(during.get("id")) && agent.state().keys("port").contains(after.get("id")));
            Await.until("the ports turn ACTIVE", () -> "ACTIVE".equals(f.status(during.get("id"))) && "ACTIVE".equals(f.status(after.get("id"))));
        }
    }

    private static double metric(SouthboundFixture f, String name) {
        return f.admin.get("/metrics").raw().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
