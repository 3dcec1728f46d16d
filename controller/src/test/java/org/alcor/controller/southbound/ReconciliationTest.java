package org.alcor.controller.southbound;

import static org.alcor.controller.southbound.SouthboundFixture.neighborKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.dataplane.DataplaneEngine;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation: an agent says what it holds (a digest of its applied version); the controller compares it with
 * what it sent that host, and a difference (a resource or neighbour the agent lost, a change that never reached
 * it) is repaired with a full snapshot and counted. Agents that hold what they were sent are left alone. The
 * simulated agents compute their digests as real agents do (StateDigests), on the real controller.
 */
class ReconciliationTest {
    private static SouthboundFixture f;

    @BeforeAll
    static void start() { f = new SouthboundFixture(TestController.start(SouthboundSettings.defaults("127.0.0.1", 0))); }

    @AfterAll
    static void stop() { f.close(); }

    private static DataplaneEngine engine() { return f.controller.app().dataplane(); }

    /** Two hosts of one VPC with ports in a security group each; both hold all of it. */
    private record Pair(SimulatedAgent a, SimulatedAgent b, Object networkId, List<Map<String, Object>> ports) {}

    private static Pair pair(String cidr) {
        SimulatedAgent a = f.agent("rec-a-" + UUID.randomUUID(), "192.0.2.61"), b = f.agent("rec-b-" + UUID.randomUUID(), "192.0.2.62");
        var net = f.network(cidr);
        List<Map<String, Object>> ports = List.of(f.port(net.get("id"), a.hostId()), f.port(net.get("id"), a.hostId()),
                f.port(net.get("id"), b.hostId()));
        Await.until("both hosts hold every neighbour", () -> ports.stream().allMatch(p ->
                a.state().keys("neighbor").contains(neighborKey(net.get("id"), p)) && b.state().keys("neighbor").contains(neighborKey(net.get("id"), p))));
        Await.until("and their ports", () -> a.state().keys("port").size() == 2 && b.state().keys("port").size() == 1);
        // Quiet before a test injects drift: a later delta (the ports' own updates as they turn ACTIVE) would put back
        // what the test takes away, and no repair would be needed.
        Await.until("every port ACTIVE", () -> ports.stream().allMatch(port -> "ACTIVE".equals(f.status(port.get("id")))));
        long[] seen = {-1, -1};
        Await.until("nothing more on its way to either host", () -> {
            boolean idle = engine().intakeRows() == 0 && engine().hostsPending() == 0 && lag(a) == 0 && lag(b) == 0;
            boolean same = seen[0] == a.appliedVersion() && seen[1] == b.appliedVersion();
            seen[0] = a.appliedVersion();
            seen[1] = b.appliedVersion();
            if (idle && same) return true;
            try {
                Thread.sleep(100);   // two looks 100 ms apart at the same versions, with nothing pending between
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        });
        return new Pair(a, b, net.get("id"), ports);
    }

    private static int lag(SimulatedAgent agent) {
        return f.admin.get("/southbound/hosts").list("hosts").stream().filter(h -> agent.hostId().equals(h.get("host_id")))
                .mapToInt(h -> ((Number) h.get("lag")).intValue()).findFirst().orElse(-1);
    }

    /** Sends digests until one is compared (one sent while the host still had something in flight is skipped). */
    private static void reconcile(SimulatedAgent agent) {
        long before = engine().digestsCompared();
        Await.until(agent.hostId() + "'s digest compared", () -> {
            agent.sendDigest();
            return engine().digestsCompared() > before;
        });
    }

    @Test
    void agentsThatHoldWhatTheyWereSentAreNotRepaired() {
        Pair p = pair("10.61.0.0/24");
        long repairs = engine().agentStateRepairs();
        reconcile(p.a());
        reconcile(p.b());
        assertEquals(repairs, engine().agentStateRepairs(), "a digest of exactly what was sent matches");
    }

    @Test
    void aPortAndANeighbourTheAgentLostAreRepaired() {
        Pair p = pair("10.62.0.0/24");
        String port = (String) p.ports().getFirst().get("id");
        String neighbor = neighborKey(p.networkId(), p.ports().getLast());
        assertTrue(p.a().state().forget("port", port));
        assertTrue(p.a().state().forget("neighbor", neighbor));
        long repairs = engine().agentStateRepairs();
        reconcile(p.a());
        assertEquals(repairs + 1, engine().agentStateRepairs(), "the difference is found and repaired once");
        Await.until("the snapshot gives both back", () -> p.a().state().keys("port").contains(port) && p.a().state().keys("neighbor").contains(neighbor));
        reconcile(p.a());
        assertEquals(repairs + 1, engine().agentStateRepairs(), "after the repair the host agrees");
        assertTrue(metric("alcor_southbound_repairs_total{kind=\"agent_state\"") >= 1, "counted in /metrics");
    }

    @Test
    void aChangeThatNeverReachedTheAgentIsRepaired() {
        Pair p = pair("10.63.0.0/24");
        // Lost: every delta that names a port a does not hold yet (a later update of the port would otherwise bring it
        // back by itself); only a snapshot can.
        java.util.Set<Object> held = new java.util.HashSet<>(p.a().state().keys("port"));
        p.a().lose(gs -> gs.getPortsMap().keySet().stream().anyMatch(id -> !held.contains(id)));
        var lost = f.port(p.networkId(), p.a().hostId());
        Await.until("the controller has the change acknowledged", () -> {
            if (p.a().lost() == 0) return false;
            var h = f.admin.get("/southbound/hosts").list("hosts").stream().filter(x -> p.a().hostId().equals(x.get("host_id"))).findFirst().orElseThrow();
            return ((Number) h.get("lag")).intValue() == 0 && engine().intakeRows() == 0 && engine().hostsPending() == 0;
        });
        assertFalse(p.a().state().keys("port").contains(lost.get("id")), "the agent acked a goal state it did not apply");
        long repairs = engine().agentStateRepairs();
        reconcile(p.a());
        assertEquals(repairs + 1, engine().agentStateRepairs());
        Await.until("the snapshot brings the lost port", () -> p.a().state().keys("port").contains(lost.get("id")));
        p.a().lose(null);
        // The other host was not touched by any of it.
        reconcile(p.b());
        assertEquals(repairs + 1, engine().agentStateRepairs());
    }

    private static double metric(String prefix) {
        return f.admin.get("/metrics").raw().lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
