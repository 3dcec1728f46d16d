package org.alcor.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyStatsTest {

    @Test
    void nearestRankOnOneToHundred() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // unsorted on purpose
        }
        LatencyStats s = LatencyStats.ofNanos(samples);
        assertEquals(100, s.count());
        assertEquals(1, s.percentileNanos(0));
        assertEquals(1, s.percentileNanos(1));
        assertEquals(50, s.percentileNanos(50));
        assertEquals(90, s.percentileNanos(90));
        assertEquals(99, s.percentileNanos(99));
        assertEquals(100, s.percentileNanos(100));
    }

    @Test
    void nearestRankRoundsUpOnSmallSets() {
        // Textbook example: 15, 20, 35, 40, 50 -> p30 = 20, p40 = 20, p50 = 35, p100 = 50.
        LatencyStats s = LatencyStats.ofNanos(new long[]{50, 15, 40, 35, 20});
        assertEquals(20, s.percentileNanos(30));
        assertEquals(20, s.percentileNanos(40));
        assertEquals(35, s.percentileNanos(50));
        assertEquals(50, s.percentileNanos(90));
        assertEquals(50, s.percentileNanos(100));
    }

    @Test
    void millisAndEdgeCases() {
        LatencyStats s = LatencyStats.ofNanos(new long[]{2_500_000, 7_000_000});
        assertEquals(2.5, s.percentileMillis(50), 1e-9);
        assertEquals(7.0, s.maxMillis(), 1e-9);
        assertEquals(0, LatencyStats.ofNanos(new long[0]).percentileNanos(99));
        assertEquals(42, LatencyStats.ofNanos(new long[]{42}).percentileNanos(50));
        assertThrows(IllegalArgumentException.class, () -> s.percentileNanos(101));
    }

    @Test
    void doesNotSortTheCallersArray() {
        long[] samples = {3, 1, 2};
        LatencyStats.ofNanos(samples);
        assertEquals(3, samples[0]);
    }
}
