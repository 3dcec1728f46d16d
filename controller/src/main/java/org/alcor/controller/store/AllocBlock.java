package org.alcor.controller.store;

/**
 * 256 consecutive values of an allocation space (IP offsets of a subnet, MACs of a network, VNIs) as a
 * bitmap. Allocating locks one block, not the whole space, so concurrent allocations in one subnet rarely
 * meet; creating a subnet writes nothing per address. A plain class for Ignite (see {@link StoredRow}).
 */
public final class AllocBlock {
    public static final int SIZE = 256;

    private final String scope;
    private final long index;
    private final long[] bits;

    public AllocBlock(String scope, long index) { this(scope, index, new long[SIZE / 64]); }

    private AllocBlock(String scope, long index, long[] bits) {
        this.scope = scope;
        this.index = index;
        this.bits = bits;
    }

    public String scope() { return scope; }
    public long index() { return index; }
    public long first() { return index * SIZE; }

    public boolean isSet(int bit) { return (bits[bit >>> 6] & (1L << (bit & 63))) != 0; }

    /** A copy with the bit set: blocks read from the store are shared, so they are never changed in place. */
    public AllocBlock withBit(int bit, boolean set) {
        long[] copy = bits.clone();
        if (set) copy[bit >>> 6] |= 1L << (bit & 63); else copy[bit >>> 6] &= ~(1L << (bit & 63));
        return new AllocBlock(scope, index, copy);
    }

    public boolean isEmpty() {
        for (long word : bits) if (word != 0) return false;
        return true;
    }

    public int count() {
        int n = 0;
        for (long word : bits) n += Long.bitCount(word);
        return n;
    }

    /** The first clear bit in [from, to], or -1. */
    public int firstClear(int from, int to) {
        for (int bit = from; bit <= to; bit++) {
            long word = bits[bit >>> 6];
            if (word == -1L) { bit |= 63; continue; }
            if ((word & (1L << (bit & 63))) == 0) return bit;
        }
        return -1;
    }

    static String key(String scope, long index) { return scope + "#" + index; }
}
