package org.alcor.controller.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.alcor.bench.southbound.SimulatedAgent;
import org.alcor.controller.pki.CertificateAuthority;
import org.alcor.controller.pki.HostCert;
import org.alcor.controller.testing.Await;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The southbound authenticates hosts: mutual TLS with the controller's CA, each host's certificate naming it. A
 * plaintext client, a client with a stranger's certificate and a host posing as another are refused; a host
 * cannot read another host's state or the neighbours of a VPC it has no port in.
 */
class MutualTlsTest {
    private static Path pki, certs;
    private static TestController controller;
    private static SouthboundFixture f;
    private static final List<ManagedChannel> channels = new ArrayList<>();
    private static final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pki = TestController.createTempDir();
        certs = TestController.createTempDir();
        controller = TestController.start(SouthboundSettings.defaults("127.0.0.1", 0).withCa(pki));
        f = new SouthboundFixture(controller);
        controller.admin().registerHost("tls-a", "192.0.2.61");
        controller.admin().registerHost("tls-b", "192.0.2.62");
        controller.admin().registerHost("tls-other", "192.0.2.63");
        controller.admin().registerHost("tls-c", "192.0.2.64");
        // What an operator does on the controller's machine, per host.
        for (String host : List.of("tls-a", "tls-b", "tls-c")) HostCert.main(new String[] {host, "--out", certs.resolve(host).toString(), "--southbound-ca", pki.toString()});
    }

    @AfterAll
    static void stop() {
        agents.forEach(SimulatedAgent::close);
        channels.forEach(ManagedChannel::shutdownNow);
        f.close();
        TestController.deleteRecursively(pki);
        TestController.deleteRecursively(certs);
    }

    private static ManagedChannel tlsChannel(Path dir) throws Exception {
        var ssl = GrpcSslContexts.forClient().trustManager(dir.resolve("ca.crt").toFile())
                .keyManager(dir.resolve("host.crt").toFile(), dir.resolve("host.key").toFile()).build();
        var channel = NettyChannelBuilder.forAddress("127.0.0.1", controller.app().southboundPort()).sslContext(ssl).directExecutor().build();
        channels.add(channel);
        return channel;
    }

    private static SimulatedAgent agent(ManagedChannel channel, String hostId, String underlay) {
        var a = new SimulatedAgent(channel, hostId, underlay, null).connect();
        agents.add(a);
        return a;
    }

    private static Status.Code refusal(SimulatedAgent a) {
        Await.until(a.hostId() + "'s stream is refused", () -> a.streamError() != null);
        return Status.fromThrowable(a.streamError()).getCode();
    }

    @Test
    void theCaAndTheHostKeysAreOwnerOnlyFiles() throws Exception {
        assertTrue(Files.exists(pki.resolve("ca.crt")), "the CA was created on first start");
        Set<PosixFilePermission> owner = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertEquals(owner, Files.getPosixFilePermissions(pki.resolve("ca.key")));
        assertEquals(owner, Files.getPosixFilePermissions(certs.resolve("tls-a").resolve("host.key")));
        var cert = CertificateAuthority.Pem.certificate(certs.resolve("tls-a").resolve("host.crt"));
        assertEquals("CN=tls-a", cert.getSubjectX500Principal().getName());
        cert.verify(CertificateAuthority.Pem.certificate(pki.resolve("ca.crt")).getPublicKey());
    }

    @Test
    void aHostWithItsCertificateGetsItsGoalState() throws Exception {
        var net = f.network("10.61.0.0/24");
        var port = f.port(net.get("id"), "tls-a");
        SimulatedAgent a = agent(tlsChannel(certs.resolve("tls-a")), "tls-a", "192.0.2.61");
        Await.until("tls-a holds its port", () -> a.state().entries("port").containsKey(port.get("id")));
        Await.until("and the port is ACTIVE from its report", () -> "ACTIVE".equals(f.status(port.get("id"))));
    }

    @Test
    void aPlaintextClientIsRefused() {
        var plain = SouthboundFixture.channelTo(controller.app().southboundPort());
        channels.add(plain);
        SimulatedAgent a = agent(plain, "tls-plain", "192.0.2.99");
        refusal(a);
        assertEquals(0, a.appliedVersion(), "nothing was sent to it");
        assertEquals(404, controller.admin().get("/v2.0/hosts/tls-plain").status(), "and it registered nothing");
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() throws Exception {
        Path otherPki = TestController.createTempDir(), other = TestController.createTempDir();
        try {
            var stranger = CertificateAuthority.openOrCreate(otherPki);
            stranger.writeHost(stranger.issueHost("tls-stranger"), other);
            // It trusts the real CA (so the server is accepted) but presents a stranger's host certificate.
            Files.copy(pki.resolve("ca.crt"), other.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            SimulatedAgent a = agent(tlsChannel(other), "tls-stranger", "192.0.2.98");
            refusal(a);
            assertEquals(0, a.appliedVersion());
            assertEquals(404, controller.admin().get("/v2.0/hosts/tls-stranger").status(), "it registered nothing");
        } finally {
            TestController.deleteRecursively(otherPki);
            TestController.deleteRecursively(other);
        }
    }

    @Test
    void aHostCannotSayHelloAsAnotherOrMoveItsTunnelEndpoint() throws Exception {
        controller.admin().registerHost("tls-victim", "192.0.2.70");
        var net = f.network("10.62.0.0/24");
        var victims = f.port(net.get("id"), "tls-victim");
        SimulatedAgent posing = agent(tlsChannel(certs.resolve("tls-a")), "tls-victim", "192.0.2.66");
        assertEquals(Status.Code.PERMISSION_DENIED, refusal(posing));
        assertFalse(posing.state().entries("port").containsKey(victims.get("id")), "it was sent none of the victim's state");
        var host = controller.admin().get("/v2.0/hosts/tls-victim").member("host");
        assertEquals("192.0.2.70", host.get("host_ip"), "the victim's underlay address stands");
    }

    @Test
    void lookupsAreForTheCallersOwnVpcsOnly() throws Exception {
        var mine = f.network("10.63.0.0/24");
        var theirs = f.network("10.64.0.0/24");
        var myPort = f.port(mine.get("id"), "tls-b");
        var neighbour = f.port(mine.get("id"), "tls-other");
        var secret = f.port(theirs.get("id"), "tls-other");
        ManagedChannel channel = tlsChannel(certs.resolve("tls-b"));
        SimulatedAgent b = agent(channel, "tls-b", "192.0.2.62");
        Await.until("tls-b holds its port", () -> b.state().entries("port").containsKey(myPort.get("id")));

        var found = b.lookup((String) mine.get("id"), SouthboundFixture.ip(neighbour));
        assertTrue(found.getFound(), "a neighbour in its own VPC is answered");
        var denied = assertThrows(StatusRuntimeException.class, () -> b.lookup((String) theirs.get("id"), SouthboundFixture.ip(secret)));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode(), "another project's VPC is not");
        var posing = assertThrows(StatusRuntimeException.class, () -> org.alcor.proto.GoalStateServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).lookupNeighbor(org.alcor.proto.NeighborQuery.newBuilder()
                        .setHostId("tls-other").setVpcId((String) theirs.get("id")).setIp(SouthboundFixture.ip(secret)).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, posing.getStatus().getCode(), "nor may it ask as another host");
        assertNotNull(found.getNeighbor().getMac());
    }

    @Test
    void theRescuePullGivesAHostItsOwnGoalStateOnly() throws Exception {
        var net = f.network("10.65.0.0/24");
        var mine = f.port(net.get("id"), "tls-c");
        f.port(net.get("id"), "tls-other");
        ManagedChannel channel = tlsChannel(certs.resolve("tls-c"));
        var stub = org.alcor.proto.GoalStateServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        java.util.List<org.alcor.proto.GoalState> parts = new java.util.ArrayList<>();
        stub.pullGoalState(org.alcor.proto.PullRequest.newBuilder().setHostId("tls-c").build()).forEachRemaining(parts::add);
        assertTrue(parts.get(0).getFullSnapshot(), "a full snapshot");
        assertTrue(parts.stream().anyMatch(p -> p.getPortsMap().containsKey((String) mine.get("id"))), "with the host's own port");
        var posing = assertThrows(StatusRuntimeException.class, () -> org.alcor.proto.GoalStateServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).pullGoalState(org.alcor.proto.PullRequest.newBuilder().setHostId("tls-other").build())
                .forEachRemaining(p -> { }));
        assertEquals(Status.Code.PERMISSION_DENIED, posing.getStatus().getCode(), "another host's goal state is not given");
    }
}
