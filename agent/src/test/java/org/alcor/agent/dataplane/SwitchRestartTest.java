package org.alcor.agent.dataplane;

import org.alcor.agent.NeighborLookup;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.TestAgent;
import org.alcor.agent.lab.Wait;
import org.alcor.proto.GoalState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

/** vswitchd dies and comes back (with an empty flow table): the agent reports, reconnects and reprograms. */
class SwitchRestartTest {
    @Test
    void aRestartedVswitchdIsReprogrammedAndTheFailureWasReportedPerResource() throws Exception {
        OvsLab.requireOvsAndRoot();
        try (OvsLab lab = new OvsLab()) {
            OvsLab.Host h = lab.addHost();
            try (TestAgent a = new TestAgent(h, NeighborLookup.NONE)) {
                lab.addVm(h, "vm1", "fa:16:3e:00:05:01", "p1");
                a.core.submit(GoalState.newBuilder().setVersion(1).setFullSnapshot(true).putVpcs("v", vpc("v", 7))
                        .putSubnets("s", subnet("s", "v", "10.5.0.0/24", "10.5.0.1"))
                        .putPorts("p1", port("p1", "v", "s", "fa:16:3e:00:05:01", "10.5.0.11", "host-" + h.n)).build());
                a.awaitApplied(1, "p1");
                int flows = a.core.desiredFlowCount();
                h.stopVswitchd();
                a.core.submit(GoalState.newBuilder().setVersion(2).putSecurityGroups("sg", sg("sg")).build());
                Wait.until(Duration.ofSeconds(15), "an error ack for v2", () -> a.acks().stream()
                        .anyMatch(x -> x.getVersion() == 2 && x.getResultsList().stream().anyMatch(r -> !r.getOk() && !r.getError().isEmpty())));
                h.startVswitchd();
                long t0 = System.nanoTime();
                try {
                    a.awaitApplied(2);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms; flows now: " + h.ofctl("dump-flows"));
                }
                Wait.until(Duration.ofSeconds(10), "all flows back", () -> h.ofctl("dump-flows").lines().filter(l -> l.contains("cookie=")).count() == flows);
            }
        }
    }
}
