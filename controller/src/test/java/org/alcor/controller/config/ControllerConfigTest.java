package org.alcor.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {
    private static ControllerConfig parse(Map<String, String> env, String... args) { return ControllerConfig.parse(args, env); }

    @Test
    void noauthIsTheDefaultAndNeedsNoKeystone() {
        ControllerConfig c = parse(Map.of());
        assertEquals("noauth", c.auth());
        assertNull(c.keystone());
    }

    @Test
    void keystoneAuthTakesItsServiceCredentialsFromOptions() {
        ControllerConfig c = parse(Map.of(), "--auth", "keystone", "--keystone-url", "http://127.0.0.1:5000/v3/",
                "--keystone-user", "alcor", "--keystone-password=secret", "--keystone-project", "service");
        assertEquals("keystone", c.auth());
        assertEquals("http://127.0.0.1:5000/v3", c.keystone().url().toString());
        assertEquals("alcor", c.keystone().user());
        assertEquals("secret", c.keystone().password());
        assertEquals("service", c.keystone().project());
        assertEquals("Default", c.keystone().domain());
        assertEquals(Duration.ofSeconds(300), c.keystone().tokenCacheTime());
        assertEquals("http://127.0.0.1:5000", c.keystone().publicUri());
        assertFalse(c.keystone().toString().contains("secret"), "the password stays out of logs");
    }

    @Test
    void keystoneAuthTakesItsSettingsFromTheEnvironmentToo() {
        ControllerConfig c = parse(Map.of("ALCOR_AUTH", "keystone", "ALCOR_KEYSTONE_URL", "http://k:5000/v3", "ALCOR_KEYSTONE_USER", "u",
                "ALCOR_KEYSTONE_PASSWORD", "p", "ALCOR_KEYSTONE_PROJECT", "svc", "ALCOR_KEYSTONE_DOMAIN", "ops",
                "ALCOR_KEYSTONE_TOKEN_CACHE_SECONDS", "60"));
        assertEquals("ops", c.keystone().domain());
        assertEquals(Duration.ofSeconds(60), c.keystone().tokenCacheTime());
    }

    @Test
    void keystoneAuthWithoutItsCredentialsIsRefusedAtStartUp() {
        var e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--auth", "keystone"));
        assertTrue(e.getMessage().contains("--keystone-url"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--auth", "keystone", "--keystone-url", "http://k/v3",
                "--keystone-user", "u", "--keystone-project", "p"));
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--auth", "keystone", "--keystone-url", "ftp://k/v3",
                "--keystone-user", "u", "--keystone-password", "p", "--keystone-project", "p"));
    }

    @Test
    void theSouthboundWindowMessageSizeAndPushLimitAreOptionsAndNonsenseIsRefused() {
        var sb = parse(Map.of(), "--southbound-window", "8", "--southbound-max-message-bytes", "65536", "--neighbor-push-limit", "0").southbound();
        assertEquals(8, sb.window());
        assertEquals(65536, sb.maxMessageBytes());
        assertEquals(0, sb.neighborPushLimit());
        var defaults = parse(Map.of()).southbound();
        assertEquals(4, defaults.window());
        assertEquals(1 << 20, defaults.maxMessageBytes());
        var e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--southbound-window", "0"));
        assertTrue(e.getMessage().contains("--southbound-window"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--southbound-max-message-bytes", "100000000"));
        assertTrue(e.getMessage().contains("16777216"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--neighbor-push-limit", "-1"));
    }

    @Test
    void anUnknownAuthStrategyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "--auth", "basic"));
    }
}
