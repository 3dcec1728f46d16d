package org.alcor.agent.e2e;

import org.alcor.controller.testing.NeutronClient;

import org.alcor.agent.AgentConfig;
import org.alcor.agent.HostAgent;
import org.alcor.agent.lab.OvsLab;
import org.alcor.agent.lab.Sh;
import org.alcor.agent.lab.Wait;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Provisioning latency end to end: from {@code POST /v2.0/ports} on a real controller to the first ping reply
 * from a VM on the other host, through the controller's store, goal-state engine and gRPC stream, the agent and
 * OVS. A benchmark, not a CI test: {@code -Dtest=ProvisioningLatencyEndToEndBench -Dalcor.bench=true
 * [-Dalcor.bench.ports=50] [-Dalcor.bench.arpRetransMs=10]}.
 *
 * <p>Per port: the VM namespace, its veth and its OVS port on host 2's br-int exist before the clock starts, the
 * VM is addressed statically (the POST asks for that MAC and fixed IP, so no DHCP round is in the figure), and
 * only {@code external_ids:iface-id} is set after the POST returns, because a Neutron port id is known only then
 * (one {@code ovs-vsctl --no-wait}, inside the figure). Then the pinger VM on host 1 pings the new address every
 * 5 ms until the first reply (the spawn of {@code ip netns exec ping} is inside the figure too). Ports are created
 * with port security off: this controller does not put ports in security groups yet, and with port security on
 * and no group the agent drops everything.
 */
class ProvisioningLatencyEndToEndBench {
    @Test
    void postPortToFirstPingFromTheOtherHost() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("alcor.bench"), "benchmark: -Dalcor.bench=true");
        OvsLab.requireOvsAndRoot();
        int n = Integer.getInteger("alcor.bench.ports", 50);
        Integer arpRetransMs = Integer.getInteger("alcor.bench.arpRetransMs");
        try (OvsLab lab = new OvsLab()) {
            OvsLab.Host h1 = lab.addHost(), h2 = lab.addHost();
            lab.connectUnderlay();
            try (E2eController controller = E2eController.start();
                 HostAgent a1 = agent(h1, controller); HostAgent a2 = agent(h2, controller)) {
                NeutronClient api = controller.admin;
                for (OvsLab.Host h : List.of(h1, h2)) {
                    Wait.until(Duration.ofSeconds(20), "host-" + h.n + " registered", () -> api.get("/v2.0/hosts/host-" + h.n).status() == 200);
                }
                String net = (String) api.createNetwork(Map.of("name", "bench")).get("id");
                String subnet = (String) api.createSubnet(net, "10.60.0.0/16").get("id");

                // the pinger, on host 1
                String macA = "fa:16:3e:60:00:01", ipA = "10.60.0.10";
                String pa = (String) api.createPort(port(net, subnet, macA, ipA, "host-1")).get("id");
                OvsLab.Vm vmA = lab.addVm(h1, "pa", macA, pa);
                vmA.exec("ip", "addr", "add", ipA + "/16", "dev", "eth0");
                if (arpRetransMs != null) arpRetrans(vmA, arpRetransMs);
                Wait.until(Duration.ofSeconds(20), "the pinger's port ACTIVE", () -> "ACTIVE".equals(api.get("/v2.0/ports/" + pa).member("port").get("status")));

                List<Double> total = new ArrayList<>(), post = new ArrayList<>(), plug = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String mac = String.format("fa:16:3e:61:%02x:%02x", i / 256, i % 256), ip = "10.60.1." + (i + 10);
                    OvsLab.Vm vm = lab.addVm(h2, "b" + i, mac, "not-yet-" + i);   // plugged, no Neutron port yet
                    vm.exec("ip", "addr", "add", ip + "/16", "dev", "eth0");
                    if (arpRetransMs != null) arpRetrans(vm, arpRetransMs);

                    long t0 = System.nanoTime();
                    NeutronClient.Response r = api.post("/v2.0/ports", Map.of("port", port(net, subnet, mac, ip, "host-2")));
                    long t1 = System.nanoTime();
                    assertEquals(201, r.status(), r.raw());
                    String id = (String) r.member("port").get("id");
                    h2.vsctl("--no-wait", "set", "interface", vm.tap, "external_ids:iface-id=" + id);
                    long t2 = System.nanoTime();
                    Sh.Result ping = Sh.run(List.of("ip", "netns", "exec", vmA.ns, "ping", "-i", "0.005", "-c", "1", "-w", "10", ip), 20);
                    long t3 = System.nanoTime();
                    assertTrue(ping.ok(), "first ping to port " + i + ": " + ping.out());
                    post.add((t1 - t0) / 1e6);
                    plug.add((t2 - t1) / 1e6);
                    total.add((t3 - t0) / 1e6);
                }
                System.out.printf("%nAgent: POST to first ping, %d ports (static addresses, ARP retransmission %s)%n", n,
                        arpRetransMs == null ? "kernel default" : arpRetransMs + " ms");
                System.out.printf("  POST -> first ping   p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                        pct(total, 50), pct(total, 90), pct(total, 99), pct(total, 100));
                System.out.printf("  of which POST        p50 %.1f ms  p99 %.1f ms; iface-id set p50 %.1f ms  p99 %.1f ms%n",
                        pct(post, 50), pct(post, 99), pct(plug, 50), pct(plug, 99));
                System.out.println("  all (ms): " + total.stream().map(d -> String.format("%.1f", d)).toList());
            }
        }
    }

    static Map<String, Object> port(String net, String subnet, String mac, String ip, String host) {
        return Map.of("network_id", net, "mac_address", mac, "fixed_ips", List.of(Map.of("subnet_id", subnet, "ip_address", ip)),
                "binding:host_id", host, "port_security_enabled", false);
    }

    static void arpRetrans(OvsLab.Vm vm, int ms) {
        vm.exec("sysctl", "-qw", "net.ipv4.neigh.eth0.retrans_time_ms=" + ms, "net.ipv4.neigh.eth0.mcast_solicit=100");
    }

    static HostAgent agent(OvsLab.Host h, E2eController controller) throws java.io.IOException {
        String db = h.ovsDb();
        HostAgent a = new HostAgent(new AgentConfig("host-" + h.n, db, "br-int", h.underlayIp, AgentConfig.defaultOpenflowSocket(db, "br-int"),
                "netdev", 50_000, 30_000), "127.0.0.1", controller.southboundPort(), "bench", controller.credentials("host-" + h.n));
        a.start();
        return a;
    }

    static double pct(List<Double> xs, int p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }
}
