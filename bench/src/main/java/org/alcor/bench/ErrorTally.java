package org.alcor.bench;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Errors by HTTP status (or exception name), keeping only the first body: later ones are usually the same. */
final class ErrorTally {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstBody = new AtomicReference<>();
    private final AtomicInteger total = new AtomicInteger();

    void record(String key, String body) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        firstBody.compareAndSet(null, key + ": " + (body == null ? "" : body));
        total.incrementAndGet();
    }

    int total() {
        return total.get();
    }

    String firstBody() {
        return firstBody.get();
    }

    SortedMap<String, Integer> snapshot() {
        SortedMap<String, Integer> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
