package org.alcor.agent.state;

import org.alcor.proto.GatewayState;
import org.alcor.proto.GoalState;
import org.alcor.proto.Operation;
import org.alcor.proto.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

class HostStateTest {
    static GoalState snapshot(long v) {
        return GoalState.newBuilder().setVersion(v).setFullSnapshot(true).putVpcs("v", vpc("v", 5))
                .putPorts("p1", port("p1", "v", "s", "fa:16:3e:00:00:01", "10.0.0.1", "h"))
                .putPorts("p2", port("p2", "v", "s", "fa:16:3e:00:00:02", "10.0.0.2", "h")).build();
    }

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
        List<HostState.Touched> t = s.apply(GoalState.newBuilder().setVersion(2)
                .putPorts("p1", s.ports.get("p1").toBuilder().setOp(Operation.DELETE).build())
                .putPorts("p3", port("p3", "v", "s", "fa:16:3e:00:00:03", "10.0.0.3", "h"))
                .putGateways("g", GatewayState.newBuilder().setId("g").setOp(Operation.CREATE).build()).build());
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
}
