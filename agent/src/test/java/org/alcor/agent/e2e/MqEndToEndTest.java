package org.alcor.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.alcor.controller.southbound.MqSettings;
import org.alcor.controller.southbound.SouthboundSettings;
import org.alcor.controller.testing.KafkaBroker;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.proto.SouthboundPath;
import org.alcor.southbound.mq.MqLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The MQ path end to end on real OVS: a real Kafka broker, a controller that serves every host over Kafka
 * ({@code --southbound-path mq}), two real agents given the same {@code --kafka} layout. Once both are moved off
 * gRPC, new VMs on both hosts are programmed from goal states that came over Kafka only (their ports from each
 * host's partition, the other host's address from the VPC feed), get their addresses from the agents' DHCP and ping
 * each other across the VXLAN underlay; a deleted VM's address is withdrawn from the other host through the feed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqEndToEndTest {
    static final Duration PROGRAMMED = Duration.ofSeconds(30);

    KafkaBroker broker;
    OvsLab lab;
    OvsLab.Host h1, h2;
    E2eController controller;
    NeutronClient api;
    final List<HostAgent> agents = new ArrayList<>();
    String networkId, subnetId;

    record VmPort(String id, String ip, OvsLab.Vm vm) {}

    @BeforeAll
    void setUp() throws Exception {
        OvsLab.requireOvsAndRoot();
        try {
            broker = KafkaBroker.start();
            MqLayout layout = MqLayout.parse(broker.bootstrap(), 2, 3);
            lab = new OvsLab();
            h1 = lab.addHost();
            h2 = lab.addHost();
            lab.connectUnderlay();
            controller = E2eController.start(SouthboundSettings.defaults("127.0.0.1", 0).withMq(new MqSettings(layout, MqSettings.Mode.MQ, 5_000, 5_000, 1_000)));
            api = controller.admin;
            for (OvsLab.Host h : List.of(h1, h2)) {
                HostAgent a = new HostAgent(new AgentConfig("host-" + h.n, h.ovsDb(), "br-int", h.underlayIp,
                        AgentConfig.defaultOpenflowSocket(h.ovsDb(), "br-int"), "netdev", 50_000, 30_000), "127.0.0.1",
                        controller.southboundPort(), "e2e", null, layout);
                agents.add(a);
                a.start();
            }
            for (OvsLab.Host h : List.of(h1, h2)) {
                Wait.until(PROGRAMMED, "host-" + h.n + " registered by its agent", () -> api.get("/v2.0/hosts/host-" + h.n).status() == 200);
            }
            networkId = (String) api.createNetwork(Map.of("name", "mq-net")).get("id");
            subnetId = (String) api.createSubnet(networkId, "10.70.1.0/24").get("id");
            // A port on each host makes the controller serve both (it moves hosts it has goal states for).
            createAndPlug(h1, "mq0");
            createAndPlug(h2, "mq1");
            Wait.until(Duration.ofSeconds(60), "both agents are served over Kafka", () -> agents.stream().allMatch(a -> a.path() == SouthboundPath.MQ));
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
                try {
                    if (lab != null) lab.close();
                } finally {
                    if (broker != null) broker.close();
                }
            }
        }
    }

    VmPort createAndPlug(OvsLab.Host h, String vmName) throws IOException {
        Map<String, Object> port = api.createPort(Map.of("network_id", networkId, "binding:host_id", "host-" + h.n, "port_security_enabled", false,
                "fixed_ips", List.of(Map.of("subnet_id", subnetId))));
        String id = (String) port.get("id");
        @SuppressWarnings("unchecked")
        String ip = (String) ((List<Map<String, Object>>) port.get("fixed_ips")).get(0).get("ip_address");
        VmPort p = new VmPort(id, ip, lab.addVm(h, vmName, (String) port.get("mac_address"), id));
        Wait.until(PROGRAMMED, vmName + " ACTIVE", () -> "ACTIVE".equals(api.get("/v2.0/ports/" + id).member("port").get("status")));
        Map<String, String> lease = p.vm().dhcp();
        assertEquals(ip, lease.get("ip"), vmName + " lease: " + lease);
        return p;
    }

    @Test
    void vmsProgrammedFromKafkaAloneReachEachOtherAndADeletedOneIsWithdrawnThroughTheVpcFeed() throws IOException {
        double feedRecords = counter("alcor_southbound_mq_feed_records_sent_total");
        VmPort a = createAndPlug(h1, "mq2");
        VmPort b = createAndPlug(h2, "mq3");
        assertTrue(agents.stream().allMatch(x -> x.path() == SouthboundPath.MQ), "the agents are still served over Kafka");
        Wait.until(PROGRAMMED, "host 1 knows mq3 and host 2 knows mq2", () -> OnDemandEndToEndTest.answersArpFor(h1, b.ip()) && OnDemandEndToEndTest.answersArpFor(h2, a.ip()));
        assertTrue(counter("alcor_southbound_mq_feed_records_sent_total") > feedRecords, "the neighbours came on the VPC feed");
        Wait.until(PROGRAMMED, "mq2 (host 1) pings mq3 (host 2)", () -> a.vm().ping(b.ip(), 1));
        assertTrue(b.vm().ping(a.ip(), 3), "mq3 -> mq2");

        api.delete("/v2.0/ports/" + b.id());
        Wait.until(PROGRAMMED, "host 1 forgets mq3's address", () -> !OnDemandEndToEndTest.answersArpFor(h1, b.ip()));
    }

    private double counter(String name) {
        for (String line : api.get("/metrics").raw().split("\n")) if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        return 0;
    }
}
