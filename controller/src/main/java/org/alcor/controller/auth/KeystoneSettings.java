package org.alcor.controller.auth;

import java.net.URI;
import java.time.Duration;

/**
 * How the controller reaches Keystone: its v3 URL and the service credentials it validates tokens with.
 * {@code tokenCacheTime} caps how long a valid token is trusted without asking Keystone again (a revoked token
 * keeps working that long, as with keystonemiddleware's {@code token_cache_time}, also 300 s by default);
 * {@code invalidCacheTime} is how long a rejected token is remembered, so a client retrying it does not load
 * Keystone.
 */
public record KeystoneSettings(URI url, String user, String password, String project, String domain,
                               Duration tokenCacheTime, Duration invalidCacheTime, int cacheEntries, Duration requestTimeout) {

    public KeystoneSettings {
        if (url == null) throw new IllegalArgumentException("--keystone-url is required with --auth keystone");
        if (isBlank(user) || password == null || isBlank(project)) {
            throw new IllegalArgumentException("--auth keystone needs --keystone-user, --keystone-password and --keystone-project");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--keystone-url must be http(s)://...: " + url);
        }
    }

    public static KeystoneSettings of(String url, String user, String password, String project) {
        return new KeystoneSettings(url == null ? null : URI.create(url.replaceAll("/+$", "")), user, password, project, "Default",
                Duration.ofSeconds(300), Duration.ofSeconds(10), 10_000, Duration.ofSeconds(60));
    }

    public KeystoneSettings withDomain(String d) {
        return new KeystoneSettings(url, user, password, project, d, tokenCacheTime, invalidCacheTime, cacheEntries, requestTimeout);
    }

    public KeystoneSettings withTokenCacheTime(Duration d) {
        return new KeystoneSettings(url, user, password, project, domain, d, invalidCacheTime, cacheEntries, requestTimeout);
    }

    /** Where clients should get a token, for {@code WWW-Authenticate}: the unversioned endpoint, as keystonemiddleware's www_authenticate_uri. */
    public String publicUri() { return url.toString().replaceAll("/v3$", ""); }

    /** The settings with the password hidden, for logs. */
    @Override public String toString() { return "KeystoneSettings[" + url + ", user=" + user + ", project=" + project + ", domain=" + domain + "]"; }

    private static boolean isBlank(String s) { return s == null || s.isBlank(); }
}
