package org.alcor.controller.auth;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.alcor.controller.api.Authenticator;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.ErrorCode;

/**
 * Keystone auth, as Neutron's {@code auth_strategy = keystone} (keystonemiddleware): the caller's
 * {@code X-Auth-Token} is validated against Keystone v3 and cached; its project is the caller's project and the
 * {@code admin} role makes it admin (Neutron's default policy). No or a rejected token → 401; Keystone
 * unreachable → 503. Concurrent requests with the same unknown token share one validation.
 */
public final class KeystoneAuth implements Authenticator {
    private static final String REQUIRES_AUTH = "The request you have made requires authentication.";
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final KeystoneSettings settings;
    private final KeystoneClient keystone;
    private final TokenCache cache;
    private final ConcurrentHashMap<String, CompletableFuture<Optional<ValidatedToken>>> inFlight = new ConcurrentHashMap<>();

    public KeystoneAuth(KeystoneSettings settings) { this(settings, Clock.systemUTC()); }

    KeystoneAuth(KeystoneSettings settings, Clock clock) {
        this.settings = settings;
        this.keystone = new KeystoneClient(settings, clock);
        this.cache = new TokenCache(clock, settings.cacheEntries());
    }

    @Override
    public Caller authenticate(Function<String, Optional<String>> headers, String requestId) {
        String token = headers.apply("X-Auth-Token").map(String::trim).filter(KeystoneAuth::plausible)
                .orElseThrow(KeystoneAuth::unauthorized);
        ValidatedToken valid = lookup(token).orElseThrow(KeystoneAuth::unauthorized);
        if (valid.projectId() == null) {
            throw new AlcorException(ErrorCode.UNAUTHORIZED, "HTTPUnauthorized", "A project-scoped token is required.");
        }
        return new Caller(valid.projectId(), valid.roles().contains("admin"), valid.roles(), requestId);
    }

    @Override
    public Map<String, String> challengeHeaders() { return Map.of("WWW-Authenticate", "Keystone uri=\"" + settings.publicUri() + "\""); }

    int cachedTokens() { return cache.size(); }

    private Optional<ValidatedToken> lookup(String token) {
        String key = TokenCache.key(token);
        Optional<TokenCache.Entry> hit = cache.get(key);
        if (hit.isPresent()) return hit.get().token();
        CompletableFuture<Optional<ValidatedToken>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<ValidatedToken>> running = inFlight.putIfAbsent(key, mine);
        if (running != null) return join(running);
        try {
            Optional<ValidatedToken> result = keystone.validate(token);
            if (result.isPresent()) cache.putValid(key, result.get(), settings.tokenCacheTime());
            else cache.putInvalid(key, settings.invalidCacheTime());
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e); // a Keystone outage is not cached: the next request asks again
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /**
     * Keystone's tokens (fernet, JWS) are visible ASCII and a few hundred characters long; anything else is refused
     * here, without a round trip, and could not be sent on as a header anyway.
     */
    private static boolean plausible(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) return false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) return false;
        }
        return true;
    }

    private static Optional<ValidatedToken> join(CompletableFuture<Optional<ValidatedToken>> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private static AlcorException unauthorized() { return new AlcorException(ErrorCode.UNAUTHORIZED, "HTTPUnauthorized", REQUIRES_AUTH); }
}
