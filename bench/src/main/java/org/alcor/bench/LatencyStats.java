package org.alcor.bench;

import java.util.Arrays;

/**
 * Exact percentiles over every sample (no histogram buckets): at most a few hundred thousand samples per
 * phase, so sorting once is cheap and the numbers are reproducible.
 */
final class LatencyStats {
    private final long[] sortedNanos;

    private LatencyStats(long[] sortedNanos) {
        this.sortedNanos = sortedNanos;
    }

    static LatencyStats ofNanos(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new LatencyStats(copy);
    }

    int count() {
        return sortedNanos.length;
    }

    /**
     * Nearest-rank percentile: the smallest sample with at least p% of samples at or below it, so the result
     * is always a latency that really happened. 0 when there are no samples.
     */
    long percentileNanos(double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile out of range: " + p);
        }
        if (sortedNanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(rank, 1) - 1];
    }

    double percentileMillis(double p) {
        return percentileNanos(p) / 1e6;
    }

    double maxMillis() {
        return percentileMillis(100);
    }
}
