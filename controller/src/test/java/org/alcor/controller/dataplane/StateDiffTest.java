package org.alcor.controller.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Message;
import java.util.Map;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.ResourceType;
import org.junit.jupiter.api.Test;

class StateDiffTest {
    private static final StateKey A = new StateKey(ResourceType.PORT, "a"), B = new StateKey(ResourceType.PORT, "b"),
            C = new StateKey(ResourceType.PORT, "c");

    private static PortState port(String id, String mac) { return PortState.newBuilder().setId(id).setMac(mac).build(); }

    @Test
    void newChangedAndGoneStatesBecomeCreateUpdateAndDelete() {
        Map<StateKey, Message> sent = Map.of(A, port("a", "m1"), B, port("b", "m1"));
        Map<StateKey, Message> desired = Map.of(A, port("a", "m1"), B, port("b", "m2"), C, port("c", "m1"));
        var out = new GoalStateAssembler();
        assertEquals(2, StateDiff.diff(sent, desired, out));
        var ports = out.builder().getPortsMap();
        assertEquals(Operation.UPDATE, ports.get("b").getOp());
        assertEquals("m2", ports.get("b").getMac());
        assertEquals(Operation.CREATE, ports.get("c").getOp());
        assertEquals(2, ports.size(), "an unchanged state is not sent");

        var back = new GoalStateAssembler();
        StateDiff.diff(desired, Map.of(A, port("a", "m1")), back);
        assertEquals(Operation.DELETE, back.builder().getPortsMap().get("c").getOp());
        assertEquals(Operation.DELETE, back.builder().getPortsMap().get("b").getOp());
    }

    @Test
    void anEmptyDeltaIsNotSentButAnEmptySnapshotIs() {
        assertEquals(true, new GoalStateAssembler().isEmpty());
        assertEquals(false, new GoalStateAssembler().fullSnapshot().isEmpty());
    }
}
