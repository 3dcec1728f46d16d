package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.Test;

/** A restarted controller has no delivery history: its hosts resync, and their versions still only grow. */
class ControllerRestartTest {
    @Test
    void afterAControllerRestartAnAgentResyncsWithAHigherVersion() {
        Path dir = TestController.createTempDir();
        var c = TestController.config(dir, new ValueRange(1, 16_777_215), FreePorts.next());
        var config = new ControllerConfig(c.api(), c.store(), SouthboundSettings.defaults("127.0.0.1", FreePorts.next()),
                c.vniRange(), c.macPrefix(), c.writeLanes(), c.maxBatch(), c.auth());
        ControllerApp app = ControllerApp.start(config);
        var channel = SouthboundFixture.channelTo(config.southbound().port());
        try (var agent = new SimulatedAgent(channel, "restart-host", "192.0.2.100", null).connect()) {
            var api = new NeutronClient("http://127.0.0.1:" + app.port(), null);
            var net = api.createNetwork(Map.of("name", "vpc"));
            api.createSubnet((String) net.get("id"), "10.100.0.0/24");
            var port = api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "restart-host"));
            Await.until("the agent has the port", () -> agent.state().entries("port").containsKey(port.get("id")));
            Await.until("the port is ACTIVE", () -> "ACTIVE".equals(api.get("/v2.0/ports/" + port.get("id")).member("port").get("status")));
            ControllerApp running = app;
            // Everything sent is applied: no event waiting for the engine, and the host has acked every version.
            Await.until("the host is caught up", () -> running.dataplane().backlog() == 0 && api.get("/southbound/hosts").list("hosts").stream()
                    .allMatch(h -> h.get("sent_version").equals(h.get("acked_version"))));
            long before = agent.appliedVersion();
            var stateBefore = agent.state().all();

            app.close();
            app = ControllerApp.start(config);
            agent.connect();
            Await.until("the agent resyncs past its old version", () -> agent.appliedVersion() > before);
            assertEquals(stateBefore, agent.state().all(), "the same state, rebuilt from the store");
        } finally {
            channel.shutdownNow();
            app.close();
            TestController.deleteRecursively(dir);
        }
    }
}
