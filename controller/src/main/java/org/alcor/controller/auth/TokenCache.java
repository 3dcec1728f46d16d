package org.alcor.controller.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Validation results by token, least recently used evicted beyond {@code maxEntries}. A valid token is kept until
 * it expires (or the cache time, if sooner); a rejected one briefly. Keys are SHA-256 digests, so the cache holds
 * no usable token.
 */
final class TokenCache {
    /** A cached outcome: the token (empty when Keystone rejected it) and when to ask again. */
    record Entry(Optional<ValidatedToken> token, Instant until) {}

    private final Clock clock;
    private final int maxEntries;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Entry> entries;

    TokenCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, TokenCache.Entry> eldest) { return size() > TokenCache.this.maxEntries; }
        };
    }

    static String key(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live entry for the key, or empty when absent or stale (a stale one is dropped). */
    Optional<Entry> get(String key) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Entry e = entries.get(key);
            if (e == null) return Optional.empty();
            if (!now.isBefore(e.until())) {
                entries.remove(key);
                return Optional.empty();
            }
            return Optional.of(e);
        } finally {
            lock.unlock();
        }
    }

    void putValid(String key, ValidatedToken token, Duration cacheTime) {
        Instant cap = clock.instant().plus(cacheTime);
        put(key, new Entry(Optional.of(token), token.expiresAt().isBefore(cap) ? token.expiresAt() : cap));
    }

    void putInvalid(String key, Duration cacheTime) { put(key, new Entry(Optional.empty(), clock.instant().plus(cacheTime))); }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private void put(String key, Entry e) {
        lock.lock();
        try {
            entries.put(key, e);
        } finally {
            lock.unlock();
        }
    }
}
