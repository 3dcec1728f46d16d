package org.alcor.agent.e2e;

import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.OpenStackCli;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 5, end to end: a real controller (Ignite with persistence, REST, gRPC southbound) in this JVM, two
 * simulated hosts (OvsLab: namespaces with their own ovsdb-server and userspace vswitchd, a VXLAN underlay), and
 * on each a real agent wired as {@code bin/alcor agent} wires it (HostAgent: stream client + core), running in
 * this JVM's root namespace and reaching its vswitchd through the bridge's mgmt unix socket and the controller on
 * 127.0.0.1. Everything is created through the Neutron API: networks, subnets and ports with the real OpenStack
 * CLI, the rest over HTTP. VMs are namespaces plugged into br-int with iface-id = port id, as Nova plugs them,
 * and get their addresses from the agents' DHCP with udhcpc.
 *
 * <p>The L2 ports are created with port security off, so the L2 methods test switching, tunnelling and DHCP
 * alone; the security-group methods (the project's default group, whose same-group rule needs the other host's
 * member as an INFO port; a custom group whose ICMP ingress rule is removed and added back) and the router method
 * use ports with port security on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerAgentsEndToEndTest {
    static final Duration PROGRAMMED = Duration.ofSeconds(20);

    OvsLab lab;
    OvsLab.Host h1, h2;
    E2eController controller;
    NeutronClient api;
    OpenStackCli cli;
    HostAgent a1, a2;
    String networkId, subnet1Id;
    VmPort p1, p2;

    /** A Neutron port and the VM namespace plugged for it. */
    record VmPort(String id, String mac, String ip, OvsLab.Vm vm) {}

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
            a1 = startAgent(h1);
            a2 = startAgent(h2);
            awaitHostRegistered(h1);
            awaitHostRegistered(h2);
            networkId = cli.run("network", "create", "e2e-net", "-f", "json").json().get("id").asText();
            subnet1Id = cli.run("subnet", "create", "--network", networkId, "--subnet-range", "10.50.1.0/24", "e2e-s1", "-f", "json")
                    .json().get("id").asText();
            p1 = createAndPlug(h1, "vm1", subnet1Id, "--disable-port-security");
            p2 = createAndPlug(h2, "vm2", subnet1Id, "--disable-port-security");
        } catch (Throwable t) {
            tearDown();
            throw t;
        }
    }

    @AfterAll
    void tearDown() {
        // each step runs whatever the one before did; the lab's shutdown hook covers a killed JVM
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

    /** The agent of one lab host, configured as Main configures it from its command line. */
    HostAgent startAgent(OvsLab.Host h) throws IOException {
        String ovsDb = h.ovsDb();
        AgentConfig cfg = new AgentConfig("host-" + h.n, ovsDb, "br-int", h.underlayIp, AgentConfig.defaultOpenflowSocket(ovsDb, "br-int"),
                "netdev", 50_000, 30_000);
        // Over mutual TLS, as bin/alcor agent --cert/--key/--ca connects to a controller on its defaults.
        HostAgent agent = new HostAgent(cfg, "127.0.0.1", controller.southboundPort(), "e2e", controller.credentials(cfg.hostId()));
        agent.start();
        return agent;
    }

    /** The agent's Hello registers its host with its underlay address; only then may ports bind to it. */
    void awaitHostRegistered(OvsLab.Host h) {
        Wait.until(Duration.ofSeconds(20), "host-" + h.n + " registered by its agent's Hello", () -> {
            NeutronClient.Response r = api.get("/v2.0/hosts/host-" + h.n);
            return r.status() == 200 && h.underlayIp.equals(r.member("host").get("host_ip"));
        });
    }

    /** openstack port create ... --host host-N, then a VM namespace with the port's MAC plugged with iface-id = port id. */
    VmPort createAndPlug(OvsLab.Host h, String vmName, String subnetId, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("port", "create", "--network", networkId, "--fixed-ip", "subnet=" + subnetId,
                "--host", "host-" + h.n));
        args.addAll(List.of(extra));
        args.addAll(List.of("e2e-" + vmName, "-f", "json"));
        String id = cli.run(args.toArray(String[]::new)).json().get("id").asText();
        Map<String, Object> port = api.get("/v2.0/ports/" + id).member("port");
        assertEquals("host-" + h.n, port.get("binding:host_id"), "bound by --host: " + port);
        @SuppressWarnings("unchecked")
        String ip = (String) ((List<Map<String, Object>>) port.get("fixed_ips")).get(0).get("ip_address");
        String mac = (String) port.get("mac_address");
        return new VmPort(id, mac, ip, lab.addVm(h, vmName, mac, id));
    }

    String status(String portId) {
        NeutronClient.Response r = api.get("/v2.0/ports/" + portId);
        return r.status() == 200 ? (String) r.member("port").get("status") : "HTTP " + r.status();
    }

    void awaitActive(VmPort p) {
        Wait.until(PROGRAMMED, "port " + p.id() + " ACTIVE (acked by its host)", () -> "ACTIVE".equals(status(p.id())));
    }

    void ensureAddress(VmPort p) throws IOException {
        if (p.vm().exec("ip", "-4", "addr", "show", "eth0").contains(p.ip() + "/")) return;
        Map<String, String> lease = p.vm().dhcp();
        assertEquals(p.ip(), lease.get("ip"), p.vm().name + " lease from its host's agent: " + lease);
    }

    void ensureL2() throws IOException {
        awaitActive(p1);
        awaitActive(p2);
        ensureAddress(p1);
        ensureAddress(p2);
    }

    @Test @Order(1)
    void portsBoundToEachHostTurnActiveAndTheirVmsGetTheirAddressesByDhcp() throws IOException {
        awaitActive(p1);
        awaitActive(p2);
        Map<String, Object> port = api.get("/v2.0/ports/" + p1.id()).member("port");
        assertEquals("ovs", port.get("binding:vif_type"), "bound and acked: " + port);
        Map<String, String> lease1 = p1.vm().dhcp();
        assertEquals(p1.ip(), lease1.get("ip"), "vm1 lease: " + lease1);
        assertEquals("24", lease1.get("mask"));
        assertEquals("10.50.1.1", lease1.get("router"), "the subnet's default gateway");
        assertEquals("1450", lease1.get("mtu"), "VXLAN MTU");
        Map<String, String> lease2 = p2.vm().dhcp();
        assertEquals(p2.ip(), lease2.get("ip"), "vm2 lease: " + lease2);
    }

    @Test @Order(2)
    void vmsOnTwoHostsPingEachOther() throws IOException {
        ensureL2();
        Wait.until(PROGRAMMED, "vm1 (host 1) pings vm2 (host 2)", () -> p1.vm().ping(p2.ip(), 1));
        assertTrue(p1.vm().ping(p2.ip(), 3), "vm1 -> vm2");
        assertTrue(p2.vm().ping(p1.ip(), 3), "vm2 -> vm1");
    }

    /** cookie -> the youngest flow's age in seconds, from ovs-ofctl (independent of the agent's own OpenFlow code). */
    static Map<String, Double> flowAges(OvsLab.Host h) {
        Map<String, Double> out = new java.util.HashMap<>();
        Pattern p = Pattern.compile("cookie=(0x[0-9a-f]+), duration=([0-9.]+)s");
        for (String line : h.ofctl("dump-flows").split("\n")) {
            Matcher m = p.matcher(line);
            if (m.find()) out.merge(m.group(1), Double.parseDouble(m.group(2)), Math::min);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> southbound(String hostId) {
        for (Map<String, Object> h : (List<Map<String, Object>>) api.get("/southbound/hosts").json().get("hosts")) {
            if (hostId.equals(h.get("host_id"))) return h;
        }
        return Map.of();
    }

    /** Converged: the controller has nothing unacked for the host and the switch holds exactly the desired flows. */
    boolean converged(HostAgent agent, OvsLab.Host h) {
        Map<String, Object> s = southbound(agent.core().hostId());
        return Boolean.TRUE.equals(s.get("connected")) && ((Number) s.get("lag")).longValue() == 0
                && ((Number) s.get("acked_version")).longValue() == agent.core().appliedVersion()
                && agent.core().appliedVersion() > 0
                && flowAges(h).size() == agent.core().desiredFlowCount();
    }

    @Test @Order(3)
    void aRestartedAgentLosesNoPacketsBetweenUnchangedPortsAndItsFlowsConverge() throws Exception {
        ensureL2();
        Wait.until(PROGRAMMED, "vm1 pings vm2", () -> p1.vm().ping(p2.ip(), 1));
        Wait.until(PROGRAMMED, "host 1 converged before the restart", () -> converged(a1, h1));
        Map<String, Double> before = flowAges(h1);
        // 200 pings, one every 50 ms: the restart below must happen inside these 10 s
        Process ping = new ProcessBuilder("ip", "netns", "exec", p1.vm().ns, "ping", "-c", "200", "-i", "0.05", "-W", "1", p2.ip())
                .redirectErrorStream(true).start();
        try {
            Wait.until(Duration.ofSeconds(5), "the continuous ping has started", () -> !ping.isAlive() || pingOutputStarted(ping));
            a1.close();
            a1 = null;
            a1 = startAgent(h1);
            Wait.until(PROGRAMMED, "the new agent of host 1 converged", () -> converged(a1, h1));
            assertTrue(ping.isAlive(), "the restart and the convergence happened while the ping ran");
            assertTrue(ping.waitFor(30, TimeUnit.SECONDS), "ping finished");
            String out = new String(ping.getInputStream().readAllBytes());
            assertTrue(out.contains(" 0% packet loss"), "continuous ping across the agent restart: " + out);
        } finally {
            ping.destroy();
        }
        Map<String, Double> after = flowAges(h1);
        assertEquals(before.keySet(), after.keySet(), "the same flows after the restart (ports unchanged)");
        for (var e : before.entrySet()) {
            assertTrue(after.get(e.getKey()) >= e.getValue(), "flow " + e.getKey() + " kept, not re-added (age " + e.getValue() + " -> " + after.get(e.getKey()) + ")");
        }
        assertEquals("ACTIVE", status(p1.id()));
        assertTrue(p2.vm().ping(p1.ip(), 2), "and traffic both ways afterwards");
    }

    /** ping prints its header line at once; the first reply line tells it is really sending. */
    private static boolean pingOutputStarted(Process ping) {
        try {
            return ping.getInputStream().available() > 120;
        } catch (IOException e) {
            return true;
        }
    }

    @Test @Order(4)
    void aDeletedPortStopsForwarding() throws IOException {
        ensureL2();
        VmPort p3 = createAndPlug(h2, "vm3", subnet1Id, "--disable-port-security");
        awaitActive(p3);
        ensureAddress(p3);
        Wait.until(PROGRAMMED, "vm1 (host 1) pings vm3 (host 2)", () -> p1.vm().ping(p3.ip(), 1));
        assertTrue(h2.ofctl("dump-flows").contains(p3.mac()) && h1.ofctl("dump-flows").contains(p3.mac()),
                "both hosts have flows for the port before its delete (its host the port, the other the neighbor)");
        NeutronClient.Response deleted = api.delete("/v2.0/ports/" + p3.id());
        assertEquals(204, deleted.status(), deleted.raw());
        // the VM is still plugged (as after a Nova delete that has not unplugged yet): its flows must be gone anyway
        Wait.until(PROGRAMMED, "no flow on either host mentions the deleted port's MAC",
                () -> !h2.ofctl("dump-flows").contains(p3.mac()) && !h1.ofctl("dump-flows").contains(p3.mac()));
        assertFalse(p1.vm().ping(p3.ip(), 3), "no forwarding to a deleted port");
        assertFalse(p3.vm().ping(p1.ip(), 2), "nor from it");
        assertTrue(p1.vm().ping(p2.ip(), 1), "the other ports are unaffected");
    }

    // ---- needs the controller's security-group goal states (being finished on main) ----

    @Test @Order(9)
    void portsCreatedWithoutAGroupJoinTheProjectsDefaultGroupWhoseMembersPingEachOther() throws IOException {
        ensureL2();
        VmPort d1 = createAndPlug(h1, "vm7", subnet1Id);
        VmPort d2 = createAndPlug(h2, "vm8", subnet1Id);
        @SuppressWarnings("unchecked")
        List<String> groups = (List<String>) api.get("/v2.0/ports/" + d2.id()).member("port").get("security_groups");
        assertEquals(1, groups.size(), "Neutron puts a port created without --security-group in its project's default group: " + groups);
        NeutronClient.Response group = api.get("/v2.0/security-groups/" + groups.get(0));
        assertEquals(200, group.status(), group.raw());
        assertEquals("default", group.member("security_group").get("name"));
        awaitActive(d1);
        awaitActive(d2);
        ensureAddress(d1);
        ensureAddress(d2);
        // the default group admits ingress from its own members (remote_group_id), here across hosts
        awaitPingWithGroups(d1, d2, "vm7 (host 1) pings vm8 (host 2), both in the default group");
        assertTrue(d2.vm().ping(d1.ip(), 2), "and back");
        assertFalse(p1.vm().ping(d2.ip(), 2), "a port outside the group (port security off) is not admitted by the default group");
    }

    @Test @Order(10)
    void removingTheIngressRuleOfThePortsGroupStopsThePingAndAddingItBackRestoresIt() throws IOException {
        ensureL2();
        NeutronClient.Response group = api.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "e2e-icmp")));
        assertEquals(201, group.status(), "POST /v2.0/security-groups: " + group.raw());
        String sg = (String) group.member("security_group").get("id");
        String rule = addIcmpIngressRule(sg);
        VmPort s1 = createAndPlug(h1, "vm4", subnet1Id, "--security-group", sg);
        VmPort s2 = createAndPlug(h2, "vm5", subnet1Id, "--security-group", sg);
        assertEquals(List.of(sg), api.get("/v2.0/ports/" + s2.id()).member("port").get("security_groups"));
        awaitActive(s1);
        awaitActive(s2);
        ensureAddress(s1);
        ensureAddress(s2);
        awaitPingWithGroups(s1, s2, "vm4 pings vm5 (ICMP admitted by the group's ingress rule)");

        NeutronClient.Response del = api.delete("/v2.0/security-group-rules/" + rule);
        assertEquals(204, del.status(), del.raw());
        Wait.until(PROGRAMMED, "the ping stops once the ingress ICMP rule is removed", () -> !s1.vm().ping(s2.ip(), 1));
        assertFalse(s1.vm().ping(s2.ip(), 3), "no ICMP ingress without the rule (default deny)");

        addIcmpIngressRule(sg);
        Wait.until(PROGRAMMED, "the ping is restored with the rule back", () -> s1.vm().ping(s2.ip(), 1));
        assertTrue(s2.vm().ping(s1.ip(), 2), "and the other way");
    }

    /** Waits for a ping that a security group admits; a timeout shows the target host's ingress rule flows. */
    void awaitPingWithGroups(VmPort from, VmPort to, String what) {
        try {
            Wait.until(PROGRAMMED, what, () -> from.vm().ping(to.ip(), 1));
        } catch (AssertionError e) {
            // the agent programs a group's rules only from a SecurityGroupState: say whether the host ever got one
            throw new AssertionError(e.getMessage() + "\nhost " + to.vm().host.n + " ingress security-group flows (table 71):\n"
                    + to.vm().host.ofctl("dump-flows", "table=71"), e);
        }
    }

    String addIcmpIngressRule(String sg) {
        NeutronClient.Response r = api.post("/v2.0/security-group-rules", Map.of("security_group_rule", Map.of(
                "security_group_id", sg, "direction", "ingress", "ethertype", "IPv4", "protocol", "icmp", "remote_ip_prefix", "0.0.0.0/0")));
        assertEquals(201, r.status(), "POST /v2.0/security-group-rules: " + r.raw());
        return (String) r.member("security_group_rule").get("id");
    }

    // ---- needs the controller's router goal states (being finished on main) ----

    @Test @Order(11)
    void aSecondSubnetBehindARouterIsReachedAcrossSubnetsAndHosts() throws IOException {
        ensureL2();
        JsonNode s2 = cli.run("subnet", "create", "--network", networkId, "--subnet-range", "10.50.2.0/24", "e2e-s2", "-f", "json").json();
        String subnet2Id = s2.get("id").asText();
        NeutronClient.Response router = api.post("/v2.0/routers", Map.of("router", Map.of("name", "e2e-router")));
        assertEquals(201, router.status(), router.raw());
        String routerId = (String) router.member("router").get("id");
        for (String subnet : List.of(subnet1Id, subnet2Id)) {
            NeutronClient.Response r = api.put("/v2.0/routers/" + routerId + "/add_router_interface", Map.of("subnet_id", subnet));
            assertEquals(200, r.status(), "add_router_interface " + subnet + ": " + r.raw());
        }
        VmPort p6 = createAndPlug(h2, "vm6", subnet2Id, "--disable-port-security");
        awaitActive(p6);
        Map<String, String> lease = p6.vm().dhcp();
        assertEquals(p6.ip(), lease.get("ip"), "vm6 lease: " + lease);
        assertEquals("10.50.2.1", lease.get("router"), "the router's interface on subnet 2");
        try {
            Wait.until(PROGRAMMED, "vm1 (subnet 1, host 1) pings vm6 (subnet 2, host 2) through the router",
                    () -> p1.vm().ping(p6.ip(), 1));
        } catch (AssertionError e) {
            // the agent routes only what a RouterState describes: say whether host 1 ever got one
            throw new AssertionError(e.getMessage() + "\nhost 1 routing flows (table 40, L3_ROUTE):\n" + h1.ofctl("dump-flows", "table=40"), e);
        }
        assertTrue(p6.vm().ping(p1.ip(), 2), "and back");
        String reply = p1.vm().exec("ping", "-c", "1", "-W", "1", p6.ip());
        assertTrue(reply.contains("ttl=63"), "routed once, on the source host (TTL decremented): " + reply);
        assertTrue(p1.vm().ping(p2.ip(), 1), "switching within subnet 1 still works");
    }
}
