package org.alcor.controller.southbound;

import static org.alcor.controller.southbound.SouthboundFixture.neighborKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.api.ApiSettings;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.store.StoreSettings;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two controller replicas on one Ignite cluster: an agent on one receives what is committed through the other. */
class TwoReplicasTest {
    private Path dir;
    private ControllerApp a, b;
    private ManagedChannel toA, toB;

    @BeforeEach
    void startTwoReplicas() {
        dir = TestController.createTempDir();
        int discoveryA = FreePorts.next(), discoveryB = FreePorts.next();
        List<String> cluster = List.of("127.0.0.1:" + discoveryA, "127.0.0.1:" + discoveryB);
        a = ControllerApp.start(replica(dir.resolve("a"), "replica-a-" + discoveryA, cluster, discoveryA));
        b = ControllerApp.start(replica(dir.resolve("b"), "replica-b-" + discoveryB, cluster, discoveryB));
        toA = SouthboundFixture.channelTo(a.southboundPort());
        toB = SouthboundFixture.channelTo(b.southboundPort());
    }

    @AfterEach
    void stopBoth() {
        if (toA != null) toA.shutdownNow();
        if (toB != null) toB.shutdownNow();
        try {
            if (b != null) b.close();
        } finally {
            if (a != null) a.close();
            TestController.deleteRecursively(dir);
        }
    }

    @Test
    void anAgentConnectedToOneReplicaReceivesChangesCommittedOnTheOther() {
        var viaA = new NeutronClient("http://127.0.0.1:" + a.port(), null);
        try (var onA = new SimulatedAgent(toA, "host-on-a", "192.0.2.41", null).connect();
             var onB = new SimulatedAgent(toB, "host-on-b", "192.0.2.42", null).connect()) {
            Await.until("both agents have their snapshots", () -> onA.appliedVersion() > 0 && onB.appliedVersion() > 0);
            var net = viaA.createNetwork(Map.of("name", "vpc"));
            viaA.createSubnet((String) net.get("id"), "10.41.0.0/24");
            var portA = viaA.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "host-on-a"));
            var portB = viaA.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "host-on-b"));

            Await.until("the agent on replica B gets its port, committed through A", () -> onB.state().entries("port").containsKey(portB.get("id")));
            Await.until("and the neighbor on A's host", () -> onB.state().entries("neighbor").containsKey(neighborKey(net.get("id"), portA)));
            Await.until("B's ack turns the port ACTIVE for readers of A", () ->
                    "ACTIVE".equals(viaA.get("/v2.0/ports/" + portB.get("id")).member("port").get("status")));
            // A's host hears of B's port through its own replica's engine, on its own schedule: waited for, not assumed.
            Await.until("the agent on replica A holds both neighbours", () -> onA.state().entries("neighbor").size() == 2);
            assertEquals(2, onA.state().entries("neighbor").size());
        }

        // A host that moves between replicas whose versions happen to coincide: B sent it version 1, then A did.
        List<org.alcor.proto.GoalState> fromA = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var first = new SimulatedAgent(toB, "mover", "192.0.2.43", null).connect()) {
            Await.until("B sends the mover its snapshot", () -> first.appliedVersion() == 1);
        }
        try (var second = new SimulatedAgent(toA, "mover", "192.0.2.43", (agent, gs, at) -> fromA.add(gs)).connect()) {
            Await.until("A sends it its own version 1", () -> second.appliedVersion() == 1);
        }
        String epochA = fromA.getFirst().getEpoch();
        List<org.alcor.proto.ControllerMessage> fromB = new java.util.concurrent.CopyOnWriteArrayList<>();
        var backToB = org.alcor.proto.GoalStateServiceGrpc.newStub(toB).connect(new io.grpc.stub.StreamObserver<>() {
            @Override public void onNext(org.alcor.proto.ControllerMessage m) { fromB.add(m); }
            @Override public void onError(Throwable t) { }
            @Override public void onCompleted() { }
        });
        backToB.onNext(org.alcor.proto.AgentMessage.newBuilder().setHello(org.alcor.proto.Hello.newBuilder().setHostId("mover")
                .setUnderlayIp("192.0.2.43").setLastAppliedVersion(1).setLastAppliedEpoch(epochA)).build());
        Await.until("B does not take A's version 1 for its own: it sends a full snapshot", () -> fromB.stream()
                .anyMatch(m -> m.hasGoalState() && m.getGoalState().getFullSnapshot()));
        assertTrue(!epochA.isEmpty() && fromB.stream().filter(m -> m.hasGoalState()).noneMatch(m -> m.getGoalState().getEpoch().equals(epochA)),
                "and numbers it in its own epoch");
        backToB.onCompleted();
    }

    /**
     * A host that moves to a replica that never sent it anything says what it holds (its Hello's inventory): the
     * replica sends only what changed meanwhile, as one delta, not a full snapshot. When its neighbours of a VPC do not
     * agree with the replica's table, that VPC's are replaced in the same delta (a stale one dropped, a lost one back).
     */
    @Test
    void aHostMovingToAnotherReplicaWithWhatItHoldsIsSentOnlyTheDifference() {
        var api = new NeutronClient("http://127.0.0.1:" + a.port(), null);
        List<org.alcor.proto.GoalState> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var traveller = new SimulatedAgent(toA, "traveller", "192.0.2.44", (agent, gs, at) -> received.add(gs)).connect();
             var stayer = new SimulatedAgent(toB, "stayer", "192.0.2.45", null).connect()) {
            // A port can be bound only to a host that has said Hello (registered).
            Await.until("both agents have their snapshots", () -> traveller.appliedVersion() > 0 && stayer.appliedVersion() > 0);
            var net = api.createNetwork(Map.of("name", "vpc"));
            api.createSubnet((String) net.get("id"), "10.44.0.0/24");
            List<Object> mine = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) mine.add(api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "traveller")).get("id"));
            var other = api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "stayer"));
            Await.until("the traveller holds its ports and all four neighbours on A", () -> traveller.state().keys("port").size() == 3
                    && traveller.state().keys("neighbor").size() == 4 && stayer.state().keys("neighbor").size() == 4);

            // Away from any stream, the host loses a port and gains one; then it says Hello to B, which never served it.
            traveller.disconnect();
            api.delete("/v2.0/ports/" + mine.getFirst());
            var added = api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "traveller"));
            Await.until("the stayer sees both changes", () -> stayer.state().keys("neighbor").size() == 4
                    && stayer.state().keys("neighbor").contains(neighborKey(net.get("id"), added)));
            long adoptions = b.dataplane().adoptions(), snapshots = b.dataplane().attachSnapshots();
            received.clear();
            traveller.moveTo(toB);
            java.util.Set<Object> expected = new java.util.HashSet<>(List.of(mine.get(1), mine.get(2), added.get("id")));
            // The listener hears of a goal state after it is applied: waited for too.
            Await.until("on B the traveller holds exactly its ports now", () -> traveller.state().keys("port").equals(expected)
                    && traveller.state().keys("neighbor").size() == 4 && !received.isEmpty());
            assertEquals(adoptions + 1, b.dataplane().adoptions(), "B took what the host holds as sent");
            assertEquals(snapshots, b.dataplane().attachSnapshots(), "and sent no snapshot");
            assertTrue(received.stream().noneMatch(org.alcor.proto.GoalState::getFullSnapshot), "only deltas: " + received.size());
            assertTrue(received.getFirst().getPortsMap().get(mine.getFirst()).getOp() == org.alcor.proto.Operation.DELETE,
                    "the first delta deletes the port that went");
            assertTrue(traveller.state().keys("neighbor").contains(neighborKey(net.get("id"), other)));

            // Back to A with one neighbour lost and a stale one kept: the neighbours do not agree with A's table, so
            // A still takes the local states as sent and replaces the VPC's neighbours (no snapshot).
            String lost = neighborKey(net.get("id"), other), stale = net.get("id") + "/10.44.0.250";
            assertTrue(traveller.state().forget("neighbor", lost));
            traveller.state().remember("neighbor", stale, org.alcor.proto.NeighborState.newBuilder().setVpcId((String) net.get("id"))
                    .setIp("10.44.0.250").setMac("fa:16:3e:00:00:fa").setHostUnderlayIp("192.0.2.99").setType(org.alcor.proto.NeighborType.L2).build());
            long adoptionsOnA = a.dataplane().adoptions(), snapshotsOnA = a.dataplane().attachSnapshots();
            received.clear();
            traveller.moveTo(toA);
            Await.until("A makes the traveller's neighbours whole", () -> traveller.state().keys("neighbor").contains(lost)
                    && !traveller.state().keys("neighbor").contains(stale) && !received.isEmpty());
            assertEquals(adoptionsOnA + 1, a.dataplane().adoptions(), "A took the local states as sent");
            assertEquals(snapshotsOnA, a.dataplane().attachSnapshots(), "and sent no snapshot");
            assertTrue(received.stream().noneMatch(org.alcor.proto.GoalState::getFullSnapshot));
            assertTrue(received.getFirst().getNeighborTablesList().stream().anyMatch(org.alcor.proto.NeighborTable::getReplace),
                    "the VPC's neighbours replaced");
            assertEquals(4, traveller.state().keys("neighbor").size());
        }
    }

    private static ControllerConfig replica(Path dir, String name, List<String> cluster, int discovery) {
        var store = new StoreSettings(dir, false, 256, name, cluster, "127.0.0.1", discovery, FreePorts.next(), 1, 10_000);
        return new ControllerConfig(new ApiSettings("127.0.0.1", FreePorts.next(), 16 << 20), store,
                // Any replica serves any host here (the hosts choose), which is what epochs must make safe.
                SouthboundSettings.defaults("127.0.0.1", 0).withPartitioned(false), new ValueRange(1, 16_777_215), "fa:16:3e", 4, 1024, "noauth");
    }
}
