package org.alcor.controller.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.testing.TestStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bitmap allocator on a real store: every step commits, so uniqueness is what the store keeps. */
class BitmapAllocatorTest {
    private static TestStore fixture;
    private static Store store;

    private final BitmapAllocator allocator = new BitmapAllocator();
    private String scope;

    @BeforeAll
    static void start() {
        fixture = TestStore.start();
        store = fixture.store();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
    }

    @BeforeEach
    void newScope() { scope = "test/" + UUID.randomUUID(); }

    private <R> R inTx(Function<StoreTx, R> work) { return store.transact(work); }

    private OptionalLong allocate(List<ValueRange> ranges, long start) {
        return inTx(tx -> allocator.allocate(tx, scope, ranges, start, Long.MAX_VALUE));
    }

    private boolean claim(long value) { return inTx(tx -> allocator.claim(tx, scope, value)); }

    private boolean isTaken(long value) { return inTx(tx -> allocator.isTaken(tx, scope, value)); }

    private void release(long value) { inTx(tx -> { allocator.release(tx, scope, value); return null; }); }

    private long countAllocated() { return inTx(tx -> allocator.countAllocated(tx, scope)); }

    @Test
    void allocatesEveryValueOfARangeExactlyOnceThenReportsNoneFree() {
        // 10..600 spans three blocks and starts and ends inside one.
        var range = List.of(new ValueRange(10, 600));
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 591; i++) got.add(allocate(range, 10).orElseThrow());

        Set<Long> expected = LongStream.rangeClosed(10, 600).boxed().collect(Collectors.toSet());
        assertEquals(591, new HashSet<>(got).size(), "a value was handed out twice");
        assertEquals(expected, new HashSet<>(got));
        assertTrue(allocate(range, 10).isEmpty());
        assertEquals(591L, countAllocated());
    }

    @Test
    void claimOfATakenValueIsFalse() {
        assertTrue(claim(300));
        assertFalse(claim(300));
        assertTrue(isTaken(300));
        assertEquals(OptionalLong.of(301), allocate(List.of(new ValueRange(300, 301)), 300));
    }

    @Test
    void releaseMakesAValueAllocatableAgain() {
        var range = List.of(new ValueRange(0, 9));
        for (int i = 0; i < 10; i++) allocate(range, 0).orElseThrow();
        assertTrue(allocate(range, 0).isEmpty());

        release(4);

        assertFalse(isTaken(4));
        assertEquals(OptionalLong.of(4), allocate(range, 0));
        assertTrue(allocate(range, 0).isEmpty());
    }

    @Test
    void releaseAllLeavesNoBlocks() {
        for (long v : new long[] {1, 255, 256, 1_000, 70_000}) assertTrue(claim(v));
        assertEquals(4, inTx(tx -> tx.blocks(scope)).size());

        inTx(tx -> { allocator.releaseAll(tx, scope); return null; });

        assertTrue(inTx(tx -> tx.blocks(scope)).isEmpty());
        assertEquals(0L, countAllocated());
    }

    @Test
    void releasingTheLastValueOfABlockDeletesTheBlock() {
        assertTrue(claim(513));
        release(513);

        assertTrue(inTx(tx -> tx.block(scope, 2)).isEmpty());
    }

    @Test
    void allocationMovesOnToTheNextRangeWhenOneIsFull() {
        var ranges = List.of(new ValueRange(0, 3), new ValueRange(1_000, 1_001));
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) got.add(allocate(ranges, 0).orElseThrow());

        assertEquals(List.of(0L, 1L, 2L, 3L, 1_000L, 1_001L), got);
        assertTrue(allocate(ranges, 0).isEmpty());
    }

    @Test
    void allocationStartsAtTheHintAndWrapsAroundToTheValuesBeforeIt() {
        var range = List.of(new ValueRange(0, 9));
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) got.add(allocate(range, 7).orElseThrow());

        assertEquals(List.of(7L, 8L, 9L, 0L, 1L, 2L, 3L, 4L, 5L, 6L), got);
        assertTrue(allocate(range, 7).isEmpty());
    }

    @Test
    void aValueReleasedBehindTheHintIsFoundBeforeWrappingAround() {
        var range = List.of(new ValueRange(0, 511));
        for (int i = 0; i < 300; i++) allocate(range, 0).orElseThrow();
        release(5);

        assertEquals(OptionalLong.of(5), allocate(range, 0));
        assertEquals(OptionalLong.of(300), allocate(range, 0));
    }
}
