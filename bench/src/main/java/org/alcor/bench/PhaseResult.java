package org.alcor.bench;

import java.util.SortedMap;

/**
 * Numbers of one measured phase. {@code ports} counts ports created (or deleted, for cleanup);
 * {@code latency} covers successful requests only, so fast rejections cannot flatter the percentiles.
 */
record PhaseResult(String name, int requests, int concurrency, int ports, SortedMap<String, Integer> errors,
                   String firstErrorBody, long wallNanos, LatencyStats latency) {

    int errorCount() {
        return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    double wallSeconds() {
        return wallNanos / 1e9;
    }

    double portsPerSecond() {
        return wallNanos == 0 ? 0 : ports / wallSeconds();
    }
}
