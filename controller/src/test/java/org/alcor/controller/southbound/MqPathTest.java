package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.dataplane.FullRecompute;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.KafkaBroker;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.SouthboundPath;
import org.alcor.southbound.mq.AgentMqLink;
import org.alcor.southbound.mq.MqLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQ path against a real Kafka broker: hosts moved off gRPC get every goal state over Kafka alone, in order and
 * once, and end equal to a full recompute, through an agent restart, a kill -9 of the broker and moves back and forth
 * under load; a move the agent cannot make is rolled back and the host keeps being served over gRPC.
 */
class MqPathTest {
    private static final int PUSH_LIMIT = 10_000;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() { broker = KafkaBroker.start(); }

    @AfterAll
    static void stopBroker() { if (broker != null) broker.close(); }

    private static SouthboundSettings settings(MqLayout layout, MqSettings.Mode mode) { return settings(layout, mode, PUSH_LIMIT); }

    private static SouthboundSettings settings(MqLayout layout, MqSettings.Mode mode, int pushLimit) {
        return new SouthboundSettings("127.0.0.1", 0, 4, 64 << 10, pushLimit, 300_000)
                .withMq(new MqSettings(layout, mode, 5_000, 3_000, 1_000));
    }

    /** Counts, per host, a delta whose version is not above the last one seen (a duplicate or a reordering). */
    private static final class Order implements SimulatedAgent.Listener {
        final Map<String, Long> last = new ConcurrentHashMap<>();
        final AtomicLong outOfOrder = new AtomicLong();

        @Override public void applied(SimulatedAgent agent, org.alcor.proto.GoalState gs, long receivedNanos) {
            Long before = last.put(agent.hostId() + "/" + gs.getEpoch(), gs.getVersion());
            if (before != null && !gs.getFullSnapshot() && gs.getVersion() <= before) outOfOrder.incrementAndGet();
        }
    }

    @Test
    void hostsOnKafkaAloneGetEveryGoalStateInOrderAndEqualAFullRecompute() {
        MqLayout layout = MqLayout.parse(broker.bootstrap(), 2, 3);
        Order order = new Order();
        try (var controller = TestController.start(settings(layout, MqSettings.Mode.MQ));
             var fixture = new SouthboundFixture(controller);
             var link = new AgentMqLink(broker.bootstrap())) {
            var api = controller.admin();
            Map<String, SimulatedAgent> agents = connect(fixture, link, layout, order, "mq-host-", 10, 10);
            List<String> hosts = new ArrayList<>(agents.keySet());
            var net = fixture.network("10.40.0.0/24");
            List<Map<String, Object>> ports = new ArrayList<>();
            for (int i = 0; i < 30; i++) ports.add(fixture.port(net.get("id"), hosts.get(i % hosts.size())));
            Await.until("every host is moved to the MQ path", Duration.ofSeconds(60),
                    () -> agents.values().stream().allMatch(a -> a.path() == SouthboundPath.MQ));
            Await.until("the controller serves every host over Kafka", () -> hostsOnPath(api, "mq") == hosts.size());

            // From here the hosts have no gRPC stream: whatever changes reaches them over Kafka or not at all.
            for (int i = 0; i < 20; i++) ports.add(fixture.port(net.get("id"), hosts.get(i % hosts.size())));
            for (int i = 0; i < 10; i++) api.delete("/v2.0/ports/" + ports.remove(0).get("id"));
            assertEquivalent(controller, hosts, agents);
            assertTrue(agents.values().stream().mapToLong(SimulatedAgent::feedRecords).sum() > 0, "neighbour changes came on the VPC feed");

            // One write per VPC change: a new port is one goal state (to its own host) and one record on the VPC's
            // feed, which the nine other hosts read, instead of ten goal states.
            Await.until("every host follows the VPC's feed", () -> agents.values().stream().allMatch(a -> a.feedsFollowed() == 1));
            double messages = counter(controller, "alcor_southbound_messages_sent_total");
            double records = counter(controller, "alcor_southbound_mq_feed_records_sent_total");
            var port = fixture.port(net.get("id"), hosts.get(1));
            String neighbor = net.get("id") + "/" + SouthboundFixture.ip(port);
            ports.add(port);
            Await.until("every other host has the new neighbour", () -> agents.values().stream()
                    .filter(a -> !a.hostId().equals(hosts.get(1))).allMatch(a -> a.state().keys("neighbor").contains(neighbor)));
            Await.until("the record is counted as written", () -> counter(controller, "alcor_southbound_mq_feed_records_sent_total") > records);
            assertEquals(1, counter(controller, "alcor_southbound_messages_sent_total") - messages, "goal states sent for one new port");
            assertEquals(1, counter(controller, "alcor_southbound_mq_feed_records_sent_total") - records, "feed records written for it");

            // An agent restarted empty: it comes back over gRPC, gets its snapshot, and is moved again.
            agents.remove(hosts.get(0)).close();
            agents.put(hosts.get(0), new SimulatedAgent(fixture.channel(), hosts.get(0), "192.0.2.10", order).readsMq(link, layout).connect());
            Await.until("the restarted agent has its snapshot", () -> agents.get(hosts.get(0)).appliedVersion() > 0);
            for (int i = 0; i < 6; i++) ports.add(fixture.port(net.get("id"), hosts.get(i % hosts.size())));
            Await.until("the restarted agent is on the MQ path again", Duration.ofSeconds(60),
                    () -> agents.get(hosts.get(0)).path() == SouthboundPath.MQ);
            assertEquivalent(controller, hosts, agents);

            assertEquals(0, order.outOfOrder.get(), "no host saw a version twice or out of order");
        }
    }

    /**
     * An ON_DEMAND VPC's feed writes nothing for creates, so it stands still while its hosts' cursors move on; hosts
     * whose first port came after the VPC went on demand must still be handed over to it. (They were not: the feed
     * and the host had to stand at the same sequence number, so at 10,000 hosts 3,000 never followed the feed and a
     * deletion went out as 3,000 goal states instead of one record.)
     */
    @Test
    void hostsOfAnOnDemandVpcFollowItsFeedAndADeletionIsOneRecord() {
        MqLayout layout = MqLayout.parse(broker.bootstrap(), 2, 3);
        int pushLimit = 4;
        Order order = new Order();
        try (var controller = TestController.start(settings(layout, MqSettings.Mode.MQ, pushLimit));
             var fixture = new SouthboundFixture(controller);
             var link = new AgentMqLink(broker.bootstrap())) {
            Map<String, SimulatedAgent> agents = connect(fixture, link, layout, order, "od-host-", 10, 60);
            List<String> hosts = new ArrayList<>(agents.keySet());
            Await.until("every host is moved to the MQ path", Duration.ofSeconds(60),
                    () -> agents.values().stream().allMatch(a -> a.path() == SouthboundPath.MQ));
            var net = fixture.network("10.41.0.0/24");
            List<Map<String, Object>> ports = new ArrayList<>();
            // One port per host in turn: the VPC goes ON_DEMAND at the fifth, before the last six hosts have any.
            for (int i = 0; i < 20; i++) ports.add(fixture.port(net.get("id"), hosts.get(i % hosts.size())));
            Await.until("every host follows the VPC's feed", Duration.ofSeconds(60),
                    () -> agents.values().stream().allMatch(a -> a.feedsFollowed() == 1));
            assertEquivalent(controller, hosts, agents, pushLimit);

            Map<String, Long> before = new java.util.HashMap<>();
            agents.forEach((h, a) -> before.put(h, a.feedRecords()));
            double messages = counter(controller, "alcor_southbound_messages_sent_total");
            double records = counter(controller, "alcor_southbound_mq_feed_records_sent_total");
            controller.admin().delete("/v2.0/ports/" + ports.remove(0).get("id"));
            Await.until("every host applied the deletion's feed record", Duration.ofSeconds(30),
                    () -> agents.entrySet().stream().allMatch(e -> e.getValue().feedRecords() > before.get(e.getKey())));
            assertEquals(1, counter(controller, "alcor_southbound_mq_feed_records_sent_total") - records, "feed records for one deletion");
            assertEquals(1, counter(controller, "alcor_southbound_messages_sent_total") - messages, "goal states: the port's own host only");
            assertEquivalent(controller, hosts, agents, pushLimit);
            assertEquals(0, order.outOfOrder.get(), "no host saw a version twice or out of order");
        }
    }

    /**
     * kill -9 of the broker while ports are created and deleted: every host ends equal to a full recompute, no
     * version seen twice. (It once lost a delete: the simulated agent applied a message of the stream it was
     * leaving after the new stream's Hello, and acked it there.)
     */
    @Test
    void aBrokerKilledMidRunLosesNothing() {
        MqLayout layout = MqLayout.parse(broker.bootstrap(), 2, 3);
        Order order = new Order();
        try (var controller = TestController.start(settings(layout, MqSettings.Mode.MQ));
             var fixture = new SouthboundFixture(controller);
             var link = new AgentMqLink(broker.bootstrap())) {
            var api = controller.admin();
            Map<String, SimulatedAgent> agents = connect(fixture, link, layout, order, "mq-kill-host-", 10, 100);
            List<String> hosts = new ArrayList<>(agents.keySet());
            var net = fixture.network("10.42.0.0/24");
            List<Map<String, Object>> ports = new ArrayList<>();
            for (int i = 0; i < 30; i++) ports.add(fixture.port(net.get("id"), hosts.get(i % hosts.size())));
            Await.until("every host is moved to the MQ path", Duration.ofSeconds(60),
                    () -> agents.values().stream().allMatch(a -> a.path() == SouthboundPath.MQ));
            // kill -9 of the broker while ports are created: nothing is lost (the controller's producer retries, or
            // agents fall back to gRPC when their heartbeats fail, and are moved again later).
            broker.kill();
            for (int i = 0; i < 8; i++) ports.add(fixture.port(net.get("id"), hosts.get(i % hosts.size())));
            broker.restart();
            for (int i = 0; i < 4; i++) api.delete("/v2.0/ports/" + ports.remove(0).get("id"));
            assertEquivalent(controller, hosts, agents);
            assertEquals(0, order.outOfOrder.get(), "no host saw a version twice or out of order");
        }
    }

    /**
     * Every host moved grpc -> mq -> grpc -> mq while ports are created and deleted without pause: no version is
     * seen twice or out of order, and every host ends equal to a full recompute.
     */
    @Test
    void switchingPathsUnderLoadLosesAndDuplicatesNothing() throws Exception {
        MqLayout layout = MqLayout.parse(broker.bootstrap(), 2, 3);
        Order order = new Order();
        try (var controller = TestController.start(settings(layout, MqSettings.Mode.GRPC));
             var fixture = new SouthboundFixture(controller);
             var link = new AgentMqLink(broker.bootstrap())) {
            var api = controller.admin();
            Map<String, SimulatedAgent> agents = connect(fixture, link, layout, order, "mq-switch-host-", 8, 150);
            List<String> hosts = new ArrayList<>(agents.keySet());
            var net = fixture.network("10.43.0.0/24");
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            var writes = new AtomicLong();
            var load = java.util.concurrent.Executors.newSingleThreadExecutor().submit(() -> {
                java.util.ArrayDeque<String> live = new java.util.ArrayDeque<>();
                for (int i = 0; !stop.get(); i++) {
                    live.add((String) fixture.port(net.get("id"), hosts.get(i % hosts.size())).get("id"));
                    if (live.size() > 40) api.delete("/v2.0/ports/" + live.poll());
                    writes.incrementAndGet();
                }
                return null;
            });
            try {
                for (var to : List.of(SouthboundPath.MQ, SouthboundPath.GRPC, SouthboundPath.MQ)) {
                    controller.app().southbound().steer(to == SouthboundPath.MQ ? MqSettings.Mode.MQ : MqSettings.Mode.GRPC);
                    long before = writes.get();
                    Await.until("every host is moved to " + to + " under load", Duration.ofSeconds(90),
                            () -> agents.values().stream().allMatch(a -> a.path() == to) && hostsOnPath(api, to.name().toLowerCase()) == hosts.size());
                    Await.until("the load went on during the move", () -> writes.get() > before + 10 || load.isDone());
                }
            } finally {
                stop.set(true);
            }
            load.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(writes.get() > 30, "the ports were written while hosts moved");
            assertEquivalent(controller, hosts, agents);
            assertEquals(0, order.outOfOrder.get(), "no host saw a version twice or out of order");
        }
    }

    @Test
    void aMoveTheAgentCannotMakeIsRolledBackAndTheHostStaysOnGrpc() {
        MqLayout controllerLayout = MqLayout.parse(broker.bootstrap(), 2, 3);
        // The agent was given other counts: the controller's announcement names another partition than its own.
        MqLayout agentLayout = MqLayout.parse(broker.bootstrap(), 5, 7);
        String host = "misconfigured-host";
        while (agentLayout.of(host).partition() == controllerLayout.of(host).partition()) host = host + "x";
        try (var controller = TestController.start(settings(controllerLayout, MqSettings.Mode.MQ));
             var fixture = new SouthboundFixture(controller);
             var link = new AgentMqLink(broker.bootstrap())) {
            var agent = new SimulatedAgent(fixture.channel(), host, "192.0.2.50", null).readsMq(link, agentLayout).connect();
            Await.until("the host has its first snapshot", () -> agent.appliedVersion() > 0);
            var net = fixture.network("10.41.0.0/24");
            fixture.port(net.get("id"), host);
            Await.until("the move is rolled back", Duration.ofSeconds(30), () -> counter(controller, "alcor_southbound_path_rollbacks_total") >= 1);
            String portId = (String) fixture.port(net.get("id"), host).get("id");
            Await.until("the host still gets its goal states, over gRPC", () -> agent.state().keys("port").contains(portId));
            assertEquals(SouthboundPath.GRPC, agent.path());
        }
    }

    /** n agents that can be moved to Kafka, named prefix + i, each with its first snapshot; in name order. */
    private static Map<String, SimulatedAgent> connect(SouthboundFixture fixture, AgentMqLink link, MqLayout layout, Order order,
                                                       String prefix, int n, int firstAddress) {
        Map<String, SimulatedAgent> agents = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String h = prefix + i;
            agents.put(h, new SimulatedAgent(fixture.channel(), h, "192.0.2." + (firstAddress + i), order).readsMq(link, layout).connect());
        }
        Await.until("every host has its first snapshot", () -> agents.values().stream().allMatch(a -> a.appliedVersion() > 0));
        return agents;
    }

    private static double counter(TestController controller, String name) {
        String text = controller.admin().get("/metrics").raw();
        for (String line : text.split("\n")) if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static long hostsOnPath(org.alcor.controller.testing.NeutronClient api, String path) {
        var hosts = (List<Map<String, Object>>) api.get("/southbound/hosts").json().get("hosts");
        return hosts.stream().filter(h -> path.equals(h.get("path"))).count();
    }

    private static void assertEquivalent(TestController controller, List<String> hosts, Map<String, SimulatedAgent> agents) {
        assertEquivalent(controller, hosts, agents, PUSH_LIMIT);
    }

    private static void assertEquivalent(TestController controller, List<String> hosts, Map<String, SimulatedAgent> agents, int pushLimit) {
        Map<String, SimulatedAgent> these = new java.util.LinkedHashMap<>();
        for (String h : hosts) these.put(h, agents.get(h));
        assertEquivalent(controller.app().store(), these, pushLimit, () -> "\n  controller: " + controller.admin().get("/southbound/hosts").raw());
    }

    static void assertEquivalent(org.alcor.controller.store.Store store, Map<String, SimulatedAgent> agents, java.util.function.Supplier<String> context) {
        assertEquivalent(store, agents, PUSH_LIMIT, context);
    }

    /** Every agent holds what a full recompute from the store gives its host; context: what to show when not. */
    static void assertEquivalent(org.alcor.controller.store.Store store, Map<String, SimulatedAgent> agents, int pushLimit,
                                 java.util.function.Supplier<String> context) {
        List<String> hosts = new ArrayList<>(agents.keySet());
        try (var recompute = new FullRecompute(store, pushLimit, hosts)) {
            Await.until("the recompute has every host's snapshot", Duration.ofSeconds(60), recompute::loaded);
            List<String> last = new ArrayList<>();
            try {
                Await.until("every host equals the full recompute", Duration.ofSeconds(90), () -> {
                    last.clear();
                    for (String h : hosts) last.addAll(recompute.differences(h, agents.get(h).state()));
                    return last.isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + context.get()
                        + "\n  differences:\n  " + String.join("\n  ", last.subList(0, Math.min(20, last.size()))), e);
            }
        }
    }
}
