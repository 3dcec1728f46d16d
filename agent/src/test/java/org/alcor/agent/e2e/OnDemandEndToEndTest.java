package org.alcor.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.alcor.agent.AgentConfig;
import org.alcor.agent.HostAgent;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.Wait;
import org.alcor.agent.pipeline.Tables;
import org.alcor.controller.southbound.SouthboundSettings;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.OpenStackCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A VPC above the controller's neighbour push limit, end to end: real controller (push limit 0: every VPC with a port is ON_DEMAND), two real agents
 * on OVS hosts, ports made with the OpenStack CLI in the project's default security group. The controller pushes
 * no neighbour of the VPC (only its policy, ON_DEMAND), so the first ping across hosts makes each agent ask the
 * controller's LookupNeighbor, for ARP and for the source of the incoming connection; the default group's
 * same-group rule admits the other VM only because the answer carries its groups. A VM outside the group is
 * refused although its address resolves the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnDemandEndToEndTest {
    static final Duration PROGRAMMED = Duration.ofSeconds(20);

    OvsLab lab;
    OvsLab.Host h1, h2;
    E2eController controller;
    NeutronClient api;
    OpenStackCli cli;
    final List<HostAgent> agents = new ArrayList<>();
    String networkId, subnetId;

    record VmPort(String id, String ip, OvsLab.Vm vm) {}

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.requireOvsAndRoot();
        OpenStackCli.requireInstalled();
        try {
            lab = new OvsLab();
            h1 = lab.addHost();
            h2 = lab.addHost();
            lab.connectUnderlay();
            controller = E2eController.start(SouthboundSettings.defaults("127.0.0.1", 0).withNeighborPushLimit(0));
            api = controller.admin;
            cli = new OpenStackCli(controller.baseUrl(), controller.scratchDir());
            for (OvsLab.Host h : List.of(h1, h2)) {
                HostAgent a = new HostAgent(new AgentConfig("host-" + h.n, h.ovsDb(), "br-int", h.underlayIp,
                        AgentConfig.defaultOpenflowSocket(h.ovsDb(), "br-int"), "netdev", 50_000, 30_000), "127.0.0.1", controller.southboundPort(), "e2e");
                agents.add(a);
                a.start();
            }
            for (OvsLab.Host h : List.of(h1, h2)) {
                Wait.until(PROGRAMMED, "host-" + h.n + " registered by its agent", () -> api.get("/v2.0/hosts/host-" + h.n).status() == 200);
            }
            networkId = cli.run("network", "create", "od-net", "-f", "json").json().get("id").asText();
            subnetId = cli.run("subnet", "create", "--network", networkId, "--subnet-range", "10.60.1.0/24", "od-s1", "-f", "json")
                    .json().get("id").asText();
        } catch (Throwable t) {
            tearDown();
            throw t;
        }
    }

    @AfterAll
    void tearDown() {
        try {
            for (HostAgent a : agents) a.close();
        } finally {
            try {
                if (controller != null) controller.close();
            } finally {
                if (lab != null) lab.close();
            }
        }
    }

    VmPort createAndPlug(OvsLab.Host h, String vmName, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("port", "create", "--network", networkId, "--fixed-ip", "subnet=" + subnetId, "--host", "host-" + h.n));
        args.addAll(List.of(extra));
        args.addAll(List.of("od-" + vmName, "-f", "json"));
        String id = cli.run(args.toArray(String[]::new)).json().get("id").asText();
        Map<String, Object> port = api.get("/v2.0/ports/" + id).member("port");
        @SuppressWarnings("unchecked")
        String ip = (String) ((List<Map<String, Object>>) port.get("fixed_ips")).get(0).get("ip_address");
        VmPort p = new VmPort(id, ip, lab.addVm(h, vmName, (String) port.get("mac_address"), id));
        Wait.until(PROGRAMMED, vmName + " ACTIVE", () -> "ACTIVE".equals(api.get("/v2.0/ports/" + id).member("port").get("status")));
        Map<String, String> lease = p.vm().dhcp();
        assertEquals(ip, lease.get("ip"), vmName + " lease: " + lease);
        return p;
    }

    /** Whether the host answers ARP for the address: a pushed or learnt neighbour. */
    static boolean answersArpFor(OvsLab.Host h, String ip) {
        // ovs-ofctl prints arp_op after arp_tpa: the address ends at a comma or a space, never a longer address
        return java.util.regex.Pattern.compile("arp_tpa=" + java.util.regex.Pattern.quote(ip) + "[, ]")
                .matcher(h.ofctl("dump-flows", "table=" + Tables.ARP_RESPONDER)).find();
    }

    @Test
    void membersOfTheDefaultGroupReachEachOtherThroughLookupsAndAVmOutsideItIsRefused() throws IOException {
        VmPort d1 = createAndPlug(h1, "od1");
        VmPort d2 = createAndPlug(h2, "od2");
        VmPort outside = createAndPlug(h2, "od3", "--disable-port-security");
        assertFalse(answersArpFor(h1, d2.ip()), "an ON_DEMAND VPC pushes no neighbour: host 1 does not know od2 before it asks");

        Wait.until(PROGRAMMED, "od1 (host 1) pings od2 (host 2), both in the default group", () -> d1.vm().ping(d2.ip(), 1));
        assertTrue(answersArpFor(h1, d2.ip()), "host 1 learnt od2 from the controller's LookupNeighbor");
        assertTrue(d2.vm().ping(d1.ip(), 3), "od2 -> od1: host 1 admits od2 as a member of the group");
        assertFalse(outside.vm().ping(d1.ip(), 3), "od3 is outside the default group: its address resolves, its packets are refused");
    }
}
