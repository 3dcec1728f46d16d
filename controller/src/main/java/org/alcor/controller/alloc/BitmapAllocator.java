package org.alcor.controller.alloc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.alcor.controller.store.AllocBlock;
import org.alcor.controller.store.StoreTx;

/**
 * Allocates unique values (IP offsets, MACs, VNIs) from a space stored as 256-value bitmap blocks. Uniqueness
 * comes from the store: a transaction locks the blocks it reads, so two transactions can never set the same
 * bit. Speed comes from a per-scope hint: the block that last had room is tried first, so consecutive
 * allocations (a bulk create) share one or two blocks instead of scanning the space.
 */
public final class BitmapAllocator {
    private final Map<String, Long> hints = new ConcurrentHashMap<>();

    /**
     * Sets and returns the first free value at or after the hint (else {@code start}) inside {@code ranges},
     * wrapping around once, looking at no more than {@code maxBlocks} blocks; empty when none is free.
     */
    public OptionalLong allocate(StoreTx tx, String scope, List<ValueRange> ranges, long start, long maxBlocks) {
        long budget = maxBlocks;
        for (ValueRange range : visitingOrder(ranges, hints.getOrDefault(scope, start))) {
            for (long block = range.first() / AllocBlock.SIZE; block <= range.last() / AllocBlock.SIZE; block++) {
                if (budget-- <= 0) return OptionalLong.empty();
                long base = block * AllocBlock.SIZE;
                AllocBlock b = tx.block(scope, block).orElse(new AllocBlock(scope, block));
                int bit = b.firstClear((int) (Math.max(range.first(), base) - base),
                        (int) (Math.min(range.last(), base + AllocBlock.SIZE - 1) - base));
                if (bit >= 0) {
                    tx.putBlock(b.withBit(bit, true));
                    hints.put(scope, base + bit);
                    return OptionalLong.of(base + bit);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The ranges from {@code from} to the end, then the others, then the part before {@code from}: each value once. */
    private static List<ValueRange> visitingOrder(List<ValueRange> ranges, long from) {
        int at = 0;
        while (at < ranges.size() && !ranges.get(at).contains(from)) at++;
        if (at == ranges.size()) return ranges;
        ValueRange first = ranges.get(at);
        List<ValueRange> order = new ArrayList<>();
        order.add(new ValueRange(from, first.last()));
        for (int i = 1; i < ranges.size(); i++) order.add(ranges.get((at + i) % ranges.size()));
        if (from > first.first()) order.add(new ValueRange(first.first(), from - 1));
        return order;
    }

    /** Sets a specific value; false when it is already taken. */
    public boolean claim(StoreTx tx, String scope, long value) {
        long block = value / AllocBlock.SIZE;
        int bit = (int) (value % AllocBlock.SIZE);
        AllocBlock b = tx.block(scope, block).orElseGet(() -> new AllocBlock(scope, block));
        if (b.isSet(bit)) return false;
        tx.putBlock(b.withBit(bit, true));
        return true;
    }

    public boolean isTaken(StoreTx tx, String scope, long value) {
        return tx.block(scope, value / AllocBlock.SIZE).map(b -> b.isSet((int) (value % AllocBlock.SIZE))).orElse(false);
    }

    /** Clears a value; a block left empty is deleted so that a released space leaves nothing behind. */
    public void release(StoreTx tx, String scope, long value) {
        long block = value / AllocBlock.SIZE;
        tx.block(scope, block).ifPresent(b -> {
            AllocBlock cleared = b.withBit((int) (value % AllocBlock.SIZE), false);
            if (cleared.isEmpty()) tx.removeBlock(scope, block); else tx.putBlock(cleared);
        });
        Long hint = hints.get(scope);
        if (hint != null && value < hint) hints.put(scope, value);
    }

    public long countAllocated(StoreTx tx, String scope) {
        long n = 0;
        for (AllocBlock b : tx.blocks(scope)) n += b.count();
        return n;
    }

    public void releaseAll(StoreTx tx, String scope) {
        for (AllocBlock b : tx.blocks(scope)) tx.removeBlock(scope, b.index());
        hints.remove(scope);
    }
}
