package org.alcor.controller.southbound;

import static org.alcor.controller.southbound.SouthboundFixture.neighborKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.GoalState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery as state: the window of unacknowledged goal states, hosts that stop reading, snapshots in parts, and
 * the on-demand neighbour policy of large VPCs.
 */
class DeliveryTest {
    private static final int WINDOW = 4;
    private static SouthboundFixture f;

    /** A window of 4, messages of at most 4 KiB, and any VPC with more than one neighbour entry is "large" (on demand). */
    @BeforeAll
    static void start() {
        f = new SouthboundFixture(TestController.start(new SouthboundSettings("127.0.0.1", 0, WINDOW, 4096, 1, 300_000)));
    }

    @AfterAll
    static void stop() { f.close(); }

    private static SimulatedAgent recording(String name, String ip, List<GoalState> received) {
        return f.agent(f.channel(), name + "-" + UUID.randomUUID(), ip, (agent, gs, at) -> received.add(gs));
    }

    private static Map<String, Object> hostStatus(String hostId) {
        return f.admin.get("/southbound/hosts").list("hosts").stream().filter(h -> hostId.equals(h.get("host_id"))).findFirst().orElseThrow();
    }

    @Test
    void aHostThatStopsAcknowledgingGetsAtMostTheWindowThenOneDeltaWithTheLatestState() {
        List<GoalState> received = new CopyOnWriteArrayList<>();
        SimulatedAgent a = recording("a", "192.0.2.31", received);
        var net = f.network("10.31.0.0/24");
        a.acking(false);
        int before = received.size();
        List<Object> ports = new ArrayList<>();
        for (int i = 0; i < 12; i++) ports.add(f.port(net.get("id"), a.hostId()).get("id"));
        // Every port is committed; the host has its window of goal states and no more.
        Await.until("the host's window is full", () -> ((Number) hostStatus(a.hostId()).get("lag")).intValue() == WINDOW);
        Await.until("the engine has nothing it could send", () -> f.controller.app().dataplane().intakeRows() == 0
                && f.controller.app().dataplane().hostsBlocked() >= 1);
        assertEquals(WINDOW, received.size() - before, "no more than the window is outstanding");
        assertEquals("DOWN", f.status(ports.getLast()), "no ack, no ACTIVE");

        a.acking(true);
        a.ackAgain();
        Await.until("the host gets every port", () -> ports.stream().allMatch(p -> a.state().entries("port").containsKey(p)));
        Await.until("and turns them ACTIVE", () -> ports.stream().allMatch(p -> "ACTIVE".equals(f.status(p))));
        assertTrue(received.size() - before <= WINDOW + 2, "what waited went in one or two deltas, not one per change: " + (received.size() - before));
    }

    @Test
    void aHostThatNeverReadsIsSentAtMostTheWindowAndHoldsNoOneElseBack() {
        var stuck = new SimulatedAgent(f.channel(), "stuck-" + UUID.randomUUID(), "192.0.2.34", null, SimulatedAgent.Reading.STUCK, false).connect();
        try {
            SimulatedAgent other = f.agent("other-" + UUID.randomUUID(), "192.0.2.35");
            var net = f.network("10.34.0.0/24");
            for (int i = 0; i < 20; i++) f.port(net.get("id"), stuck.hostId());
            var mine = f.port(net.get("id"), other.hostId());
            Await.until("the other host gets its port", () -> other.state().entries("port").containsKey(mine.get("id")));
            Await.until("the stuck host is blocked", () -> f.controller.app().dataplane().intakeRows() == 0
                    && f.controller.app().dataplane().hostsBlocked() >= 1);
            long sent = ((Number) hostStatus(stuck.hostId()).get("sent_version")).longValue();
            assertTrue(sent <= WINDOW, "a host that reads nothing is written at most the window: " + sent);
            assertEquals(0, stuck.messages(), "and it really read nothing");
        } finally {
            stuck.close();
        }
    }

    @Test
    void aSnapshotLargerThanOneMessageComesInPartsAndIsAppliedWhole() {
        List<GoalState> received = new CopyOnWriteArrayList<>();
        SimulatedAgent a = recording("a", "192.0.2.36", received);
        var net = f.network("10.36.0.0/24");
        List<Object> ports = new ArrayList<>();
        for (int i = 0; i < 30; i++) ports.add(f.port(net.get("id"), a.hostId()).get("id"));
        Await.until("a has its ports", () -> ports.stream().allMatch(p -> a.state().entries("port").containsKey(p)));

        // What the fresh agent receives, on its own: a goal state still on its way to a when it left is a's.
        List<GoalState> toFresh = new CopyOnWriteArrayList<>();
        a.disconnect();
        var fresh = new SimulatedAgent(f.channel(), a.hostId(), a.underlayIp(), (agent, gs, at) -> toFresh.add(gs)).connect();
        try {
            // The listener hears of the last part after it is applied: waited for, with the version.
            Await.until("the fresh agent applies its snapshot", () -> fresh.appliedVersion() > 0
                    && toFresh.stream().anyMatch(gs -> gs.getVersion() == fresh.appliedVersion()));
            assertTrue(toFresh.size() > 1 && toFresh.getFirst().getFullSnapshot() && toFresh.getFirst().getMoreParts(),
                    () -> "30 ports and their leases do not fit 4 KiB: the snapshot came in parts; received: " + toFresh.stream()
                            .map(gs -> "v" + gs.getVersion() + (gs.getFullSnapshot() ? " full" : "") + (gs.getMoreParts() ? " more" : "")
                                    + " ports " + gs.getPortsCount() + " epoch " + gs.getEpoch()).toList());
            assertTrue(toFresh.stream().allMatch(gs -> gs.getSerializedSize() <= 4096 + 1024), "each part is about the budget");
            // Neighbours aside: the VPC is on demand, so a holds an entry cached from when it was small; fresh none.
            var expected = new java.util.HashMap<>(a.state().all());
            expected.remove("neighbor");
            assertEquals(expected, fresh.state().all(), "the parts together are the host's whole state");
        } finally {
            fresh.close();
        }
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
        var reply = a.lookup((String) net.get("id"), SouthboundFixture.ip(onB));
        assertTrue(reply.getFound(), "a can ask where it lives");
        assertEquals(onB.get("security_groups"), reply.getNeighbor().getSecurityGroupIdsList(), "and which groups admit it");
        assertTrue(a.state().entries("vpc").get(net.get("id")) instanceof org.alcor.proto.VpcState v
                && v.getNeighborPolicy() == org.alcor.proto.NeighborPolicy.ON_DEMAND, "the host is told the VPC is on demand");

        assertEquals(204, f.admin.delete("/v2.0/ports/" + onB.get("id")).status());
        Await.until("a is told the neighbor is gone", () -> received.stream().anyMatch(gs -> gs.getNeighborTablesList().stream()
                .anyMatch(t -> t.getVpcId().equals(net.get("id")) && t.getDeletedIpv4Count() > 0)));
        assertTrue(received.stream().noneMatch(gs -> gs.getNeighborTablesList().stream()
                .anyMatch(t -> org.alcor.bench.southbound.AppliedState.entries(t).stream().anyMatch(n -> key.endsWith("/" + n.getIp())))),
                "the new neighbor was never pushed");
    }
}
