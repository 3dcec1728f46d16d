package org.alcor.bench.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentLinesTest {
    /** Records events as text, so a round trip compares as one list. */
    private static final class Recorder implements ShareEvents {
        final List<String> seen = new ArrayList<>();

        @Override public void connected(int agents) { seen.add("connected " + agents); }

        @Override public void failed(String message) { seen.add("failed " + message); }

        @Override public void held(long ports, long lastNanos) { seen.add("held " + ports + " " + lastNanos); }

        @Override public void portArrived(String portId, long nanos) { seen.add("port " + portId + " " + nanos); }

        @Override public void policy(int proactive, int onDemand) { seen.add("policy " + proactive + " " + onDemand); }

        @Override public void fanOut(FanOut kind, int hosts, long lastNanos) { seen.add("fanout " + kind + " " + hosts + " " + lastNanos); }
    }

    @Test
    void everyEventSurvivesTheLineRoundTrip() {
        Recorder direct = new Recorder(), decoded = new Recorder();
        List<String> lines = new ArrayList<>();
        ShareEvents writer = AgentLines.writer(lines::add);
        for (ShareEvents e : List.of(direct, writer)) {
            e.connected(12);
            e.held(1_000_000, -5_123_456_789L);
            e.portArrived("5b1f0c1e-0000-4000-8000-000000000001", 42);
            e.policy(3, 9);
            e.fanOut(ShareEvents.FanOut.CREATE, 7, 99);
            e.fanOut(ShareEvents.FanOut.DELETE, 8, 100);
            e.failed("the goal-state stream of host h failed: UNAVAILABLE: io exception");
        }
        for (String l : lines) AgentLines.dispatch(l, decoded);
        assertEquals(direct.seen, decoded.seen);
    }

    @Test
    void aFailureMessageStaysOnOneLine() {
        List<String> lines = new ArrayList<>();
        AgentLines.writer(lines::add).failed("first\nsecond");
        assertEquals(List.of("failed first second"), lines);
    }

    @Test
    void repliesAreNotEvents() {
        Recorder r = new Recorder();
        assertFalse(AgentLines.dispatch("ok totals", r));
        assertFalse(AgentLines.dispatch("clock 12", r));
        assertFalse(AgentLines.dispatch("host 1 NORMAL 2 3 4", r));
        assertEquals(List.of(), r.seen);
    }

    @Test
    void hostsAndTotalsRoundTrip() {
        HostSpec h = new HostSpec(17, "sim-abc-17", "198.18.0.17", SimulatedAgent.Reading.STUCK);
        assertEquals(h, AgentLines.parseHost(AgentLines.host(h).split(" ")));
        HostTotals t = new HostTotals(17, SimulatedAgent.Reading.SLOW, 3, 4_000_000_000L, 5, 6, 7_000_000_000L);
        assertEquals(t, AgentLines.parseTotals(AgentLines.totals(t).split(" ")));
    }
}
