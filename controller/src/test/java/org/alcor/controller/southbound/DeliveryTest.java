package org.alcor.controller.southbound;

import static org.alcor.controller.southbound.SouthboundFixture.neighborKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.GoalState;
import org.alcor.proto.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery: resends of unacknowledged goal states, and the on-demand neighbor policy of large VPCs. */
class DeliveryTest {
    private static SouthboundFixture f;

    /** Resend after 300 ms; any VPC with more than one neighbor entry is "large" (on demand). */
    @BeforeAll
    static void start() { f = new SouthboundFixture(TestController.start(new SouthboundSettings("127.0.0.1", 0, 300, 1_000, 1, 300_000))); }

    @AfterAll
    static void stop() { f.close(); }

    private static SimulatedAgent recording(String name, String ip, List<GoalState> received) {
        return f.agent(f.channel(), name + "-" + UUID.randomUUID(), ip, (agent, gs, at) -> received.add(gs));
    }

    @Test
    void anUnacknowledgedGoalStateIsSentAgainUntilTheHostAcknowledgesIt() {
        List<GoalState> received = new CopyOnWriteArrayList<>();
        SimulatedAgent a = recording("a", "192.0.2.31", received);
        a.acking(false);
        var net = f.network("10.31.0.0/24");
        var port = f.port(net.get("id"), a.hostId());
        Await.until("the port's goal state arrives twice", () -> received.stream()
                .filter(gs -> gs.getPortsMap().containsKey((String) port.get("id"))).count() >= 2);
        assertEquals("DOWN", f.status(port.get("id")), "no ack, no ACTIVE");
        a.acking(true);
        Await.until("acked at last, the port turns ACTIVE", () -> "ACTIVE".equals(f.status(port.get("id"))));
    }

    @Test
    void aLargeVpcPushesNoNewNeighborsButStillPushesTheirRemoval() {
        List<GoalState> received = new CopyOnWriteArrayList<>();
        SimulatedAgent a = recording("a", "192.0.2.32", received);
        SimulatedAgent b = f.agent("b-" + UUID.randomUUID(), "192.0.2.33");
        var net = f.network("10.32.0.0/24");
        f.port(net.get("id"), a.hostId());
        var onB = f.port(net.get("id"), b.hostId());
        String key = neighborKey(net.get("id"), onB);
        Await.until("b's port is programmed", () -> "ACTIVE".equals(f.status(onB.get("id"))));
        assertTrue(a.lookup((String) net.get("id"), SouthboundFixture.ip(onB)).getFound(), "a can ask where it lives");

        assertEquals(204, f.admin.delete("/v2.0/ports/" + onB.get("id")).status());
        Await.until("a is told the neighbor is gone", () -> received.stream()
                .anyMatch(gs -> gs.getNeighborsMap().containsKey(key) && gs.getNeighborsMap().get(key).getOp() == Operation.DELETE));
        assertTrue(received.stream().noneMatch(gs -> gs.getNeighborsMap().containsKey(key)
                && gs.getNeighborsMap().get(key).getOp() == Operation.CREATE), "the new neighbor was never pushed");
    }
}
