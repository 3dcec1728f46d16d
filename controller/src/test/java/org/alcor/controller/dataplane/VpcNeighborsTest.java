package org.alcor.controller.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.alcor.controller.core.Resource;
import org.alcor.proto.Operation;
import org.junit.jupiter.api.Test;

class VpcNeighborsTest {
    private static Resource port(String id, String ip, String host) {
        return new Resource(Map.of("id", id, "network_id", "vpc", "mac_address", "fa:16:3e:00:00:01", "binding:host_id", host,
                "fixed_ips", List.of(Map.of("subnet_id", "s", "ip_address", ip))));
    }

    @Test
    void aNewPortIsOneCreateAndTheSameStateAgainIsNothing() {
        var vpc = new VpcNeighbors("vpc", 10);
        var changes = vpc.apply("p1", port("p1", "10.0.0.5", "h1"), 7, "192.0.2.1");
        assertEquals(1, changes.size());
        assertEquals(Operation.CREATE, changes.getFirst().state().getOp());
        assertEquals(7, changes.getFirst().state().getVni());
        assertEquals("vpc/10.0.0.5", changes.getFirst().key());
        assertEquals(List.of(), vpc.apply("p1", port("p1", "10.0.0.5", "h1"), 7, "192.0.2.1"));
    }

    @Test
    void aMovedPortIsAnUpdateAndAnUnboundPortADelete() {
        var vpc = new VpcNeighbors("vpc", 10);
        vpc.apply("p1", port("p1", "10.0.0.5", "h1"), 7, "192.0.2.1");
        var moved = vpc.apply("p1", port("p1", "10.0.0.5", "h2"), 7, "192.0.2.2");
        assertEquals(Operation.UPDATE, moved.getFirst().state().getOp());
        assertEquals("192.0.2.2", vpc.lookup("10.0.0.5").getHostUnderlayIp());
        var gone = vpc.apply("p1", null, 7, null);
        assertEquals(Operation.DELETE, gone.getFirst().state().getOp());
        assertNull(vpc.lookup("10.0.0.5"));
    }

    @Test
    void pastThePushLimitNewEntriesAreNotPushedButDeletesAre() {
        var vpc = new VpcNeighbors("vpc", 1);
        assertEquals(1, vpc.apply("p1", port("p1", "10.0.0.5", "h1"), 7, "192.0.2.1").size());
        assertEquals(List.of(), vpc.apply("p2", port("p2", "10.0.0.6", "h1"), 7, "192.0.2.1"), "second entry: on demand");
        assertTrue(vpc.lookup("10.0.0.6") != null, "but it can be looked up");
        assertEquals(Operation.DELETE, vpc.apply("p2", null, 7, null).getFirst().state().getOp());
    }

    @Test
    void aJoiningHostGetsTheWholeTableOnlyWhileProactive() {
        var vpc = new VpcNeighbors("vpc", 2);
        vpc.apply("p1", port("p1", "10.0.0.5", "h1"), 7, "192.0.2.1");
        vpc.apply("p2", port("p2", "10.0.0.6", "h1"), 7, "192.0.2.1");
        var out = new GoalStateAssembler();
        vpc.snapshotInto(out);
        assertEquals(2, out.builder().getNeighborsCount());
        vpc.apply("p3", port("p3", "10.0.0.7", "h1"), 7, "192.0.2.1");
        var after = new GoalStateAssembler();
        vpc.snapshotInto(after);
        assertEquals(0, after.builder().getNeighborsCount());
    }
}
