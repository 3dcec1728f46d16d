package org.alcor.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.alcor.agent.AgentConfig;
import org.alcor.agent.HostAgent;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Reconciliation with real agents on real OVS, every second: the digests of agents that hold what they were sent
 * agree with the controller's record (no repairs, however many periods pass); a flow deleted behind the agent's back
 * (an ARP responder entry of a neighbour) and a foreign flow that drops everything are repaired within a period,
 * and the VMs ping again; the repair is reported to the controller's /metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconciliationEndToEndTest {
    private static final Duration PROGRAMMED = Duration.ofSeconds(30);
    private static final long PERIOD_MILLIS = 1_000;

    private OvsLab lab;
    private OvsLab.Host h1, h2;
    private E2eController controller;
    private HostAgent a1, a2;
    private OvsLab.Vm vm1, vm2;

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.requireOvsAndRoot();
        try {
            lab = new OvsLab();
            h1 = lab.addHost();
            h2 = lab.addHost();
            lab.connectUnderlay();
            controller = E2eController.start();
            a1 = agent(h1);
            a2 = agent(h2);
            var net = controller.admin.createNetwork(Map.of("name", "reconcile-net"));
            controller.admin.createSubnet((String) net.get("id"), "10.61.1.0/24");
            vm1 = vm(h1, "vm1", net.get("id"));
            vm2 = vm(h2, "vm2", net.get("id"));
            for (OvsLab.Vm vm : List.of(vm1, vm2)) {
                Wait.until(PROGRAMMED, vm.name + " gets its address from its host's DHCP responder", () -> {
                    try {
                        return ip(vm).equals(vm.dhcp().get("ip"));
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
            }
        } catch (Throwable t) {
            tearDown();
            throw t;
        }
    }

    private HostAgent agent(OvsLab.Host h) throws Exception {
        AgentConfig cfg = new AgentConfig("host-" + h.n, h.ovsDb(), "br-int", h.underlayIp, AgentConfig.defaultOpenflowSocket(h.ovsDb(), "br-int"),
                "netdev", 50_000, 30_000).withReconcileMillis(PERIOD_MILLIS);
        HostAgent a = new HostAgent(cfg, "127.0.0.1", controller.southboundPort(), "e2e", controller.credentials(cfg.hostId()));
        a.start();
        return a;
    }

    private OvsLab.Vm vm(OvsLab.Host h, String name, Object networkId) {
        var port = controller.admin.createPort(Map.of("network_id", networkId, "binding:host_id", "host-" + h.n, "name", name));
        return lab.addVm(h, name, (String) port.get("mac_address"), (String) port.get("id"));
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (a1 != null) a1.close();
            if (a2 != null) a2.close();
        } finally {
            try {
                if (controller != null) controller.close();
            } finally {
                if (lab != null) lab.close();
            }
        }
    }

    private String ip(OvsLab.Vm vm) {
        String iface = vm.host.vsctl("get", "interface", vm.tap, "external_ids:iface-id").trim().replace("\"", "");
        @SuppressWarnings("unchecked")
        var ips = (List<Map<String, Object>>) controller.admin.get("/v2.0/ports/" + iface).member("port").get("fixed_ips");
        return (String) ips.get(0).get("ip_address");
    }

    private double metric(String prefix) {
        return controller.admin.get("/metrics").raw().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** br-int's flows without counters and ages. */
    private static TreeSet<String> flows(OvsLab.Host h) {
        TreeSet<String> out = new TreeSet<>();
        for (String line : h.ofctl("dump-flows").split("\n")) {
            if (!line.contains("cookie=")) continue;
            out.add(line.replaceAll("\\b(duration|n_packets|n_bytes|idle_age|hard_age)=[^,]*, ?", "").trim());
        }
        return out;
    }

    @Test
    @Order(1)
    void digestsOfAgentsThatHoldWhatTheyWereSentAgree() {
        Wait.until(PROGRAMMED, "vm1 pings vm2", () -> vm1.ping(ip(vm2), 1));
        double compared = metric("alcor_southbound_digests_total{outcome=\"compared\"");
        long r1 = a1.core().reconciliations(), r2 = a2.core().reconciliations();
        Wait.until(PROGRAMMED, "three more reconciliations of each agent, compared", () -> a1.core().reconciliations() >= r1 + 3
                && a2.core().reconciliations() >= r2 + 3 && metric("alcor_southbound_digests_total{outcome=\"compared\"") >= compared + 4);
        assertEquals(0, metric("alcor_southbound_repairs_total{kind=\"agent_state\""), "real agents' digests equal the controller's record");
        assertEquals(0, a1.core().flowRepairs() + a2.core().flowRepairs(), "nothing touched the switches");
    }

    @Test
    @Order(2)
    void aDeletedFlowIsReinstalledWithinAPeriod() {
        TreeSet<String> before = flows(h1);
        String arp = before.stream().filter(l -> l.contains("arp_tpa=" + ip(vm2))).findFirst().orElseThrow(() ->
                new AssertionError("no ARP responder flow for vm2 on host 1: " + before));
        String cookie = arp.replaceAll(".*cookie=(0x[0-9a-f]+).*", "$1");
        h1.ofctl("del-flows", "cookie=" + cookie + "/-1");
        assertTrue(!flows(h1).equals(before), "the flow is gone");
        Wait.until(PROGRAMMED, "host 1's flows are what they were", () -> flows(h1).equals(before));
        assertTrue(a1.core().flowRepairs() >= 1);
        Wait.until(PROGRAMMED, "the repair is reported to the controller", () -> metric("alcor_southbound_repairs_total{kind=\"agent_flows\"") >= 1);
        assertTrue(vm1.ping(ip(vm2), 3), "vm1 resolves and reaches vm2");
    }

    @Test
    @Order(3)
    void aForeignFlowThatDropsEverythingIsRemovedWithinAPeriod() {
        TreeSet<String> before = flows(h1);
        h1.ofctl("add-flow", "table=0,priority=65535,actions=drop");
        assertTrue(!flows(h1).equals(before), "the foreign flow is in");
        Wait.until(PROGRAMMED, "host 1's flows are what they were", () -> flows(h1).equals(before));
        assertTrue(vm1.ping(ip(vm2), 3), "traffic flows again");
        assertEquals(0, metric("alcor_southbound_repairs_total{kind=\"agent_state\""), "the goal states never differed");
    }
}
