package org.alcor.bench;

import java.util.SortedMap;

/**
 * Numbers of one measured phase. {@code ports} counts ports created (or deleted, for cleanup);
 * {@code latency} covers successful requests only, so fast rejections cannot flatter the percentiles.
 */
record PhaseResult(String name, int requests, int concurrency, int ports, SortedMap<String, Integer> errors,
                   String firstErrorBody, long wallNanos, LatencyStats latency, double serverCpuSeconds) {

    /** The server's CPU over the phase, where it exports it (Alcor's /metrics); NaN where it does not. */
    PhaseResult withServerCpu(double seconds) {
        return new PhaseResult(name, requests, concurrency, ports, errors, firstErrorBody, wallNanos, latency, seconds);
    }

    /** Server CPU milliseconds per port created or deleted, NaN when unknown. */
    double serverCpuMillisPerPort() {
        return ports == 0 ? Double.NaN : serverCpuSeconds * 1000 / ports;
    }

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
