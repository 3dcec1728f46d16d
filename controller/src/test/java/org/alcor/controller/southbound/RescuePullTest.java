package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.alcor.bench.southbound.AppliedState;
import org.alcor.controller.dataplane.FullRecompute;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.GoalState;
import org.alcor.proto.GoalStateServiceGrpc;
import org.alcor.proto.PullRequest;
import org.junit.jupiter.api.Test;

/**
 * The rescue path's answer (PullGoalState): a host's whole goal state as a snapshot in parts outside its versions,
 * equal to a full recompute, even when it does not fit one message; a host with nothing gets an empty snapshot.
 */
class RescuePullTest {
    private static final int PUSH_LIMIT = 4;

    @Test
    void aPulledGoalStateEqualsAFullRecompute() {
        // 1 KiB messages: a host with a dozen ports and its neighbours needs several parts.
        var settings = new SouthboundSettings("127.0.0.1", 0, 4, 1024, PUSH_LIMIT, 300_000);
        try (var controller = TestController.start(settings); var f = new SouthboundFixture(controller)) {
            controller.admin().registerHost("rescued", "192.0.2.80");
            controller.admin().registerHost("other", "192.0.2.81");
            controller.admin().registerHost("empty", "192.0.2.82");
            var small = f.network("10.66.0.0/24");   // PROACTIVE: every neighbour is in the snapshot
            var large = f.network("10.67.0.0/24");   // past the push limit: ON_DEMAND
            List<Object> own = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                own.add(f.port(small.get("id"), "rescued").get("id"));
                f.port(small.get("id"), "other");
            }
            for (int i = 0; i < 8; i++) {
                var p = f.port(large.get("id"), i % 2 == 0 ? "rescued" : "other");
                if (i % 2 == 0) own.add(p.get("id"));
            }

            var stub = GoalStateServiceGrpc.newBlockingStub(f.channel());
            List<GoalState> parts = pull(stub, "rescued");
            assertTrue(parts.size() > 1, "the snapshot came in parts: " + parts.size());
            assertTrue(parts.get(0).getFullSnapshot() && !parts.get(parts.size() - 1).getMoreParts(), "first part full, last part last");
            assertTrue(parts.stream().allMatch(p -> p.getVersion() == 0 && p.getEpoch().isEmpty()), "outside the host's versions");
            AppliedState state = new AppliedState();
            parts.forEach(state::apply);
            assertTrue(state.keys("port").containsAll(own), "the host's seven ports");

            try (var recompute = new FullRecompute(controller.app().store(), PUSH_LIMIT, List.of("rescued", "empty"))) {
                Await.until("the recompute has the host's snapshot", Duration.ofSeconds(60), recompute::loaded);
                assertEquals(List.of(), recompute.differences("rescued", state));
                AppliedState nothing = new AppliedState();
                pull(stub, "empty").forEach(nothing::apply);
                assertEquals(0, nothing.size(), "a host without ports is told to hold nothing");
                assertEquals(List.of(), recompute.differences("empty", nothing));
            }
        }
    }

    private static List<GoalState> pull(GoalStateServiceGrpc.GoalStateServiceBlockingStub stub, String host) {
        List<GoalState> parts = new ArrayList<>();
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).pullGoalState(PullRequest.newBuilder().setHostId(host).build()).forEachRemaining(parts::add);
        return parts;
    }
}
