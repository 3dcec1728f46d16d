package org.alcor.controller.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;

/**
 * Keystone v3 over HTTP: obtains the service token (password auth, renewed before it expires or when Keystone
 * answers 401) and validates callers' tokens with {@code GET /v3/auth/tokens} ({@code X-Subject-Token}).
 * Every failure to reach Keystone, or a Keystone that answers 5xx, becomes a retriable 503.
 */
final class KeystoneClient {
    private static final Logger LOG = Logger.getLogger(KeystoneClient.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Renew the service token this long before it expires, so no validation is sent with a token about to lapse. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(2);

    private record ServiceToken(String value, Instant expiresAt) {}

    private final KeystoneSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final ReentrantLock serviceLock = new ReentrantLock();
    private volatile ServiceToken serviceToken;

    KeystoneClient(KeystoneSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        // HTTP/1.1: an h2c upgrade request confuses uwsgi's HTTP router, and Keystone serves HTTP/1.1 anyway.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The token's project and roles, or empty when Keystone says it is not (or no longer) valid. */
    Optional<ValidatedToken> validate(String subjectToken) {
        ServiceToken service = currentServiceToken();
        HttpResponse<String> r = validateWith(service, subjectToken);
        if (r.statusCode() == 401) {
            // Our service token was revoked or expired early (e.g. Keystone's keys rotated): get a fresh one and
            // retry once. A 401 with a fresh service token is about the subject token itself.
            r = validateWith(replaceServiceToken(service), subjectToken);
            if (r.statusCode() == 401) return Optional.empty();
        }
        return switch (r.statusCode()) {
            case 200 -> Optional.of(parse(r.body()));
            case 400, 404 -> Optional.empty(); // 404: Keystone's answer for an expired, revoked or malformed token
            case 403 -> throw unavailable("the service user " + settings.user() + " may not validate tokens (give it the admin or service role)");
            default -> throw unavailable("token validation answered " + r.statusCode());
        };
    }

    private HttpResponse<String> validateWith(ServiceToken service, String subjectToken) {
        HttpRequest req = HttpRequest.newBuilder(endpoint("/auth/tokens?nocatalog")).timeout(settings.requestTimeout())
                .header("X-Auth-Token", service.value()).header("X-Subject-Token", subjectToken)
                .header("Accept", "application/json").GET().build();
        return send(req);
    }

    private ServiceToken currentServiceToken() {
        ServiceToken current = serviceToken;
        return fresh(current) ? current : replaceServiceToken(current);
    }

    /** A service token other than {@code stale} (about to expire, or rejected by Keystone). */
    private ServiceToken replaceServiceToken(ServiceToken stale) {
        serviceLock.lock();
        try {
            // Another thread may have replaced it while this one waited for the lock: one password auth serves all.
            if (serviceToken != stale && fresh(serviceToken)) return serviceToken;
            serviceToken = issueServiceToken();
            return serviceToken;
        } finally {
            serviceLock.unlock();
        }
    }

    private boolean fresh(ServiceToken t) { return t != null && clock.instant().plus(RENEW_BEFORE).isBefore(t.expiresAt()); }

    private ServiceToken issueServiceToken() {
        Map<String, Object> domain = Map.of("name", settings.domain());
        Map<String, Object> body = Map.of("auth", Map.of(
                "identity", Map.of("methods", java.util.List.of("password"),
                        "password", Map.of("user", Map.of("name", settings.user(), "domain", domain, "password", settings.password()))),
                "scope", Map.of("project", Map.of("name", settings.project(), "domain", domain))));
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(endpoint("/auth/tokens?nocatalog")).timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r = send(req);
        if (r.statusCode() == 401) throw unavailable("Keystone rejected the service credentials of user " + settings.user());
        if (r.statusCode() != 201) throw unavailable("service token request answered " + r.statusCode());
        String value = r.headers().firstValue("X-Subject-Token")
                .orElseThrow(() -> unavailable("service token response has no X-Subject-Token"));
        ServiceToken token = new ServiceToken(value, parse(r.body()).expiresAt());
        LOG.info(() -> "obtained a Keystone service token for " + settings.user() + ", valid until " + token.expiresAt());
        return token;
    }

    private ValidatedToken parse(String body) {
        try {
            JsonNode token = JSON.readTree(body).path("token");
            Instant expires = Instant.parse(token.path("expires_at").asText());
            Set<String> roles = new LinkedHashSet<>();
            for (JsonNode role : token.path("roles")) roles.add(role.path("name").asText());
            String project = token.path("project").path("id").asText(null);
            return new ValidatedToken(project, Set.copyOf(roles), expires);
        } catch (IOException | DateTimeParseException e) {
            throw unavailable("Keystone sent an unreadable token: " + e.getMessage());
        }
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 500) throw unavailable(req.method() + " " + req.uri().getPath() + " answered " + r.statusCode());
            return r;
        } catch (IOException e) {
            throw unavailable("cannot reach Keystone at " + settings.url() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while asking Keystone");
        }
    }

    private URI endpoint(String path) { return URI.create(settings.url() + path); }

    private static AlcorException unavailable(String why) {
        return new AlcorException(ErrorCode.UNAVAILABLE, "ServiceUnavailable", "Authentication is unavailable: " + why + ".");
    }
}
