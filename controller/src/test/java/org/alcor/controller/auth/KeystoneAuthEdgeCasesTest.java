package org.alcor.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cache expiry and outage behaviour, which a real Keystone cannot be made to show on demand: a tiny stub of
 * Keystone's two token calls and a clock the test moves. What Keystone really answers is in KeystoneAuthTest.
 */
class KeystoneAuthEdgeCasesTest {
    /** A clock the test sets. */
    private static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
        void advance(Duration d) { now.updateAndGet(t -> t.plus(d)); }
    }

    private final TestClock clock = new TestClock();
    /** Subject tokens the stub accepts, with their expiry. */
    private final Map<String, Instant> userTokens = new ConcurrentHashMap<>();
    /** Service tokens the stub has issued and not revoked. */
    private final Set<String> serviceTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger validations = new AtomicInteger();
    private final AtomicInteger passwordAuths = new AtomicInteger();
    private final AtomicInteger failWith = new AtomicInteger(0);
    private HttpServer stub;

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/v3/auth/tokens", this::tokens);
        stub.start();
    }

    @AfterEach
    void stopStub() { stub.stop(0); }

    private void tokens(HttpExchange ex) throws IOException {
        try (ex) {
            if (failWith.get() != 0) {
                ex.sendResponseHeaders(failWith.get(), -1);
                return;
            }
            if (ex.getRequestMethod().equals("POST")) {
                String token = "svc-" + passwordAuths.incrementAndGet();
                serviceTokens.add(token);
                ex.getResponseHeaders().add("X-Subject-Token", token);
                send(ex, 201, tokenBody("service-project", "admin", clock.instant().plus(Duration.ofHours(1))));
                return;
            }
            validations.incrementAndGet();
            if (!serviceTokens.contains(ex.getRequestHeaders().getFirst("X-Auth-Token"))) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            Instant expires = userTokens.get(ex.getRequestHeaders().getFirst("X-Subject-Token"));
            if (expires == null || !clock.instant().isBefore(expires)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            send(ex, 200, tokenBody("project-a", "member", expires));
        }
    }

    private static String tokenBody(String project, String role, Instant expires) {
        return "{\"token\": {\"expires_at\": \"" + expires + "\", \"project\": {\"id\": \"" + project + "\", \"name\": \"p\"},"
                + " \"roles\": [{\"id\": \"r1\", \"name\": \"" + role + "\"}, {\"id\": \"r2\", \"name\": \"reader\"}]}}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private KeystoneAuth auth(int keystonePort, Duration cacheTime) {
        return new KeystoneAuth(KeystoneSettings.of("http://127.0.0.1:" + keystonePort + "/v3", "alcor", "pw", "service")
                .withTokenCacheTime(cacheTime), clock);
    }

    private KeystoneAuth auth() { return auth(stub.getAddress().getPort(), Duration.ofHours(2)); }

    private static Caller call(KeystoneAuth auth, String token) {
        return auth.authenticate(name -> name.equals("X-Auth-Token") ? Optional.ofNullable(token) : Optional.empty(), "req-test");
    }

    private static ErrorCode failure(KeystoneAuth auth, String token) {
        return assertThrows(AlcorException.class, () -> call(auth, token)).code();
    }

    @Test
    void aValidTokenIsAskedOnceThenServedFromTheCacheUntilItExpires() {
        userTokens.put("user-token", clock.instant().plus(Duration.ofMinutes(30)));
        KeystoneAuth auth = auth();

        Caller caller = call(auth, "user-token");
        for (int i = 0; i < 5; i++) call(auth, "user-token");
        assertEquals(1, validations.get());
        assertEquals("project-a", caller.projectId());
        assertFalse(caller.admin());
        assertEquals(Set.of("member", "reader"), caller.roles());

        clock.advance(Duration.ofMinutes(30));
        assertEquals(ErrorCode.UNAUTHORIZED, failure(auth, "user-token"));
        assertEquals(2, validations.get(), "an expired token is asked about again, not trusted from the cache");
    }

    @Test
    void theCacheTimeCapsHowLongAValidTokenIsTrustedWithoutAskingKeystone() {
        userTokens.put("user-token", clock.instant().plus(Duration.ofHours(1)));
        KeystoneAuth auth = auth(stub.getAddress().getPort(), Duration.ofMinutes(5));
        call(auth, "user-token");

        clock.advance(Duration.ofMinutes(5));
        userTokens.remove("user-token"); // revoked in Keystone
        assertEquals(ErrorCode.UNAUTHORIZED, failure(auth, "user-token"));
        assertEquals(2, validations.get());
    }

    @Test
    void aRejectedTokenIsRememberedBrieflyThenAskedAboutAgain() {
        KeystoneAuth auth = auth();
        for (int i = 0; i < 3; i++) assertEquals(ErrorCode.UNAUTHORIZED, failure(auth, "bad-token"));
        assertEquals(1, validations.get());

        clock.advance(Duration.ofSeconds(10));
        userTokens.put("bad-token", clock.instant().plus(Duration.ofHours(1)));
        assertEquals("project-a", call(auth, "bad-token").projectId());
        assertEquals(2, validations.get());
    }

    @Test
    void aMissingBlankOrImplausibleTokenIs401WithoutAskingKeystone() {
        KeystoneAuth auth = auth();
        assertEquals(ErrorCode.UNAUTHORIZED, failure(auth, null));
        assertEquals(ErrorCode.UNAUTHORIZED, failure(auth, "  "));
        assertEquals(ErrorCode.UNAUTHORIZED, failure(auth, "gAAAA\u00e9\u0007token"));
        assertEquals(ErrorCode.UNAUTHORIZED, failure(auth, "a".repeat(100_000)));
        assertEquals(0, validations.get() + passwordAuths.get());
    }

    @Test
    void anUnreachableKeystoneIs503AndTheNextRequestAsksAgain() {
        KeystoneAuth auth = auth(FreePorts.next(), Duration.ofHours(2));
        AlcorException e = assertThrows(AlcorException.class, () -> call(auth, "user-token"));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals(503, e.code().status);
        assertEquals(0, auth.cachedTokens(), "an outage is not cached as a verdict on the token");
    }

    @Test
    void aControllerWhoseKeystoneIsDownAnswers503WithANeutronErrorNot500() {
        try (TestController controller = TestController.start(KeystoneSettings.of("http://127.0.0.1:" + FreePorts.next() + "/v3", "alcor", "pw", "service"))) {
            var r = controller.withToken("some-token").get("/v2.0/networks");
            assertEquals(503, r.status(), r.raw());
            assertEquals("ServiceUnavailable", r.errorType());
            assertEquals(200, controller.withToken("some-token").get("/health").status());
        }
    }

    @Test
    void aKeystoneAnswering5xxIs503() {
        userTokens.put("user-token", clock.instant().plus(Duration.ofHours(1)));
        KeystoneAuth auth = auth();
        failWith.set(500);
        assertEquals(ErrorCode.UNAVAILABLE, failure(auth, "user-token"));
        failWith.set(0);
        assertEquals("project-a", call(auth, "user-token").projectId());
    }

    @Test
    void aCachedTokenKeepsWorkingWhileKeystoneIsDown() {
        userTokens.put("user-token", clock.instant().plus(Duration.ofHours(1)));
        KeystoneAuth auth = auth();
        call(auth, "user-token");
        stub.stop(0);
        assertEquals("project-a", call(auth, "user-token").projectId());
    }

    @Test
    void aRevokedServiceTokenIsReplacedAndTheValidationRetried() {
        userTokens.put("user-token", clock.instant().plus(Duration.ofHours(1)));
        userTokens.put("other-token", clock.instant().plus(Duration.ofHours(1)));
        KeystoneAuth auth = auth();
        call(auth, "user-token");
        serviceTokens.clear();

        assertEquals("project-a", call(auth, "other-token").projectId());
        assertEquals(2, passwordAuths.get());
    }

    @Test
    void theServiceTokenIsRenewedBeforeItExpires() {
        userTokens.put("t1", clock.instant().plus(Duration.ofHours(3)));
        userTokens.put("t2", clock.instant().plus(Duration.ofHours(3)));
        userTokens.put("t3", clock.instant().plus(Duration.ofHours(3)));
        KeystoneAuth auth = auth();
        call(auth, "t1");
        clock.advance(Duration.ofMinutes(50));
        call(auth, "t2");
        assertEquals(1, passwordAuths.get());

        clock.advance(Duration.ofMinutes(9)); // 1 minute left on the 1-hour service token
        call(auth, "t3");
        assertEquals(2, passwordAuths.get());
    }

    @Test
    void rejectedServiceCredentialsAre503NotA401ForTheCaller() {
        KeystoneAuth auth = auth();
        failWith.set(401);
        assertEquals(ErrorCode.UNAVAILABLE, failure(auth, "user-token"));
    }

    @Test
    void theCacheHoldsAtMostItsBoundAndDropsTheLeastRecentlyUsed() {
        TokenCache cache = new TokenCache(clock, 3);
        var token = new ValidatedToken("p", Set.of(), clock.instant().plus(Duration.ofHours(1)));
        for (String k : new String[] {"a", "b", "c"}) cache.putValid(k, token, Duration.ofHours(1));
        cache.get("a");
        cache.putValid("d", token, Duration.ofHours(1));

        assertEquals(3, cache.size());
        assertTrue(cache.get("a").isPresent());
        assertTrue(cache.get("b").isEmpty());
        assertTrue(cache.get("d").isPresent());
    }
}
