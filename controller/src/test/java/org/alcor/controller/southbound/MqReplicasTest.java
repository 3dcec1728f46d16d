package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.api.ApiSettings;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.store.StoreSettings;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.KafkaBroker;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.SouthboundPath;
import org.alcor.southbound.mq.AgentMqLink;
import org.alcor.southbound.mq.MqLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with the MQ path on one Kafka broker. Every replica reads every agents partition, yet a host on Kafka
 * is served by its owner alone, as on gRPC (before, every replica answered every Hello and sent its own goal states
 * to the same host); when its owner leaves, the other replica asks the host to say Hello and serves it from there.
 */
class MqReplicasTest {
    private static final int HOSTS = 12, REPLICAS = 2;

    private final Path dir = TestController.createTempDir();
    private final int[] discovery = {FreePorts.next(), FreePorts.next()};
    private final ControllerApp[] replicas = new ControllerApp[REPLICAS];
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, SimulatedAgent> agents = new java.util.LinkedHashMap<>();
    private final Map<String, Long> lastVersion = new ConcurrentHashMap<>();
    private final AtomicLong outOfOrder = new AtomicLong();
    private KafkaBroker broker;
    private AgentMqLink link;

    @AfterEach
    void tearDown() {
        agents.values().forEach(SimulatedAgent::close);
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ControllerApp r : replicas) if (r != null) r.close();
        if (link != null) link.close();
        if (broker != null) broker.close();
        TestController.deleteRecursively(dir);
    }

    private ControllerApp startReplica(int i, MqLayout layout) {
        List<String> cluster = new ArrayList<>();
        for (int d : discovery) cluster.add("127.0.0.1:" + d);
        var store = new StoreSettings(dir.resolve("r" + i), false, 256, "mq-replica-" + i, cluster, "127.0.0.1", discovery[i], FreePorts.next(), 1, 10_000);
        var southbound = new SouthboundSettings("127.0.0.1", 0, 4, 64 << 10, 10_000, 300_000)
                .withMq(new MqSettings(layout, MqSettings.Mode.MQ, 5_000, 3_000, 1_000));
        return ControllerApp.start(new ControllerConfig(new ApiSettings("127.0.0.1", FreePorts.next(), 16 << 20), store,
                southbound, new ValueRange(1, 16_777_215), "fa:16:3e", 4, 1024, "noauth"));
    }

    private ManagedChannel dial(String address) {
        return channels.computeIfAbsent(address, a -> SouthboundFixture.channelTo(Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))));
    }

    private boolean eachServedOnceByItsOwner(List<String> live) {
        return ReplicaStatus.eachOnceByItsOwner(ReplicaStatus.serving(replicas, "mq"), HOSTS, live);
    }

    @Test
    void aHostOnKafkaIsServedByItsOwnerAloneAndByTheSurvivorWhenItsOwnerLeaves() {
        broker = KafkaBroker.start();
        MqLayout layout = MqLayout.parse(broker.bootstrap(), 2, 3);
        link = new AgentMqLink(broker.bootstrap());
        for (int i = 0; i < REPLICAS; i++) replicas[i] = startReplica(i, layout);
        List<String> addresses = new ArrayList<>();
        for (ControllerApp r : replicas) addresses.add("127.0.0.1:" + r.southboundPort());
        Await.until("each replica sees the two", () -> {
            for (ControllerApp r : replicas) if (ReplicaStatus.members(r) != REPLICAS) return false;
            return true;
        });
        SimulatedAgent.Listener order = (agent, gs, at) -> {
            Long before = lastVersion.put(agent.hostId() + "/" + gs.getEpoch(), gs.getVersion());
            if (before != null && !gs.getFullSnapshot() && gs.getVersion() <= before) outOfOrder.incrementAndGet();
        };
        for (int h = 0; h < HOSTS; h++) {
            String hostId = String.format("mq-host-%02d", h);
            var agent = new SimulatedAgent(dial(addresses.get(h % REPLICAS)), hostId, "192.0.2." + (h + 1), order)
                    .replicas(addresses, this::dial).readsMq(link, layout);
            agents.put(hostId, agent);
            agent.connect();
        }
        Await.until("every host is moved to the MQ path", Duration.ofSeconds(60),
                () -> agents.values().stream().allMatch(a -> a.path() == SouthboundPath.MQ && a.appliedVersion() > 0));
        List<String> both = List.of("mq-replica-0", "mq-replica-1");
        Await.until("every host is served over Kafka by its owner alone", Duration.ofSeconds(30), () -> eachServedOnceByItsOwner(both));

        var api = new NeutronClient("http://127.0.0.1:" + replicas[0].port(), null);
        var net = api.createNetwork(Map.of("name", "mq-vpc"));
        api.createSubnet((String) net.get("id"), "10.46.0.0/24");
        for (String h : agents.keySet()) api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", h));
        MqPathTest.assertEquivalent(replicas[0].store(), agents, () -> "");
        assertEquals(true, eachServedOnceByItsOwner(both), "still served once each: " + ReplicaStatus.serving(replicas, "mq"));

        // Replica 1 leaves: its hosts keep their Kafka partitions, and replica 0 asks each to say Hello to it.
        replicas[1].close();
        replicas[1] = null;
        List<String> left = List.of("mq-replica-0");
        Await.until("replica 0 serves every host over Kafka", Duration.ofSeconds(60), () -> eachServedOnceByItsOwner(left));
        for (String h : agents.keySet()) api.createPort(Map.of("network_id", net.get("id"), "binding:host_id", h));
        MqPathTest.assertEquivalent(replicas[0].store(), agents, () -> "");
        assertEquals(0, outOfOrder.get(), "no host saw a version twice or out of order within an epoch");
        // Not here yet: the owner coming back. Its hosts move to it while replica 0, alive, still writes its VPC feeds,
        // and in two runs of fourteen a host ended without some neighbours (not understood yet; see the notes).
    }
}
