package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.api.ApiSettings;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.store.StoreSettings;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas, hosts partitioned over them: each host is served by its owner whichever replica it dialled first;
 * when a replica leaves, its hosts find their new owners through the others and converge; when it comes back it
 * takes its share back.
 */
class ReplicaOwnershipTest {
    private static final int HOSTS = 150, REPLICAS = 3;

    private final Path dir = TestController.createTempDir();
    private final int[] discovery = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    private final ControllerApp[] replicas = new ControllerApp[REPLICAS];
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final List<SimulatedAgent> agents = new ArrayList<>();

    @AfterEach
    void tearDown() {
        agents.forEach(SimulatedAgent::close);
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ControllerApp r : replicas) if (r != null) r.close();
        TestController.deleteRecursively(dir);
    }

    /** Fixed names: with fixed host ids the split is the same on every run. */
    private ControllerApp startReplica(int i) {
        List<String> cluster = new ArrayList<>();
        for (int d : discovery) cluster.add("127.0.0.1:" + d);
        var store = new StoreSettings(dir.resolve("r" + i), false, 256, "replica-" + i, cluster, "127.0.0.1", discovery[i], FreePorts.next(), 1, 10_000);
        return ControllerApp.start(new ControllerConfig(new ApiSettings("127.0.0.1", FreePorts.next(), 16 << 20), store,
                SouthboundSettings.defaults("127.0.0.1", 0), new ValueRange(1, 16_777_215), "fa:16:3e", 4, 1024, "noauth"));
    }

    private static String address(ControllerApp r) { return "127.0.0.1:" + r.southboundPort(); }

    private ManagedChannel dial(String address) {
        return channels.computeIfAbsent(address, a -> SouthboundFixture.channelTo(Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))));
    }

    /** host id -> the replica it is connected to, from every live replica's /southbound/hosts. */
    private Map<String, List<String>> connections() { return ReplicaStatus.serving(replicas, null); }

    /** Every host connected once, to the replica that names itself its owner by the hashing, with liveReplicas live. */
    private boolean partitioned(int liveReplicas) {
        for (ControllerApp r : replicas) {
            if (r != null && ReplicaStatus.members(r) != liveReplicas) return false;
        }
        List<String> live = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) if (replicas[i] != null) live.add("replica-" + i);
        return ReplicaStatus.eachOnceByItsOwner(connections(), HOSTS, live);
    }

    /** Every agent holds its own port and a neighbour for each of the ports. */
    private boolean converged(int ports) {
        for (SimulatedAgent a : agents) {
            if (a.state().entries("port").size() != 1 || a.state().entries("neighbor").size() != ports) return false;
        }
        return true;
    }

    /** host-000 holds its second port, every host a neighbour for each of the HOSTS + 1 ports. */
    private boolean holdsTheLatePort() {
        return agents.getFirst().state().entries("port").size() == 2
                && agents.stream().allMatch(a -> a.state().entries("neighbor").size() == HOSTS + 1);
    }

    @Test
    void hostsArePartitionedAndFollowTheirOwnerWhenAReplicaLeavesAndComesBack() {
        for (int i = 0; i < REPLICAS; i++) replicas[i] = startReplica(i);
        List<String> addresses = new ArrayList<>();
        for (ControllerApp r : replicas) addresses.add(address(r));
        Await.until("each replica sees the three", () -> {
            for (ControllerApp r : replicas) if (ReplicaStatus.members(r) != REPLICAS) return false;
            return true;
        });
        var api = new NeutronClient("http://127.0.0.1:" + replicas[0].port(), null);
        var net = api.createNetwork(Map.of("name", "partitioned"));
        api.createSubnet((String) net.get("id"), "10.44.0.0/16");
        for (int h = 0; h < HOSTS; h++) {
            String hostId = String.format("host-%03d", h);
            // each dials "its" replica first, as agents given the list in different orders would
            var agent = new SimulatedAgent(dial(addresses.get(h % REPLICAS)), hostId, "192.0.2." + (h % 250 + 1), null)
                    .replicas(addresses, this::dial);
            agents.add(agent);
            agent.connect();
        }
        // a port binds to a host its agent registered, which only its owner does
        Await.until("every host on its owner", () -> partitioned(REPLICAS));
        for (SimulatedAgent a : agents) api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", a.hostId()));
        Await.until("every host holds its port and every neighbour", () -> converged(HOSTS));
        Map<String, Integer> split = new HashMap<>();
        connections().forEach((host, on) -> split.merge(on.getFirst(), 1, Integer::sum));
        for (int i = 0; i < REPLICAS; i++) {
            int n = split.getOrDefault("replica-" + i, 0);
            assertTrue(Math.abs(n - HOSTS / REPLICAS) <= 0.3 * HOSTS / REPLICAS, "replica-" + i + " serves " + n + " of " + HOSTS + ": " + split);
        }
        long redirected = agents.stream().mapToLong(SimulatedAgent::redirects).sum();
        assertTrue(redirected > 0, "hosts that dialled another replica than their owner were sent on");

        long left = System.nanoTime();
        replicas[2].close();
        replicas[2] = null;
        Await.until("replica-2's hosts on the other two", () -> partitioned(REPLICAS - 1));
        long failedOver = System.nanoTime();
        api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", "host-000", "name", "after-the-leave"));
        Await.until("a change after the leave reaches every host", this::holdsTheLatePort);

        replicas[2] = startReplica(2);
        Await.until("replica-2 takes its share back", () -> partitioned(REPLICAS));
        Await.until("and every host converges again", this::holdsTheLatePort);
        System.out.printf("ReplicaOwnershipTest: split %s; %d redirects, %d failovers; replica-2's hosts on their new owners %d ms after it left%n",
                split, agents.stream().mapToLong(SimulatedAgent::redirects).sum(), agents.stream().mapToLong(SimulatedAgent::failovers).sum(),
                (failedOver - left) / 1_000_000);
        assertEquals(HOSTS, connections().size());
    }
}
