package org.alcor.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.alcor.agent.AgentConfig;
import org.alcor.agent.HostAgent;
import org.alcor.agent.Main;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.Wait;
import org.alcor.agent.southbound.SouthboundTlsFiles;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.OpenStackCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults under a real agent process on real OVS: kill -9 of the agent while the controller's state changes, and a
 * restart of ovs-vswitchd under a running agent with a change made while it is down. After each, host 1's flows
 * (ovs-ofctl's dump, counters left out) must be exactly those a fresh agent programs on an empty bridge from the
 * same state, and the VMs ping each other. How long the restarted agent took from its Hello to the acked state is
 * printed (docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentFaultsEndToEndTest {
    private static final Duration PROGRAMMED = Duration.ofSeconds(30);

    private OvsLab lab;
    private OvsLab.Host h1, h2;
    private E2eController controller;
    private NeutronClient api;
    private OpenStackCli cli;
    private AgentProcess a1;
    private HostAgent a2;
    private String networkId, subnetId;
    private OvsLab.Vm vm1, vm2;
    private final List<String> h1Ports = new ArrayList<>();

    /** host 1's agent as bin/alcor agent runs it: its own JVM, which kill -9 ends without a word. */
    private final class AgentProcess implements AutoCloseable {
        final Process process;
        final long started = System.nanoTime();

        AgentProcess(String log) throws IOException {
            SouthboundTlsFiles tls = controller.credentials("host-" + h1.n);
            List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--host-id", "host-" + h1.n, "--controller", "127.0.0.1:" + controller.southboundPort(),
                    "--ovs-db", h1.ovsDb(), "--bridge", "br-int", "--underlay-ip", h1.underlayIp, "--datapath-type", "netdev",
                    "--cert", tls.cert().toString(), "--key", tls.key().toString(), "--ca", tls.ca().toString());
            Path out = controller.scratchDir().resolve(log);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the agent process ended");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: its shutdown hook closes the agent
            if (!process.waitFor(30, TimeUnit.SECONDS)) kill9();
        }
    }

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.requireOvsAndRoot();
        OpenStackCli.requireInstalled();
        try {
            lab = new OvsLab();
            h1 = lab.addHost();
            h2 = lab.addHost();
            lab.connectUnderlay();
            controller = E2eController.start();
            api = controller.admin;
            cli = new OpenStackCli(controller.baseUrl(), controller.scratchDir());
            a1 = new AgentProcess("agent-1.log");
            AgentConfig cfg = new AgentConfig("host-" + h2.n, h2.ovsDb(), "br-int", h2.underlayIp,
                    AgentConfig.defaultOpenflowSocket(h2.ovsDb(), "br-int"), "netdev", 50_000, 30_000);
            a2 = new HostAgent(cfg, "127.0.0.1", controller.southboundPort(), "e2e", controller.credentials(cfg.hostId()));
            a2.start();
            awaitConnected("host-" + h1.n);
            awaitConnected("host-" + h2.n);
            networkId = cli.run("network", "create", "faults-net", "-f", "json").json().get("id").asText();
            subnetId = cli.run("subnet", "create", "--network", networkId, "--subnet-range", "10.60.1.0/24", "faults-s1", "-f", "json")
                    .json().get("id").asText();
        } catch (Throwable t) {
            tearDown();
            throw t;
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        try {
            if (a1 != null) a1.close();
        } finally {
            try {
                if (a2 != null) a2.close();
            } finally {
                try {
                    if (controller != null) controller.close();
                } finally {
                    if (lab != null) lab.close();
                }
            }
        }
    }

    /** A port of the default security group (conntrack flows) bound to h and a VM namespace plugged for it. */
    private OvsLab.Vm vm(OvsLab.Host h, String name) { return plug(h, name, port(h, name)); }

    private String port(OvsLab.Host h, String name) {
        String id = cli.run("port", "create", "--network", networkId, "--fixed-ip", "subnet=" + subnetId, "--host", "host-" + h.n,
                name, "-f", "json").json().get("id").asText();
        if (h == h1) h1Ports.add(id);
        return id;
    }

    private OvsLab.Vm plug(OvsLab.Host h, String name, String portId) {
        return lab.addVm(h, name, (String) api.get("/v2.0/ports/" + portId).member("port").get("mac_address"), portId);
    }

    private String ip(OvsLab.Vm vm) {
        @SuppressWarnings("unchecked")
        var ips = (List<Map<String, Object>>) portOf(vm).get("fixed_ips");
        return (String) ips.get(0).get("ip_address");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> portOf(OvsLab.Vm vm) {
        String iface = vm.host.vsctl("get", "interface", vm.tap, "external_ids:iface-id").trim().replace("\"", "");
        return api.get("/v2.0/ports/" + iface).member("port");
    }

    private void awaitActive(OvsLab.Vm vm) {
        Wait.until(PROGRAMMED, vm.name + " ACTIVE", () -> "ACTIVE".equals(portOf(vm).get("status")));
    }

    /** ACTIVE, and its address from its host's DHCP responder. */
    private void awaitUp(OvsLab.Vm vm) throws IOException {
        awaitActive(vm);
        assertEquals(ip(vm), vm.dhcp().get("ip"), vm.name + "'s lease");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> southbound(String hostId) {
        for (Map<String, Object> h : (List<Map<String, Object>>) api.get("/southbound/hosts").json().get("hosts")) {
            if (hostId.equals(h.get("host_id"))) return h;
        }
        return Map.of();
    }

    private void awaitConnected(String hostId) {
        Wait.until(PROGRAMMED, hostId + " connected", () -> Boolean.TRUE.equals(southbound(hostId).get("connected")));
    }

    /** Connected, every goal state sent acked, and every port of host 1 acked ACTIVE. */
    private boolean h1Acked() {
        Map<String, Object> s = southbound("host-" + h1.n);
        if (!Boolean.TRUE.equals(s.get("connected")) || ((Number) s.get("lag")).longValue() != 0) return false;
        for (String id : h1Ports) if (!"ACTIVE".equals(api.get("/v2.0/ports/" + id).member("port").get("status"))) return false;
        return true;
    }

    /** ovs-ofctl's flows of br-int without counters and ages: what was programmed, not what happened since. */
    private static TreeSet<String> flows(OvsLab.Host h) {
        TreeSet<String> out = new TreeSet<>();
        for (String line : h.ofctl("dump-flows").split("\n")) {
            if (!line.contains("cookie=")) continue;
            out.add(line.replaceAll("\\b(duration|n_packets|n_bytes|idle_age|hard_age)=[^,]*, ?", "").trim());
        }
        return out;
    }

    /** The same flows twice in a row with everything acked: the agent is done. */
    private TreeSet<String> settledFlows() {
        List<TreeSet<String>> last = new ArrayList<>(List.of(new TreeSet<>()));
        Wait.until(PROGRAMMED, "host 1 acked and its flows settled", () -> {
            if (!h1Acked()) return false;
            TreeSet<String> now = flows(h1);
            boolean same = !now.isEmpty() && now.equals(last.get(0));
            last.set(0, now);
            return same;
        });
        return last.get(0);
    }

    /**
     * The reference: the agent stopped, br-int's flows deleted, a fresh agent started on the same state. Its flows
     * must come to equal what host 1 had.
     */
    private void assertAFreshAgentProgramsTheSame(TreeSet<String> expected, String what) throws Exception {
        a1.close();
        h1.ofctl("del-flows", "br-int");
        a1 = new AgentProcess("agent-reference-" + what + ".log");
        try {
            Wait.until(PROGRAMMED, "a fresh agent's flows equal those after " + what, () -> h1Acked() && flows(h1).equals(expected));
        } catch (AssertionError e) {
            TreeSet<String> fresh = flows(h1), missing = new TreeSet<>(fresh), extra = new TreeSet<>(expected);
            missing.removeAll(expected);
            extra.removeAll(fresh);
            throw new AssertionError(e.getMessage() + "\nflows after " + what + " that a fresh agent does not program: " + extra
                    + "\nflows a fresh agent programs that were missing: " + missing);
        }
    }

    @Test @Order(1)
    void anAgentKilledWithSigkillWhileTheStateChangesConvergesToWhatAFreshAgentPrograms() throws Exception {
        vm1 = vm(h1, "vm1");
        vm2 = vm(h2, "vm2");
        awaitUp(vm1);
        awaitUp(vm2);
        Wait.until(PROGRAMMED, "vm1 pings vm2", () -> vm1.ping(ip(vm2), 1));
        settledFlows();

        a1.kill9();
        Wait.until(PROGRAMMED, "the controller sees host 1 gone", () -> !Boolean.TRUE.equals(southbound("host-" + h1.n).get("connected")));
        // While it is dead: a port of its own, a rule, a port deleted, and (last) a port on host 2 whose ACTIVE
        // says the engine has taken every change before it.
        OvsLab.Vm vm3 = vm(h1, "vm3");
        String groupId = (String) ((List<?>) portOf(vm1).get("security_groups")).get(0);
        cli.run("security", "group", "rule", "create", "--ingress", "--protocol", "tcp", "--dst-port", "8080", groupId, "-f", "json");
        OvsLab.Vm doomed = vm(h2, "vm4");
        awaitActive(doomed);
        cli.run("port", "delete", (String) portOf(doomed).get("id"));
        OvsLab.Vm vm5 = vm(h2, "vm5");
        awaitUp(vm5);

        a1 = new AgentProcess("agent-1-restarted.log");
        long start = a1.started;
        awaitConnected("host-" + h1.n);
        long connected = System.nanoTime();
        Wait.until(PROGRAMMED, "host 1 acked after its restart", this::h1Acked);
        long acked = System.nanoTime();
        System.out.printf("AgentFaultsEndToEndTest: agent restarted after kill -9: Hello %d ms after the process started, "
                + "goal state acked %d ms after the Hello%n", (connected - start) / 1_000_000, (acked - connected) / 1_000_000);
        TreeSet<String> afterKill = settledFlows();
        awaitUp(vm3);
        assertTrue(vm3.ping(ip(vm1), 3), "the port made while the agent was dead forwards");
        assertTrue(vm1.ping(ip(vm5), 3), "and reaches the port made on host 2 meanwhile");
        assertAFreshAgentProgramsTheSame(afterKill, "kill-9");
    }

    @Test @Order(2)
    void aRestartedVswitchdUnderARunningAgentEndsWithWhatAFreshAgentPrograms() throws Exception {
        settledFlows();
        h1.stopVswitchd();
        // While it is down: a port for host 1 and a rule reach the agent, which cannot program them yet.
        String port6 = port(h1, "vm6");
        String groupId = (String) ((List<?>) portOf(vm1).get("security_groups")).get(0);
        cli.run("security", "group", "rule", "create", "--ingress", "--protocol", "udp", "--dst-port", "5353", groupId, "-f", "json");
        h1.startVswitchd();
        OvsLab.Vm vm6 = plug(h1, "vm6", port6);
        long restarted = System.nanoTime();
        Wait.until(PROGRAMMED, "host 1 acked after vswitchd came back", this::h1Acked);
        System.out.printf("AgentFaultsEndToEndTest: vswitchd restarted: host 1 acked %d ms after it was started again%n",
                (System.nanoTime() - restarted) / 1_000_000);
        TreeSet<String> afterRestart = settledFlows();
        awaitUp(vm6);
        Wait.until(PROGRAMMED, "vm6 pings vm2", () -> vm6.ping(ip(vm2), 1));
        assertTrue(vm1.ping(ip(vm2), 3), "the ports from before forward again");
        assertAFreshAgentProgramsTheSame(afterRestart, "vswitchd-restart");
        assertEquals(afterRestart, flows(h1));
    }
}
