package org.alcor.agent.dataplane;

import org.alcor.agent.NeighborLookup;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.TestAgent;
import org.alcor.agent.lab.Wait;
import org.alcor.proto.Direction;
import org.alcor.proto.GoalState;
import org.alcor.proto.SecurityGroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Two simulated hosts with real OVS (userspace datapath) in namespaces, one agent core each, goal states built
 * here as the controller would send them. VMs are namespaces that get their addresses from the agents' DHCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoHostDataplaneTest {
    static final String VPC = "vpc-1", SN1 = "subnet-1", SG = "sg-1";
    static final int VNI = 1001;
    static final String MAC1 = "fa:16:3e:00:01:01", MAC2 = "fa:16:3e:00:01:02";
    static final String IP1 = "10.1.0.11", IP2 = "10.1.0.12", GW1 = "10.1.0.1";

    OvsLab lab;
    OvsLab.Host h1, h2;
    OvsLab.Vm vm1, vm2;
    TestAgent a1, a2;
    long v1 = 1, v2 = 1;

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.requireOvsAndRoot();
        lab = new OvsLab();
        try {
            h1 = lab.addHost();
            h2 = lab.addHost();
            lab.connectUnderlay();
            a1 = new TestAgent(h1, NeighborLookup.NONE);
            a2 = new TestAgent(h2, NeighborLookup.NONE);
            vm1 = lab.addVm(h1, "vm1", MAC1, "port-1");
            vm2 = lab.addVm(h2, "vm2", MAC2, "port-2");
            a1.core.submit(snapshot(h1, 1));
            a2.core.submit(snapshot(h2, 1));
            a1.awaitApplied(1, "port-1");
            a2.awaitApplied(1, "port-2");
        } catch (Throwable t) {
            tearDown();
            throw t;
        }
    }

    @AfterAll
    void tearDown() {
        if (a1 != null) a1.close();
        if (a2 != null) a2.close();
        if (lab != null) lab.close();
    }

    SecurityGroupState defaultSg(boolean allowIcmpIn) {
        return allowIcmpIn
                ? sg(SG, rule("egress-all", Direction.EGRESS, "", ""), rule("icmp-in", Direction.INGRESS, "icmp", "0.0.0.0/0"))
                : sg(SG, rule("egress-all", Direction.EGRESS, "", ""));
    }

    GoalState snapshot(OvsLab.Host h, long version) {
        boolean first = h == h1;
        String port = first ? "port-1" : "port-2", mac = first ? MAC1 : MAC2, ip = first ? IP1 : IP2;
        String otherPort = first ? "port-2" : "port-1", otherMac = first ? MAC2 : MAC1, otherIp = first ? IP2 : IP1;
        String otherHost = (first ? h2 : h1).underlayIp;
        return GoalState.newBuilder().setHostId("host-" + h.n).setVersion(version).setFullSnapshot(true)
                .putVpcs(VPC, vpc(VPC, VNI))
                .putSubnets(SN1, subnet(SN1, VPC, "10.1.0.0/24", GW1))
                .putPorts(port, port(port, VPC, SN1, mac, ip, "host-" + h.n, SG))
                .putDhcp(port, dhcp(port, SN1, mac, ip, GW1))
                .putNeighbors(VPC + "/" + otherIp, neighbor(VPC, VNI, SN1, otherPort, otherMac, otherIp, otherHost))
                .putSecurityGroups(SG, defaultSg(true))
                .build();
    }

    @Test @Order(1)
    void vmsGetTheirAddressGatewayMtuAndRoutesFromTheAgentsDhcp() throws Exception {
        Map<String, String> d1 = vm1.dhcp();
        assertEquals(IP1, d1.get("ip"), "vm1 lease: " + d1);
        assertEquals("24", d1.get("mask"));
        assertEquals(GW1, d1.get("router"));
        assertEquals("1450", d1.get("mtu"));
        assertEquals("10.255.255.53", d1.get("dns").trim());
        assertTrue(d1.getOrDefault("staticroutes", "").contains("192.168.77.0/24 " + GW1), d1.toString());
        assertEquals(IP2, vm2.dhcp().get("ip"));
    }

    @Test @Order(2)
    void vmsOnTwoHostsPingEachOtherOverVxlan() {
        ensureAddresses();
        Wait.until(Duration.ofSeconds(15), "vm1 pings vm2", () -> vm1.ping(IP2, 1));
        assertTrue(vm1.ping(IP2, 3));
        assertTrue(vm2.ping(IP1, 3));
    }

    @Test @Order(3)
    void removingTheIngressRuleStopsThePingAndAddingItBackRestoresIt() {
        ensureAddresses();
        Wait.until(Duration.ofSeconds(15), "vm1 pings vm2", () -> vm1.ping(IP2, 1));
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2).putSecurityGroups(SG, defaultSg(false)).build());
        a2.awaitApplied(v2);
        assertFalse(vm1.ping(IP2, 2), "ping must stop once ICMP ingress is no longer allowed");
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2).putSecurityGroups(SG, defaultSg(true)).build());
        a2.awaitApplied(v2);
        Wait.until(Duration.ofSeconds(10), "ping restored", () -> vm1.ping(IP2, 1));
    }

    @Test @Order(4)
    void aSpoofedSourceAddressIsDropped() {
        ensureAddresses();
        vm1.exec("ip", "addr", "add", "10.1.0.99/24", "dev", "eth0");
        try {
            assertFalse(vm1.exec("ping", "-c", "2", "-i", "0.2", "-W", "1", "-I", "10.1.0.99", IP2).contains(" 0% packet loss"));
            assertTrue(vm1.ping(IP2, 1));
        } finally {
            vm1.exec("ip", "addr", "del", "10.1.0.99/24", "dev", "eth0");
        }
    }

    /** cookie → flow age in seconds, from ovs-ofctl (independent of the agent's own OpenFlow code). */
    static Map<String, Double> flowAges(OvsLab.Host h) {
        Map<String, Double> out = new java.util.HashMap<>();
        for (String line : h.ofctl("dump-flows").split("\n")) {
            var m = java.util.regex.Pattern.compile("cookie=(0x[0-9a-f]+), duration=([0-9.]+)s").matcher(line);
            if (m.find()) out.merge(m.group(1), Double.parseDouble(m.group(2)), Math::min);
        }
        return out;
    }

    @Test @Order(5)
    void aRestartedAgentReconcilesWithoutReplacingUnchangedFlowsOrDroppingTraffic() throws Exception {
        ensureAddresses();
        Wait.until(Duration.ofSeconds(15), "vm1 pings vm2", () -> vm1.ping(IP2, 1));
        Map<String, Double> before = flowAges(h1);
        assertEquals(a1.core.desiredFlowCount(), before.size(), "installed = desired before the restart");
        Process ping = new ProcessBuilder("ip", "netns", "exec", vm1.ns, "ping", "-c", "60", "-i", "0.05", "-W", "1", IP2)
                .redirectErrorStream(true).start();
        try {
            a1.close();
            // an extra stale flow, as a crashed agent might leave behind: reconcile must remove it
            h1.ofctl("add-flow", "table=99,priority=1,cookie=0x1234,actions=drop");
            a1 = new TestAgent(h1, NeighborLookup.NONE);
            a1.core.submit(snapshot(h1, ++v1));
            a1.awaitApplied(v1, "port-1");
            assertTrue(ping.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            String out = new String(ping.getInputStream().readAllBytes());
            assertTrue(out.contains(" 0% packet loss"), "continuous ping across the restart: " + out);
        } finally {
            ping.destroy();
        }
        Map<String, Double> after = flowAges(h1);
        assertFalse(after.containsKey("0x1234"), "the stale flow is gone");
        assertEquals(before.keySet(), after.keySet(), "same flows after the restart");
        for (var e : before.entrySet()) {
            assertTrue(after.get(e.getKey()) >= e.getValue(), "flow " + e.getKey() + " was not re-added (age " + e.getValue() + " -> " + after.get(e.getKey()) + ")");
        }
    }

    static final String SN2 = "subnet-2", MAC3 = "fa:16:3e:00:02:03", IP3 = "10.2.0.13", GW2 = "10.2.0.1";
    static final String RMAC1 = "fa:16:3e:aa:00:01", RMAC2 = "fa:16:3e:aa:00:02";

    @Test @Order(6)
    void twoSubnetsBehindARouterReachEachOtherAcrossHosts() throws Exception {
        ensureAddresses();
        OvsLab.Vm vm3 = lab.addVm(h2, "vm3", MAC3, "port-3");
        var router = router("router-1", routerIf(SN1, "rp-1", GW1, RMAC1), routerIf(SN2, "rp-2", GW2, RMAC2));
        var subnet2 = subnet(SN2, VPC, "10.2.0.0/24", GW2);
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2)
                .putSubnets(SN2, subnet2).putRouters("router-1", router)
                .putPorts("port-3", port("port-3", VPC, SN2, MAC3, IP3, "host-2", SG))
                .putDhcp("port-3", dhcp("port-3", SN2, MAC3, IP3, GW2)).build());
        a1.core.submit(GoalState.newBuilder().setHostId("host-1").setVersion(++v1)
                .putSubnets(SN2, subnet2).putRouters("router-1", router)
                .putNeighbors(VPC + "/" + IP3, neighbor(VPC, VNI, SN2, "port-3", MAC3, IP3, h2.underlayIp).toBuilder()
                        .setType(org.alcor.proto.NeighborType.L3).build()).build());
        a2.awaitApplied(v2, "port-3");
        a1.awaitApplied(v1);
        assertEquals(IP3, vm3.dhcp().get("ip"));
        Wait.until(Duration.ofSeconds(15), "vm1 (subnet 1, host 1) pings vm3 (subnet 2, host 2)", () -> vm1.ping(IP3, 1));
        assertTrue(vm3.ping(IP1, 2), "and back");
        // routed on the source host: the TTL seen at vm3 is one less than vm1 sent
        String ttl = vm1.exec("ping", "-c", "1", "-W", "1", IP3);
        assertTrue(ttl.contains("ttl=63"), ttl);
        assertTrue(vm2.ping(IP1, 1), "switching in subnet 1 still works");
    }

    @Test @Order(20)
    void aDeletedPortStopsForwarding() {
        ensureAddresses();
        Wait.until(Duration.ofSeconds(15), "vm1 pings vm2", () -> vm1.ping(IP2, 1));
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2)
                .putPorts("port-2", port("port-2", VPC, SN1, MAC2, IP2, "host-2", SG).toBuilder().setOp(org.alcor.proto.Operation.DELETE).build())
                .putDhcp("port-2", dhcp("port-2", SN1, MAC2, IP2, GW1).toBuilder().setOp(org.alcor.proto.Operation.DELETE).build()).build());
        a2.awaitApplied(v2);
        assertFalse(vm1.ping(IP2, 2), "no forwarding to a deleted port");
        assertFalse(h2.ofctl("dump-flows").contains(MAC2), "no flow mentions the deleted port's MAC");
    }

    @Test @Order(7)
    void anInterfacePluggedAfterItsGoalStateIsProgrammedThenReported() throws Exception {
        ensureAddresses();
        String mac4 = "fa:16:3e:00:01:04", ip4 = "10.1.0.14";
        a1.core.submit(GoalState.newBuilder().setHostId("host-1").setVersion(++v1)
                .putPorts("port-4", port("port-4", VPC, SN1, mac4, ip4, "host-1", SG))
                .putDhcp("port-4", dhcp("port-4", SN1, mac4, ip4, GW1)).build());
        a1.awaitApplied(v1);
        assertTrue(a1.acks().stream().flatMap(a -> a.getResultsList().stream())
                        .noneMatch(r -> r.getResourceId().equals("port-4") && r.getResourceType() == org.alcor.proto.ResourceType.PORT),
                "not reported before its interface exists: " + a1.acks());
        OvsLab.Vm vm4 = lab.addVm(h1, "vm4", mac4, "port-4");
        a1.awaitApplied(v1, "port-4");
        assertEquals(ip4, vm4.dhcp().get("ip"));
        Wait.until(Duration.ofSeconds(10), "vm4 pings vm1 on the same host", () -> vm4.ping(IP1, 1));
        assertTrue(vm4.ping(IP2, 1), "and vm2 on the other host");
    }

    @Test @Order(8)
    void anUnknownNeighborIsLookedUpOnDemandAndTheHeldPacketSentOn() throws Exception {
        ensureAddresses();
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        NeighborLookup controller = (vpc, ip) -> {
            lookups.incrementAndGet();
            return ip.equals(IP2) && vpc.equals(VPC)
                    ? java.util.Optional.of(neighbor(VPC, VNI, SN1, "port-2", MAC2, IP2, h2.underlayIp)) : java.util.Optional.empty();
        };
        a1.close();
        a1 = new TestAgent(h1, controller);
        GoalState withoutNeighbor = snapshot(h1, ++v1).toBuilder().clearNeighbors()
                .putVpcs(VPC, vpc(VPC, VNI).toBuilder().setNeighborPolicy(org.alcor.proto.NeighborPolicy.ON_DEMAND).build()).build();
        a1.core.submit(withoutNeighbor);
        a1.awaitApplied(v1, "port-1");
        assertFalse(h1.ofctl("dump-flows").contains(MAC2.replace(":", "")), "no entry for vm2 before the lookup");
        vm1.exec("ip", "neigh", "flush", "dev", "eth0");
        Wait.until(Duration.ofSeconds(15), "vm1 reaches vm2 through an on-demand neighbor", () -> vm1.ping(IP2, 1));
        assertTrue(lookups.get() >= 1);
        // back to the pushed neighbor (and a PROACTIVE VPC) for the tests that follow
        a1.core.submit(snapshot(h1, ++v1));
        a1.awaitApplied(v1);
    }

    @Test @Order(9)
    void anUnreachableSwitchIsReportedAsPerResourceErrorsAndRetriedUntilApplied() throws Exception {
        ensureAddresses();
        h2.stopVswitchd();
        try {
            a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2).putSecurityGroups(SG, defaultSg(true)).build());
            long v = v2;
            Wait.until(Duration.ofSeconds(15), "an error ack for v" + v, () -> a2.acks().stream()
                    .anyMatch(a -> a.getVersion() == v && a.getResultsList().stream().anyMatch(r -> !r.getOk() && !r.getError().isEmpty())));
            assertTrue(a2.core.appliedVersion() < v);
        } finally {
            h2.startVswitchd();
            h2.restoreUnderlay();
        }
        try {
            a2.awaitApplied(v2);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nfiles: " + org.alcor.agent.lab.Sh.run("ls", h2.dir.toString()).out()
                    + "\nlog: " + org.alcor.agent.lab.Sh.run("tail", "-20", h2.dir.resolve("ovs-vswitchd.log").toString()).out());
        }
        Wait.until(Duration.ofSeconds(20), "ping across hosts after the switch is back", () -> vm1.ping(IP2, 1));
    }

    /** Listens on vm2:port for one connection and answers "pong"; returns the listener process. */
    Process tcpServer(int port) throws java.io.IOException {
        String py = "import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('" + IP2 + "'," + port
                + "));s.listen(1);s.settimeout(20);c,a=s.accept();c.sendall(b'pong');c.close()";
        return new ProcessBuilder("ip", "netns", "exec", vm2.ns, "python3", "-c", py).redirectErrorStream(true).start();
    }

    boolean tcpConnects(int port) {
        String py = "import socket;s=socket.create_connection(('" + IP2 + "'," + port + "),timeout=2);assert s.recv(8)==b'pong'";
        return org.alcor.agent.lab.Sh.run(java.util.List.of("ip", "netns", "exec", vm1.ns, "python3", "-c", py), 10).ok();
    }

    @Test @Order(11)
    void anIngressTcpPortRangeRuleAdmitsOnlyItsPortsStatefully() throws Exception {
        ensureAddresses();
        var tcp = rule("tcp-5000-5001", Direction.INGRESS, "tcp", "10.1.0.0/24").toBuilder().setPortRangeMin(5000).setPortRangeMax(5001).build();
        SecurityGroupState withTcp = defaultSg(true).toBuilder().addRules(tcp).build();
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2).putSecurityGroups(SG, withTcp).build());
        a2.awaitApplied(v2);
        Process allowed = tcpServer(5001), denied = tcpServer(5003);
        try {
            Wait.until(Duration.ofSeconds(10), "tcp to vm2:5001 (allowed, replies pass as established)", () -> tcpConnects(5001));
            assertFalse(tcpConnects(5003), "tcp to vm2:5003 is not allowed by any rule");
        } finally {
            allowed.destroy();
            denied.destroy();
        }
    }

    /** n_packets of the flows of one table and priority, summed (ovs-ofctl, independent of the agent). */
    static long packets(OvsLab.Host h, int table, int priority) {
        long sum = 0;
        for (String line : h.ofctl("dump-flows", "table=" + table).split("\n")) {
            if (!line.contains("priority=" + priority + ",") && !line.contains("priority=" + priority + " ")) continue;
            var m = java.util.regex.Pattern.compile("n_packets=(\\d+)").matcher(line);
            if (m.find()) sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    @Test @Order(3)
    void anArpRequestForAKnownNeighborIsAnsweredOnTheSendersHostAndNeverFlooded() {
        ensureAddresses();
        long answeredBefore = packets(h1, org.alcor.agent.pipeline.Tables.ARP_RESPONDER, 100);
        long floodedToHost2Before = packets(h2, org.alcor.agent.pipeline.Tables.L2_FROM_TUNNEL, 50);
        long unicastToHost2Before = packets(h2, org.alcor.agent.pipeline.Tables.L2_FROM_TUNNEL, 100);
        vm1.exec("ip", "neigh", "flush", "dev", "eth0");
        assertTrue(vm1.ping(IP2, 1));
        assertTrue(vm1.exec("ip", "neigh", "show", IP2).contains(MAC2), "vm1 learnt vm2's MAC");
        // OpenFlow counters follow the datapath only when the revalidators run (about once a second)
        Wait.until(Duration.ofSeconds(10), "host 1 counts the answered ARP",
                () -> packets(h1, org.alcor.agent.pipeline.Tables.ARP_RESPONDER, 100) > answeredBefore);
        Wait.until(Duration.ofSeconds(10), "host 2 counts the ping itself",
                () -> packets(h2, org.alcor.agent.pipeline.Tables.L2_FROM_TUNNEL, 100) > unicastToHost2Before);
        assertEquals(floodedToHost2Before, packets(h2, org.alcor.agent.pipeline.Tables.L2_FROM_TUNNEL, 50), "no broadcast reached host 2");
    }

    @Test @Order(12)
    void aRemoteGroupRuleAdmitsAMemberOnAnotherHostOnceItIsKnown() {
        ensureAddresses();
        var byGroup = sg(SG, rule("egress-all", Direction.EGRESS, "", ""),
                rule("icmp-from-group", Direction.INGRESS, "icmp", "").toBuilder().setRemoteGroupId(SG).build());
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2).putSecurityGroups(SG, byGroup).build());
        a2.awaitApplied(v2);
        assertFalse(vm1.ping(IP2, 2), "vm1 is not a known member of the group on host 2 yet");
        var member = port("port-1", VPC, SN1, MAC1, IP1, "host-1", SG).toBuilder().setOp(org.alcor.proto.Operation.INFO).build();
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2).putPorts("port-1", member).build());
        a2.awaitApplied(v2);
        Wait.until(Duration.ofSeconds(10), "vm1 admitted as a member of the group", () -> vm1.ping(IP2, 1));
        a2.core.submit(GoalState.newBuilder().setHostId("host-2").setVersion(++v2).putSecurityGroups(SG, defaultSg(true)).build());
        a2.awaitApplied(v2);
    }

    void ensureAddresses() {
        try {
            if (!vm1.exec("ip", "-4", "addr", "show", "eth0").contains(IP1)) vm1.dhcp();
            if (!vm2.exec("ip", "-4", "addr", "show", "eth0").contains(IP2)) vm2.dhcp();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
