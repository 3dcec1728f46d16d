package org.alcor.agent.dataplane;

import org.alcor.agent.NeighborLookup;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.Sh;
import org.alcor.agent.lab.TestAgent;
import org.alcor.proto.Direction;
import org.alcor.proto.GoalState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Agent-side provisioning latency: interface plugged first (as Nova does), then the goal-state deltas for the
 * new port (its host) and its neighbor entry (the peer's host) are submitted; the clock stops at the first
 * ping reply from the new VM to a VM on the other host (ping every 5 ms). A benchmark, not a CI test:
 * {@code -Dalcor.bench=true -Dalcor.bench.ports=50 [-Dalcor.bench.arpRetransMs=10]}: a VM that ARPs before its port
 * is programmed waits for the kernel's ARP retransmission (1 s by default), which the second setting shortens.
 */
class ProvisioningLatencyBench {
    @Test
    void newPortToFirstPingAcrossHosts() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("alcor.bench"), "benchmark: -Dalcor.bench=true");
        OvsLab.requireOvsAndRoot();
        int n = Integer.getInteger("alcor.bench.ports", 50);
        try (OvsLab lab = new OvsLab()) {
            OvsLab.Host h1 = lab.addHost(), h2 = lab.addHost();
            lab.connectUnderlay();
            try (TestAgent a1 = new TestAgent(h1, NeighborLookup.NONE); TestAgent a2 = new TestAgent(h2, NeighborLookup.NONE)) {
                var sgs = sg("sg", rule("e", Direction.EGRESS, "", ""), rule("i", Direction.INGRESS, "icmp", ""));
                String macA = "fa:16:3e:10:00:01", ipA = "10.7.0.2";
                OvsLab.Vm vmA = lab.addVm(h1, "va", macA, "pa");
                vmA.exec("ip", "addr", "add", ipA + "/16", "dev", "eth0");
                GoalState.Builder base = GoalState.newBuilder().setFullSnapshot(true).setVersion(1).putVpcs("v", vpc("v", 77))
                        .putSubnets("s", subnet("s", "v", "10.7.0.0/16", "10.7.0.1")).putSecurityGroups("sg", sgs);
                a1.core.submit(base.clone().putPorts("pa", port("pa", "v", "s", macA, ipA, "host-1", "sg")).build());
                a2.core.submit(base.clone().putNeighbors("v/" + ipA, neighbor("v", 77, "s", "pa", macA, ipA, h1.underlayIp)).build());
                a1.awaitApplied(1, "pa");
                a2.awaitApplied(1);
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String mac = String.format("fa:16:3e:20:%02x:%02x", i / 256, i % 256), ip = "10.7.1." + (i + 10), id = "p" + i;
                    OvsLab.Vm vm = lab.addVm(h2, "v" + i, mac, id);
                    vm.exec("ip", "addr", "add", ip + "/16", "dev", "eth0");
                    if (Integer.getInteger("alcor.bench.arpRetransMs") != null) {
                        vm.exec("sysctl", "-qw", "net.ipv4.neigh.eth0.retrans_time_ms=" + Integer.getInteger("alcor.bench.arpRetransMs"),
                                "net.ipv4.neigh.eth0.mcast_solicit=100");
                    }
                    long t0 = System.nanoTime();
                    a2.core.submit(GoalState.newBuilder().setVersion(i + 2).putPorts(id, port(id, "v", "s", mac, ip, "host-2", "sg")).build());
                    a1.core.submit(GoalState.newBuilder().setVersion(i + 2).putNeighbors("v/" + ip, neighbor("v", 77, "s", id, mac, ip, h2.underlayIp)).build());
                    Sh.Result r = Sh.run(List.of("ip", "netns", "exec", vm.ns, "ping", "-i", "0.005", "-c", "1", "-w", "10", ipA), 20);
                    double t = (System.nanoTime() - t0) / 1e6;
                    assertTrue(r.ok(), r.out());
                    ms.add(t);
                }
                Collections.sort(ms);
                System.out.printf("provisioning (agent side, %d ports): p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n", n,
                        ms.get(n / 2), ms.get((int) (n * 0.9)), ms.get(Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)), ms.get(n - 1));
            }
        }
    }
}
