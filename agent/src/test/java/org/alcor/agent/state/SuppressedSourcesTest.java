package org.alcor.agent.state;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SuppressedSourcesTest {
    @Test
    void anEntryExpiresItsTtlAfterItWasLastAdded() {
        SuppressedSources s = new SuppressedSources(10, 1000);
        s.add("v/10.0.0.1", 0);
        s.add("v/10.0.0.2", 500);
        assertEquals(1000, s.nextExpiry());
        s.add("v/10.0.0.1", 800);   // renewed
        assertFalse(s.expire(999));
        assertTrue(s.expire(1500));
        assertEquals(List.of("v/10.0.0.1"), List.copyOf(s.keys()));
        assertEquals(1800, s.nextExpiry());
        assertTrue(s.expire(1800));
        assertEquals(Long.MAX_VALUE, s.nextExpiry());
    }

    @Test
    void whenFullTheOldestEntryMakesRoom() {
        SuppressedSources s = new SuppressedSources(3, 1000);
        for (int i = 1; i <= 5; i++) s.add("v/10.0.0." + i, i);
        assertEquals(List.of("v/10.0.0.3", "v/10.0.0.4", "v/10.0.0.5"), List.copyOf(s.keys()));
    }

    @Test
    void aVpcsEntriesGoWithItAndOnlyThem() {
        SuppressedSources s = new SuppressedSources(10, 1000);
        s.add("v/10.0.0.1", 0);
        s.add("v-2/10.0.0.1", 0);
        s.add("vx/10.0.0.1", 0);
        s.removeVpc("v");
        assertEquals(List.of("v-2/10.0.0.1", "vx/10.0.0.1"), List.copyOf(s.keys()));
    }
}
