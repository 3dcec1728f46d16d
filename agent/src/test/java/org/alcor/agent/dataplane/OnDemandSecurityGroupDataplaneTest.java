package org.alcor.agent.dataplane;

import org.alcor.agent.NeighborLookup;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.Sh;
import org.alcor.agent.lab.TestAgent;
import org.alcor.agent.lab.Wait;
import org.alcor.agent.pipeline.Tables;
import org.alcor.proto.Direction;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.NeighborState;
import org.alcor.proto.SecurityGroupState;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.alcor.agent.lab.GoalStates.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One ON_DEMAND VPC on two hosts with real OVS, and not a single neighbour pushed: every address is resolved with
 * LookupNeighbor (here a map, as the controller would answer), for ARP and for the source of new incoming
 * connections that the security group judges. The VMs' group admits only itself on ingress (as Neutron's
 * default group does), so a VM on another host is admitted only once its host has learnt that VM's groups.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnDemandSecurityGroupDataplaneTest {
    static final String VPC = "vpc-od", SN = "subnet-od", SG = "sg-default", OTHER = "sg-other";
    static final int VNI = 3003;
    static final String MAC1 = "fa:16:3e:00:03:01", MAC2 = "fa:16:3e:00:03:02", MAC3 = "fa:16:3e:00:03:03", MAC4 = "fa:16:3e:00:03:04";
    static final String IP1 = "10.3.0.11", IP2 = "10.3.0.12", IP3 = "10.3.0.13", IP4 = "10.3.0.14", GW = "10.3.0.1";

    OvsLab lab;
    OvsLab.Host h1, h2;
    OvsLab.Vm vm1, vm2, vm3, vm4;
    TestAgent a1, a2;
    /** What the controller knows: every port of the VPC, with its groups. */
    final Map<String, NeighborState> controller = new ConcurrentHashMap<>();
    /** Lookups by "<host>/<ip>", to show what each host asked and how often. */
    final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    NeighborLookup lookupFrom(OvsLab.Host h) {
        return (vpc, ip) -> {
            lookups.computeIfAbsent("host-" + h.n + "/" + ip, k -> new AtomicInteger()).incrementAndGet();
            return Optional.ofNullable(controller.get(vpc + "/" + ip));
        };
    }

    int lookupsOf(OvsLab.Host h, String ip) {
        AtomicInteger n = lookups.get("host-" + h.n + "/" + ip);
        return n == null ? 0 : n.get();
    }

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.requireOvsAndRoot();
        lab = new OvsLab();
        try {
            h1 = lab.addHost();
            h2 = lab.addHost();
            lab.connectUnderlay();
            member("port-1", MAC1, IP1, h1, SG);
            member("port-2", MAC2, IP2, h2, SG);
            member("port-3", MAC3, IP3, h1, OTHER);
            member("port-4", MAC4, IP4, h1, SG);
            a1 = new TestAgent(h1, lookupFrom(h1));
            a2 = new TestAgent(h2, lookupFrom(h2));
            vm1 = vm(h1, "vm1", MAC1, "port-1", IP1);
            vm2 = vm(h2, "vm2", MAC2, "port-2", IP2);
            vm3 = vm(h1, "vm3", MAC3, "port-3", IP3);
            vm4 = vm(h1, "vm4", MAC4, "port-4", IP4);
            a1.core.submit(snapshot(h1, List.of(new String[] {"port-1", MAC1, IP1, SG}, new String[] {"port-3", MAC3, IP3, OTHER},
                    new String[] {"port-4", MAC4, IP4, SG})));
            a2.core.submit(snapshot(h2, List.<String[]>of(new String[] {"port-2", MAC2, IP2, SG})));
            a1.awaitApplied(1, "port-1", "port-3", "port-4");
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

    void member(String port, String mac, String ip, OvsLab.Host h, String group) {
        controller.put(VPC + "/" + ip, neighbor(VPC, VNI, SN, port, mac, ip, h.underlayIp).toBuilder().addSecurityGroupIds(group).build());
    }

    /** A VM with its address configured by hand: DHCP is not what this test is about. */
    OvsLab.Vm vm(OvsLab.Host h, String name, String mac, String port, String ip) {
        OvsLab.Vm vm = lab.addVm(h, name, mac, port);
        Sh.must("ip", "netns", "exec", vm.ns, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        return vm;
    }

    static SecurityGroupState neutronDefault(String id) {
        return sg(id, rule(id + "-egress", Direction.EGRESS, "", ""),
                rule(id + "-from-itself", Direction.INGRESS, "", "").toBuilder().setRemoteGroupId(id).build());
    }

    /** Each row: port id, MAC, IP, group. No neighbours at all: the VPC is ON_DEMAND. */
    GoalState snapshot(OvsLab.Host h, List<String[]> ports) {
        GoalState.Builder b = GoalState.newBuilder().setHostId("host-" + h.n).setVersion(1).setFullSnapshot(true)
                .putVpcs(VPC, vpc(VPC, VNI).toBuilder().setNeighborPolicy(NeighborPolicy.ON_DEMAND).build())
                .putSubnets(SN, subnet(SN, VPC, "10.3.0.0/24", GW))
                .putSecurityGroups(SG, neutronDefault(SG))
                .putSecurityGroups(OTHER, sg(OTHER, rule(OTHER + "-egress", Direction.EGRESS, "", "")));
        for (String[] p : ports) b.putPorts(p[0], port(p[0], VPC, SN, p[1], p[2], "host-" + h.n, p[3]));
        return b.build();
    }

    /** n_packets of one table's flows of one priority whose text contains {@code contains} (ovs-ofctl, not the agent). */
    static long packets(OvsLab.Host h, int table, int priority, String contains) {
        long sum = 0;
        for (String line : h.ofctl("dump-flows", "table=" + table).split("\n")) {
            if (!line.contains("priority=" + priority + ",") || !line.contains(contains)) continue;
            var m = Pattern.compile("n_packets=(\\d+)").matcher(line);
            if (m.find()) sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    @Test @Order(1)
    void membersOfTheGroupPingEachOtherAcrossHostsWithEveryAddressLearntOnDemand() {
        assertFalse(h1.ofctl("dump-flows").contains(MAC2), "host 1 knows nothing of vm2 before the first packet");
        assertFalse(h2.ofctl("dump-flows").contains("nw_src=" + IP1), "nor does host 2's ingress rule admit vm1 yet");
        // one echo request, no retry: it passes only if the packet held while its source was looked up on host 2
        // is sent through the ingress stage again (ARP on host 1 is held and answered the same way)
        Sh.Result first = Sh.run(List.of("ip", "netns", "exec", vm1.ns, "ping", "-c", "1", "-W", "10", IP2), 30);
        assertTrue(first.ok(), "the very first ping from vm1 reaches vm2 and comes back: " + first.out());
        assertEquals(1, lookupsOf(h1, IP2), "host 1 resolved vm2's address for ARP");
        assertEquals(1, lookupsOf(h2, IP1), "host 2 resolved the unknown source of the new connection");
        assertTrue(h2.ofctl("dump-flows", "table=" + Tables.INGRESS_SG).contains("nw_src=" + IP1), "vm1 admitted as a member on host 2");
        assertTrue(vm2.ping(IP1, 2), "and the other way");
        assertEquals(1, lookupsOf(h1, IP2), "host 1 learnt vm2 with its groups for ARP: no lookup for vm2's connection");
    }

    @Test @Order(2)
    void aVmOutsideTheGroupIsRefusedAndItsSourceIsNotPuntedAgainAndAgain() {
        assertFalse(vm3.ping(IP2, 3), "vm3 is not in the group vm2's ingress rule admits");
        assertEquals(1, lookupsOf(h2, IP3), "its address was looked up once");
        String table = h2.ofctl("dump-flows", "table=" + Tables.INGRESS_SG);
        assertTrue(table.lines().anyMatch(l -> l.contains("priority=150") && l.contains("reg6=0xbbb") && l.contains("nw_src=" + IP3) && l.contains("actions=drop")),
                "a drop for its new connections sits above the punt: " + table);
        assertFalse(vm3.ping(IP2, 5), "still refused");
        // OpenFlow counters follow the datapath when the revalidators run (about once a second)
        Wait.until(Duration.ofSeconds(10), "later echo requests of vm3 dropped by that flow, not punted",
                () -> packets(h2, Tables.INGRESS_SG, 150, "nw_src=" + IP3) >= 3);
        assertEquals(1, lookupsOf(h2, IP3), "no further lookup");
        assertTrue(vm1.ping(IP2, 1), "members still pass");
    }

    /** Listens on vm2:port for one connection and answers "pong". */
    Process tcpServer(int port) throws IOException {
        String py = "import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('" + IP2 + "'," + port
                + "));s.listen(1);s.settimeout(30);c,a=s.accept();c.sendall(b'pong');c.close()";
        return new ProcessBuilder("ip", "netns", "exec", vm2.ns, "python3", "-c", py).redirectErrorStream(true).start();
    }

    @Test @Order(3)
    void aTcpConnectionFromAnUnknownMemberIsAdmittedThroughConntrackAfterTheLookup() throws Exception {
        Process server = tcpServer(7000);
        try {
            String py = "import socket,time\n"
                    + "deadline=time.time()+10\n"
                    + "while True:\n"   // until the server listens; each refused attempt is a RST, not a punt
                    + "  try:\n"
                    + "    s=socket.create_connection(('" + IP2 + "',7000),timeout=8);break\n"
                    + "  except ConnectionRefusedError:\n"
                    + "    if time.time()>deadline: raise\n"
                    + "    time.sleep(0.1)\n"
                    + "assert s.recv(8)==b'pong'\n";
            Sh.Result r = Sh.run(List.of("ip", "netns", "exec", vm4.ns, "python3", "-c", py), 30);
            assertTrue(r.ok(), "vm4 (a member host 2 had never heard of) connects to vm2 over TCP: " + r.out());
            assertEquals(1, lookupsOf(h2, IP4));
        } finally {
            server.destroy();
        }
    }
}
