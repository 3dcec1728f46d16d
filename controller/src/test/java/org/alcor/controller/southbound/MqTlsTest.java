package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.pki.HostCert;
import org.alcor.controller.pki.KafkaCert;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.KafkaBroker;
import org.alcor.controller.testing.TestController;
import org.alcor.proto.AgentMessage;
import org.alcor.proto.Hello;
import org.alcor.proto.SouthboundPath;
import org.alcor.southbound.mq.AgentMqLink;
import org.alcor.southbound.mq.MqClients;
import org.alcor.southbound.mq.MqLayout;
import org.alcor.southbound.mq.MqTls;
import org.alcor.southbound.mq.SignedHello;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQ path as secure as the southbound: a TLS broker that takes only certificates of the controller's CA, the
 * agents' ACLs the controller creates, and Hellos that count only when signed by the host they name.
 */
class MqTlsTest {
    private static Path pki, certs;
    private static KafkaBroker broker;
    private static TestController controller;
    private static SouthboundFixture fixture;
    private static MqLayout layout;
    private static final List<ManagedChannel> channels = new ArrayList<>();
    private static final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void start() {
        pki = TestController.createTempDir();
        certs = TestController.createTempDir();
        // What an operator does on the controller's machine: the broker's certificate, then one per host.
        KafkaCert.main(new String[] {"--out", certs.resolve("broker").toString(), "--southbound-ca", pki.toString()});
        for (String host : List.of("mqtls-a", "mqtls-b")) HostCert.main(new String[] {host, "--out", certs.resolve(host).toString(), "--southbound-ca", pki.toString()});
        broker = KafkaBroker.start(certs.resolve("broker"), tls("mqtls-a"));
        layout = MqLayout.parse(broker.bootstrap(), 2, 3);
        controller = TestController.start(SouthboundSettings.defaults("127.0.0.1", 0).withCa(pki)
                .withMq(new MqSettings(layout, MqSettings.Mode.MQ, 5_000, 5_000, 1_000)));
        fixture = new SouthboundFixture(controller);
        controller.admin().registerHost("mqtls-a", "192.0.2.71");
        controller.admin().registerHost("mqtls-b", "192.0.2.72");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : closing) c.close();
        channels.forEach(ManagedChannel::shutdownNow);
        if (fixture != null) fixture.close();
        if (controller != null) controller.close();
        if (broker != null) broker.close();
        TestController.deleteRecursively(pki);
        TestController.deleteRecursively(certs);
    }

    private static MqTls tls(String host) {
        Path d = certs.resolve(host);
        return MqTls.load(d.resolve("host.crt"), d.resolve("host.key"), d.resolve("ca.crt"));
    }

    private static ManagedChannel tlsChannel(String host) throws Exception {
        Path d = certs.resolve(host);
        var ssl = GrpcSslContexts.forClient().trustManager(d.resolve("ca.crt").toFile())
                .keyManager(d.resolve("host.crt").toFile(), d.resolve("host.key").toFile()).build();
        var channel = NettyChannelBuilder.forAddress("127.0.0.1", controller.app().southboundPort()).sslContext(ssl).directExecutor().build();
        channels.add(channel);
        return channel;
    }

    private static double counter(String name) {
        for (String line : controller.admin().get("/metrics").raw().split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        }
        return 0;
    }

    @Test
    void aHostWithItsCertificateIsServedOverTlsKafka() throws Exception {
        double refused = counter("alcor_southbound_mq_hellos_refused_total");
        var link = new AgentMqLink(broker.bootstrap(), tls("mqtls-a"));
        closing.add(link);
        var agent = new SimulatedAgent(tlsChannel("mqtls-a"), "mqtls-a", "192.0.2.71", null).readsMq(link, layout).connect();
        closing.add(agent);
        Await.until("the host is moved to Kafka", Duration.ofSeconds(60), () -> agent.path() == SouthboundPath.MQ);
        var net = fixture.network("10.42.0.0/24");
        var port = fixture.port(net.get("id"), "mqtls-a");
        Await.until("the port reached the host over Kafka alone", Duration.ofSeconds(30),
                () -> agent.state().keys("port").contains((String) port.get("id")));
        assertEquals(refused, counter("alcor_southbound_mq_hellos_refused_total"), "the host's own signed Hellos are taken");
    }

    @Test
    void aClientWithoutACertificateIsNotServed() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin plaintext = Admin.create(p)) {
            assertThrows(ExecutionException.class, () -> plaintext.describeCluster().nodes().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anAgentCannotReadTheAgentsTopicWhereStreamIdsTravel() {
        Properties p = MqClients.assignedReader(broker.bootstrap(), 1 << 20, tls("mqtls-b"));
        try (var consumer = new KafkaConsumer<String, byte[]>(p)) {
            consumer.assign(List.of(new TopicPartition(MqLayout.AGENTS_TOPIC + "0", 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThrows(TopicAuthorizationException.class, () -> {
                for (int i = 0; i < 20; i++) consumer.poll(Duration.ofMillis(500));
            });
        }
    }

    @Test
    void aHelloSignedByAnotherHostOrNotSignedIsRefused() throws Exception {
        double before = counter("alcor_southbound_mq_hellos_refused_total");
        var link = new AgentMqLink(broker.bootstrap(), tls("mqtls-a"));   // host a's certificate: it may write
        closing.add(link);
        var place = layout.of("mqtls-b");
        String stream = UUID.randomUUID().toString();
        // Host a speaks as b: signs a Hello naming b with its own key, then sends one not signed at all.
        Hello forged = SignedHello.sign(Hello.newBuilder().setHostId("mqtls-b").setUnderlayIp("203.0.113.66").setReadsMq(true), stream, tls("mqtls-a"));
        link.send(place.agentsTopic(), place.partition(), "mqtls-b", AgentMessage.newBuilder().setStreamId(stream).setHello(forged).build()).get(10, TimeUnit.SECONDS);
        Hello unsigned = Hello.newBuilder().setHostId("mqtls-b").setUnderlayIp("203.0.113.67").setReadsMq(true).build();
        link.send(place.agentsTopic(), place.partition(), "mqtls-b", AgentMessage.newBuilder().setStreamId(UUID.randomUUID().toString())
                .setHello(unsigned).build()).get(10, TimeUnit.SECONDS);
        Await.until("both Hellos are refused", Duration.ofSeconds(20), () -> counter("alcor_southbound_mq_hellos_refused_total") >= before + 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> host = (Map<String, Object>) controller.admin().get("/v2.0/hosts/mqtls-b").json().get("host");
        assertEquals("192.0.2.72", host.get("host_ip"), "a refused Hello changes nothing of the host it names");
        @SuppressWarnings("unchecked")
        var hosts = (List<Map<String, Object>>) controller.admin().get("/southbound/hosts").json().get("hosts");
        assertTrue(hosts.stream().noneMatch(h -> "mqtls-b".equals(h.get("host_id")) && "mq".equals(h.get("path"))), "b is not served on Kafka: " + hosts);
    }
}
