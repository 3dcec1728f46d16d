package org.alcor.agent.state;

import org.alcor.agent.lab.NeighborTables;
import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.proto.GatewayState;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.NeighborState;
import org.alcor.proto.NeighborTable;
import org.alcor.proto.Operation;
import org.alcor.proto.ResourceType;
import org.alcor.proto.VpcState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

class HostStateTest {
    static GoalState snapshot(long v) {
        return GoalState.newBuilder().setVersion(v).setFullSnapshot(true).putVpcs("v", vpc("v", 5))
                .putPorts("p1", port("p1", "v", "s", "fa:16:3e:00:00:01", "10.0.0.1", "h"))
                .putPorts("p2", port("p2", "v", "s", "fa:16:3e:00:00:02", "10.0.0.2", "h")).build();
    }

    static GoalState delta(long v, NeighborTable... tables) {
        GoalState.Builder b = GoalState.newBuilder().setVersion(v);
        for (NeighborTable t : tables) b.addNeighborTables(t);
        return b.build();
    }

    static HostState.Applied applied(Optional<HostState.Applied> a) { return a.orElseThrow(() -> new AssertionError("nothing applied")); }

    @Test
    void aFullSnapshotReplacesEverything() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        s.apply(GoalState.newBuilder().setVersion(2).setFullSnapshot(true).putVpcs("w", vpc("w", 6)).build());
        assertEquals(List.of("w"), List.copyOf(s.vpcs.keySet()));
        assertTrue(s.ports.isEmpty());
        assertEquals(2, s.version());
    }

    @Test
    void aDeltaCreatesUpdatesAndDeletesSingleResourcesAndNamesThem() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        List<HostState.Touched> t = applied(s.apply(GoalState.newBuilder().setVersion(2)
                .putPorts("p1", s.ports.get("p1").toBuilder().setOp(Operation.DELETE).build())
                .putPorts("p3", port("p3", "v", "s", "fa:16:3e:00:00:03", "10.0.0.3", "h"))
                .putGateways("g", GatewayState.newBuilder().setId("g").setOp(Operation.CREATE).build()).build())).touched();
        assertEquals(List.of("p2", "p3"), List.copyOf(s.ports.keySet()));
        assertTrue(t.contains(new HostState.Touched(ResourceType.PORT, "p1")));
        assertTrue(t.contains(new HostState.Touched(ResourceType.GATEWAY, "g")));
        assertEquals(1, s.vpcs.size(), "untouched resources stay");
    }

    @Test
    void aLateDeltaNeverMovesTheVersionBack() {
        HostState s = new HostState();
        s.apply(snapshot(5));
        s.apply(GoalState.newBuilder().setVersion(3).build());
        assertEquals(5, s.version());
    }

    @Test
    void aNeighborTableAddsIpv4AndIpv6EntriesWithTheirMacHostAndGroups() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        s.apply(delta(2, NeighborTables.of("v")
                .put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2", "sg-a", "sg-b")
                .put("fd00::7", "fa:16:3e:00:00:77", "172.31.250.3")
                .put("10.0.0.8", "fa:16:3e:00:00:08", "172.31.250.2", "sg-a", "sg-b").build()));
        Neighbor v4 = s.neighbors.get("v/10.0.0.7");
        assertEquals(new Neighbor("v", "10.0.0.7", Mac.parse("fa:16:3e:00:00:07"), Ipv4.parse("172.31.250.2"), 0, "", List.of("sg-a", "sg-b")), v4);
        Neighbor v6 = s.neighbors.get("v/fd00::7");
        assertNotNull(v6, "IPv6 keys use the canonical text: " + s.neighbors.keySet());
        assertEquals(Mac.parse("fa:16:3e:00:00:77"), v6.mac());
        assertEquals(Ipv4.parse("172.31.250.3"), v6.hostIpv4());
        assertEquals(List.of(), v6.securityGroupIds(), "group set 0 is no group");
        assertEquals(List.of("sg-a", "sg-b"), s.neighbors.get("v/10.0.0.8").securityGroupIds());
    }

    @Test
    void aNeighborTableDeletesAddressesAndMovesAnEntryByUpsertingIt() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        s.apply(delta(2, NeighborTables.of("v").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2")
                .put("10.0.0.8", "fa:16:3e:00:00:08", "172.31.250.2").put("fd00::8", "fa:16:3e:00:00:08", "172.31.250.2").build()));
        s.apply(delta(3, NeighborTables.of("v").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.9", "sg-a")
                .delete("10.0.0.8").delete("fd00::8").build()));
        assertEquals(List.of("v/10.0.0.7"), List.copyOf(s.neighbors.keySet()));
        assertEquals(Ipv4.parse("172.31.250.9"), s.neighbors.get("v/10.0.0.7").hostIpv4(), "moved to its new host");
        assertEquals(List.of("sg-a"), s.neighbors.get("v/10.0.0.7").securityGroupIds(), "and its groups replaced");
    }

    @Test
    void neighbourEntriesAreNamedOncePerVpcNeverOneByOne() {
        HostState s = new HostState();
        NeighborTables big = NeighborTables.of("v");
        for (int i = 1; i <= 500; i++) big.put("10.0." + (i / 250) + "." + (i % 250 + 1), "fa:16:3e:00:10:00", "172.31.250.2");
        List<HostState.Touched> t = applied(s.apply(snapshot(1).toBuilder().addNeighborTables(big.build())
                .putNeighbors("w/10.9.0.1", neighbor("w", 6, "s", "p9", "fa:16:3e:00:00:09", "10.9.0.1", "172.31.250.2")).build())).touched();
        assertEquals(500, s.neighbors.size() - 1);
        assertEquals(java.util.Set.of(new HostState.Touched(ResourceType.NEIGHBOR, "v"), new HostState.Touched(ResourceType.NEIGHBOR, "w")),
                java.util.Set.copyOf(t.stream().filter(x -> x.type() == ResourceType.NEIGHBOR).toList()));
        assertEquals(2, t.stream().filter(x -> x.type() == ResourceType.NEIGHBOR).count());
    }

    @Test
    void aNeighborTableWhoseColumnsDoNotLineUpIsRejectedWholeAndNamed() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        NeighborTable good = NeighborTables.of("v").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2").put("10.0.0.8", "fa:16:3e:00:00:08", "172.31.250.2").build();
        NeighborTable bad = good.toBuilder().setMacs(good.getMacs().substring(0, 6)).build();
        HostState.Applied a = applied(s.apply(delta(2, bad)));
        assertTrue(s.neighbors.isEmpty(), "no entry of a malformed table is taken");
        assertEquals(1, a.rejected().size());
        assertEquals(ResourceType.NEIGHBOR, a.rejected().get(0).type());
        assertEquals("v", a.rejected().get(0).id());
        NeighborTable noSuchSet = good.toBuilder().setGroupSet(1, 3).build();
        assertEquals(1, applied(s.apply(delta(3, noSuchSet))).rejected().size());
        assertTrue(s.neighbors.isEmpty());
    }

    @Test
    void theNeighborsMapIsStillAcceptedUnderTheSameKeyAsATableEntry() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        NeighborState legacy = neighbor("v", 5, "s", "p7", "fa:16:3e:00:00:07", "10.0.0.7", "172.31.250.2").toBuilder().addSecurityGroupIds("sg-a").build();
        s.apply(GoalState.newBuilder().setVersion(2).putNeighbors("v/10.0.0.7", legacy).build());
        assertEquals(List.of("sg-a"), s.neighbors.get("v/10.0.0.7").securityGroupIds());
        s.apply(delta(3, NeighborTables.of("v").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.3").build()));
        assertEquals(1, s.neighbors.size(), "the table entry replaced the map entry");
        assertEquals(Ipv4.parse("172.31.250.3"), s.neighbors.get("v/10.0.0.7").hostIpv4());
        s.apply(GoalState.newBuilder().setVersion(4).putNeighbors("v/10.0.0.7", legacy.toBuilder().setOp(Operation.DELETE).build()).build());
        assertTrue(s.neighbors.isEmpty());
    }

    @Test
    void aMalformedNeighborInTheMapIsRejectedAndTheRestApplied() {
        HostState s = new HostState();
        HostState.Applied a = applied(s.apply(snapshot(1).toBuilder()
                .putNeighbors("v/10.0.0.7", neighbor("v", 5, "s", "p7", "not a mac", "10.0.0.7", "172.31.250.2")).build()));
        assertEquals(List.of(new HostState.Rejected(ResourceType.NEIGHBOR, "v/10.0.0.7", "not a MAC address: not a mac")), a.rejected());
        assertEquals(2, s.ports.size());
    }

    @Test
    void nothingOfASnapshotInPartsIsAppliedBeforeItsLastPart() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        assertTrue(s.apply(GoalState.newBuilder().setVersion(2).setFullSnapshot(true).setMoreParts(true).putVpcs("w", vpc("w", 6)).build()).isEmpty());
        assertTrue(s.apply(GoalState.newBuilder().setVersion(3).setMoreParts(true)
                .putPorts("p9", port("p9", "w", "s", "fa:16:3e:00:00:09", "10.0.0.9", "h")).build()).isEmpty());
        assertTrue(s.stagingSnapshot());
        assertEquals(List.of("v"), List.copyOf(s.vpcs.keySet()));
        assertEquals(List.of("p1", "p2"), List.copyOf(s.ports.keySet()));
        assertEquals(1, s.version());
    }

    @Test
    void theLastPartReplacesTheStateWithTheUnionOfAllPartsAndNamesWhatTheyAllTouched() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        s.apply(delta(2, NeighborTables.of("v").put("10.0.0.50", "fa:16:3e:00:00:50", "172.31.250.2").build()));
        s.apply(GoalState.newBuilder().setVersion(3).setFullSnapshot(true).setMoreParts(true).putVpcs("w", vpc("w", 6))
                .putPorts("p8", port("p8", "w", "s", "fa:16:3e:00:00:08", "10.0.0.8", "h"))
                .addNeighborTables(NeighborTables.of("w").put("10.0.0.60", "fa:16:3e:00:00:60", "172.31.250.2").build()).build());
        s.apply(GoalState.newBuilder().setVersion(4).setMoreParts(true)
                .putPorts("p9", port("p9", "w", "s", "fa:16:3e:00:00:09", "10.0.0.9", "h")).build());
        HostState.Applied a = applied(s.apply(GoalState.newBuilder().setVersion(5)
                .addNeighborTables(NeighborTables.of("w").put("10.0.0.61", "fa:16:3e:00:00:61", "172.31.250.3").build()).build()));
        assertFalse(s.stagingSnapshot());
        assertEquals(5, a.version(), "acked as the last part's version");
        assertEquals(5, s.version());
        assertEquals(List.of("w"), List.copyOf(s.vpcs.keySet()));
        assertEquals(List.of("p8", "p9"), List.copyOf(s.ports.keySet()), "ports of the first snapshot are gone");
        assertEquals(List.of("w/10.0.0.60", "w/10.0.0.61"), List.copyOf(s.neighbors.keySet()), "as are its neighbours");
        assertTrue(a.touched().containsAll(List.of(new HostState.Touched(ResourceType.PORT, "p8"), new HostState.Touched(ResourceType.PORT, "p9"),
                new HostState.Touched(ResourceType.VPC, "w"))), a.touched().toString());
    }

    @Test
    void aSnapshotWhoseStreamBrokeIsDiscardedAndTheStateStaysAsItWas() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        s.apply(GoalState.newBuilder().setVersion(2).setFullSnapshot(true).setMoreParts(true).putVpcs("w", vpc("w", 6)).build());
        s.discardStagedParts();
        assertFalse(s.stagingSnapshot());
        // what followed the broken part on the old stream would be a stray part: never applied
        assertTrue(s.apply(GoalState.newBuilder().setVersion(3).setMoreParts(true).putVpcs("x", vpc("x", 7)).build()).isEmpty());
        assertEquals(List.of("v"), List.copyOf(s.vpcs.keySet()));
        assertEquals(1, s.version());
        // the snapshot resent on the new stream applies normally
        assertTrue(s.apply(GoalState.newBuilder().setVersion(4).setFullSnapshot(true).setMoreParts(true).putVpcs("w", vpc("w", 6)).build()).isEmpty());
        applied(s.apply(GoalState.newBuilder().setVersion(5).putVpcs("y", vpc("y", 8)).build()));
        assertEquals(List.of("w", "y"), List.copyOf(s.vpcs.keySet()));
        assertEquals(5, s.version());
    }

    @Test
    void aNewSnapshotSupersedesTheStagedPartsOfAnUnfinishedOne() {
        HostState s = new HostState();
        s.apply(GoalState.newBuilder().setVersion(2).setFullSnapshot(true).setMoreParts(true).putVpcs("old", vpc("old", 6)).build());
        applied(s.apply(GoalState.newBuilder().setVersion(3).setFullSnapshot(true).putVpcs("new", vpc("new", 7)).build()));
        assertEquals(List.of("new"), List.copyOf(s.vpcs.keySet()));
        assertFalse(s.stagingSnapshot());
    }

    @Test
    void aFullSnapshotDropsLearntNeighboursAndSuppressedSources() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        s.learnNeighbor(new Neighbor("v", "10.0.0.99", 1, 2, 0, "", List.of()));
        s.suppressedSources.add("v/10.0.0.98", 0);
        s.apply(snapshot(2));
        assertTrue(s.neighbors.isEmpty());
        assertEquals(0, s.suppressedSources.size());
    }

    @Test
    void deletingAVpcRemovesItsNeighboursPushedAndLearntAndNoOtherVpcs() {
        HostState s = new HostState();
        s.apply(GoalState.newBuilder().setVersion(1).setFullSnapshot(true).putVpcs("v", vpc("v", 5)).putVpcs("v-2", vpc("v-2", 6)).putVpcs("vx", vpc("vx", 7))
                .addNeighborTables(NeighborTables.of("v").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2").build())
                .addNeighborTables(NeighborTables.of("v-2").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2").build())
                .addNeighborTables(NeighborTables.of("vx").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2").build()).build());
        s.learnNeighbor(new Neighbor("v", "10.0.0.8", 1, 2, 0, "", List.of()));
        s.suppressedSources.add("v/10.0.0.9", 0);
        s.apply(GoalState.newBuilder().setVersion(2).putVpcs("v", vpc("v", 5).toBuilder().setOp(Operation.DELETE).build()).build());
        assertEquals(List.of("v-2/10.0.0.7", "vx/10.0.0.7"), List.copyOf(s.neighbors.keySet()));
        assertFalse(s.suppressedSources.contains("v/10.0.0.9"));
    }

    @Test
    void theNeighbourPolicyIsPerVpcAndUnspecifiedMeansProactive() {
        HostState s = new HostState();
        VpcState onDemand = vpc("big", 7).toBuilder().setNeighborPolicy(NeighborPolicy.ON_DEMAND).build();
        s.apply(snapshot(1).toBuilder().putVpcs("big", onDemand)
                .putVpcs("small", vpc("small", 8).toBuilder().setNeighborPolicy(NeighborPolicy.PROACTIVE).build()).build());
        assertTrue(s.isOnDemand("big"));
        assertEquals(NeighborPolicy.PROACTIVE, s.neighborPolicy("small"));
        assertEquals(NeighborPolicy.PROACTIVE, s.neighborPolicy("v"), "unspecified");
        assertEquals(NeighborPolicy.PROACTIVE, s.neighborPolicy("unknown"));
        s.apply(GoalState.newBuilder().setVersion(2).putVpcs("big", onDemand.toBuilder().setNeighborPolicy(NeighborPolicy.PROACTIVE).build()).build());
        assertFalse(s.isOnDemand("big"), "a VPC may change policy");
    }

    @Test
    void newsAboutAnAddressEndsItsSuppression() {
        HostState s = new HostState();
        s.apply(snapshot(1));
        s.suppressedSources.add("v/10.0.0.7", 0);
        s.suppressedSources.add("v/10.0.0.8", 0);
        s.apply(delta(2, NeighborTables.of("v").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2").delete("10.0.0.8").build()));
        assertEquals(0, s.suppressedSources.size());
    }

    @Test
    void anAddressIsKnownFromANeighbourOrAPortOfTheSameVpc() {
        HostState s = new HostState();
        s.apply(snapshot(1).toBuilder().addNeighborTables(NeighborTables.of("v").put("10.0.0.7", "fa:16:3e:00:00:07", "172.31.250.2").build()).build());
        assertTrue(s.knowsAddress("v", "10.0.0.7"));
        assertTrue(s.knowsAddress("v", "10.0.0.1"), "a port's address");
        assertFalse(s.knowsAddress("w", "10.0.0.1"), "the same address in another VPC");
        assertFalse(s.knowsAddress("v", "10.0.0.99"));
    }
}
