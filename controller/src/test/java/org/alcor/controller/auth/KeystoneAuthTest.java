package org.alcor.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.alcor.controller.testing.KeystoneFixture;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real controller with {@code --auth keystone} against a real Keystone (Debian's keystone 22 under uwsgi, started
 * once for the class): two projects with a member each, and the bootstrap admin. Then the real OpenStack CLI with
 * password auth, which finds the controller through Keystone's catalog.
 */
class KeystoneAuthTest {
    private static final Path CLI = Path.of("/usr/bin/openstack");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeystoneFixture keystone;
    private static TestController controller;
    private static String alphaId, betaId, adminProjectId;
    private static NeutronClient alice, bob, admin;
    private static Path cliDir;

    @BeforeAll
    static void start() {
        List<Path> missing = new ArrayList<>(KeystoneFixture.missing());
        if (!Files.isExecutable(CLI)) missing.add(CLI);
        if (!missing.isEmpty()) {
            // CI installs keystone, uwsgi, uwsgi-plugin-python3 and the CLI (bin/install-test-deps): there this is a failure.
            if ("true".equals(System.getenv("CI"))) fail("missing " + missing + "; run bin/install-test-deps");
            Assumptions.abort("missing " + missing + " (apt-get install keystone uwsgi uwsgi-plugin-python3 python3-openstackclient)");
        }
        keystone = KeystoneFixture.start();
        String service = keystone.createProject("service");
        keystone.grant(service, keystone.createUser("alcor", "alcor-pw"), "admin");
        alphaId = keystone.createProject("alpha");
        betaId = keystone.createProject("beta");
        keystone.grant(alphaId, keystone.createUser("alice", "alice-pw"), "member");
        keystone.grant(betaId, keystone.createUser("bob", "bob-pw"), "member");

        controller = TestController.start(KeystoneSettings.of(keystone.url(), "alcor", "alcor-pw", "service"));
        keystone.registerService("network", "neutron", controller.baseUrl());
        alice = controller.withToken(keystone.token("alice", "alice-pw", "alpha"));
        bob = controller.withToken(keystone.token("bob", "bob-pw", "beta"));
        admin = controller.withToken(keystone.token("admin", KeystoneFixture.ADMIN_PASSWORD, "admin"));
        adminProjectId = (String) admin.createNetwork(Map.of("name", "admin-net")).get("project_id");
        cliDir = TestController.createTempDir();
    }

    @AfterAll
    static void stop() {
        try {
            if (controller != null) controller.close();
        } finally {
            try {
                if (keystone != null) keystone.close();
            } finally {
                if (cliDir != null) TestController.deleteRecursively(cliDir);
            }
        }
    }

    private static List<String> names(NeutronClient client) {
        var r = client.get("/v2.0/networks");
        assertEquals(200, r.status(), r.raw());
        return r.list("networks").stream().map(n -> (String) n.get("name")).toList();
    }

    @Test
    void aNetworkTakesItsProjectFromTheTokenAndItsMemberSeesOnlyItsOwnProjectsNetworks() {
        Map<String, Object> a = alice.createNetwork(Map.of("name", "alpha-net"));
        bob.createNetwork(Map.of("name", "beta-net"));

        assertEquals(alphaId, a.get("project_id"));
        assertEquals(alphaId, a.get("tenant_id"));
        List<String> seen = names(alice);
        assertTrue(seen.contains("alpha-net"), seen::toString);
        assertFalse(seen.contains("beta-net") || seen.contains("admin-net"), seen::toString);
        assertFalse(names(bob).contains("alpha-net"));
    }

    @Test
    void aMemberGets404ForAnotherProjectsNetwork() {
        String id = (String) bob.createNetwork(Map.of("name", "beta-private")).get("id");

        var r = alice.get("/v2.0/networks/" + id);
        assertEquals(404, r.status(), r.raw());
        assertEquals("NetworkNotFound", r.errorType());
        assertEquals(404, alice.delete("/v2.0/networks/" + id).status());
        assertEquals(200, bob.get("/v2.0/networks/" + id).status());
    }

    @Test
    void theAdminRoleSeesEveryProjectsNetworks() {
        alice.createNetwork(Map.of("name", "alpha-for-admin"));
        bob.createNetwork(Map.of("name", "beta-for-admin"));

        List<String> seen = names(admin);
        assertTrue(seen.containsAll(List.of("alpha-for-admin", "beta-for-admin", "admin-net")), seen::toString);
        assertFalse(adminProjectId.equals(alphaId) || adminProjectId.equals(betaId));
    }

    /**
     * Every route, with no token, a member's token and an admin's: what each answers. Liveness, readiness and the
     * API's description are open; anything showing tenant data needs a token; anything showing the fleet (hosts,
     * their delivery lag, metrics) needs an admin.
     */
    @Test
    void everyRouteAnswersAsTheTableSays() {
        NeutronClient anonymous = NeutronClient.withToken(controller.baseUrl(), null);
        // route, then the status with no token, with a member's token, with an admin's
        Object[][] table = {
                {"/health", 200, 200, 200}, {"/ready", 200, 200, 200}, {"/openapi.json", 200, 200, 200}, {"/docs", 200, 200, 200},
                {"/", 200, 200, 200},
                {"/v2.0/extensions", 401, 200, 200}, {"/v2.0/networks", 401, 200, 200}, {"/v2.0/subnets", 401, 200, 200},
                {"/v2.0/ports", 401, 200, 200}, {"/v2.0/routers", 401, 200, 200}, {"/v2.0/floatingips", 401, 200, 200},
                {"/v2.0/security-groups", 401, 200, 200}, {"/v2.0/security-group-rules", 401, 200, 200},
                {"/v2.0/network-acls", 401, 200, 200}, {"/v2.0/quotas/" + alphaId, 401, 200, 200},
                {"/v2.0/quotas", 401, 403, 200},
                {"/v2.0/hosts", 401, 403, 200}, {"/southbound/hosts", 401, 403, 200}, {"/metrics", 401, 403, 200},
        };
        List<String> wrong = new ArrayList<>();
        for (Object[] row : table) {
            String path = (String) row[0];
            int[] got = {anonymous.get(path).status(), alice.get(path).status(), admin.get(path).status()};
            for (int i = 0; i < 3; i++) {
                if (got[i] != (int) row[i + 1]) wrong.add(path + " " + List.of("no token", "member", "admin").get(i) + ": " + got[i] + ", not " + row[i + 1]);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theMemberRoleIsNotAdmin() {
        var r = alice.get("/v2.0/hosts");
        assertEquals(403, r.status(), r.raw());
        assertEquals(200, admin.get("/v2.0/hosts").status());
    }

    @Test
    void aBadTokenIs401WithAKeystoneChallengeAndBothErrorShapes() {
        var r = controller.withToken("gAAAAABnot-a-real-token").get("/v2.0/networks");

        assertEquals(401, r.status(), r.raw());
        assertEquals("HTTPUnauthorized", r.errorType());
        assertEquals(401, ((Map<?, ?>) r.json().get("error")).get("code"));
        String uri = keystone.url().replaceAll("/v3$", "");
        assertEquals("Keystone uri=\"" + uri + "\"", r.http().headers().firstValue("WWW-Authenticate").orElse(null));
        assertTrue(r.requestId().startsWith("req-"));
    }

    @Test
    void aTokenRevokedBeforeItsFirstUseIs401() {
        String token = keystone.token("alice", "alice-pw", "alpha");
        keystone.revoke(token);

        var r = controller.withToken(token).get("/v2.0/networks");
        assertEquals(401, r.status(), r.raw());
    }

    @Test
    void noTokenIs401() {
        var r = new NeutronClient(controller.baseUrl(), null).get("/v2.0/networks");
        assertEquals(401, r.status(), r.raw());
        assertEquals("HTTPUnauthorized", r.errorType());
        assertTrue(r.http().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Keystone uri="));
    }

    @Test
    void aProjectHeaderWithoutATokenGivesNoAccess() {
        var r = new NeutronClient(controller.baseUrl(), alphaId).get("/v2.0/networks");
        assertEquals(401, r.status(), r.raw());
    }

    @Test
    void theVersionDocumentNeedsNoToken() {
        assertEquals(200, new NeutronClient(controller.baseUrl(), null).get("/").status());
    }

    @Test
    void theCliWithPasswordAuthFindsAlcorInTheCatalogAndCreatesAndListsNetworks() {
        bob.createNetwork(Map.of("name", "beta-hidden-from-cli"));

        JsonNode created = cli("alice", "alice-pw", "alpha", "network", "create", "cli-keystone-net", "-f", "json");
        assertEquals(alphaId, created.path("project_id").asText(), created::toString);

        List<String> listed = new ArrayList<>();
        for (JsonNode row : cli("alice", "alice-pw", "alpha", "network", "list", "-f", "json")) listed.add(row.path("Name").asText());
        assertTrue(listed.contains("cli-keystone-net"), listed::toString);
        assertFalse(listed.contains("beta-hidden-from-cli"), listed::toString);
    }

    /** One `openstack` run with password auth (no endpoint given: it comes from the token's catalog). */
    private static JsonNode cli(String user, String password, String project, String... args) {
        List<String> command = new ArrayList<>(List.of(CLI.toString(), "--os-auth-url", keystone.url(), "--os-identity-api-version", "3",
                "--os-username", user, "--os-password", password, "--os-project-name", project,
                "--os-user-domain-name", "Default", "--os-project-domain-name", "Default", "--os-region-name", "RegionOne"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(cliDir, "cli", ".out"), err = Files.createTempFile(cliDir, "cli", ".err");
            Process p = KeystoneFixture.debianPython(new ProcessBuilder(command)).directory(cliDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            // a token issue alone took up to 50 s on a loaded box
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                fail("openstack " + String.join(" ", args) + " did not finish within 3 minutes");
            }
            String stdout = Files.readString(out);
            assertEquals(0, p.exitValue(), () -> "openstack " + String.join(" ", args) + ": " + stdout + readQuietly(err));
            return JSON.readTree(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
