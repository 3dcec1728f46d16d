package org.alcor.controller.ipam;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.store.StoreTx;

/**
 * Per-subnet IP allocation on bitmap blocks keyed by the address's offset in the subnet: no global lock, no
 * per-address rows at subnet create, and a requested address is a claim that fails if it is taken.
 */
public final class IpAllocator {
    /** IPv6 subnets are huge: allocation uses the first 2^62 offsets of each pool, which never runs out. */
    private static final long MAX_OFFSET = 1L << 62;
    /** Blocks looked at before an allocation gives up: a whole /8 of IPv4. */
    private static final long MAX_BLOCKS = 1 << 16;

    private final BitmapAllocator bitmap;

    public IpAllocator(BitmapAllocator bitmap) { this.bitmap = bitmap; }

    private static String scope(String subnetId) { return "ip/" + subnetId; }

    public Optional<IpAddress> allocate(StoreTx tx, SubnetLayout subnet) {
        List<ValueRange> ranges = subnet.pools().stream().map(p -> offsets(subnet.cidr(), p)).toList();
        if (ranges.isEmpty()) return Optional.empty();
        OptionalLong offset = bitmap.allocate(tx, scope(subnet.id()), ranges, ranges.getFirst().first(), MAX_BLOCKS);
        return offset.isPresent() ? Optional.of(subnet.cidr().network().plus(offset.getAsLong())) : Optional.empty();
    }

    /** Takes a specific address of the subnet; false if it is already allocated. */
    public boolean claim(StoreTx tx, SubnetLayout subnet, IpAddress ip) {
        return bitmap.claim(tx, scope(subnet.id()), offset(subnet.cidr(), ip));
    }

    public void release(StoreTx tx, SubnetLayout subnet, IpAddress ip) {
        bitmap.release(tx, scope(subnet.id()), offset(subnet.cidr(), ip));
    }

    public long allocatedCount(StoreTx tx, String subnetId) { return bitmap.countAllocated(tx, scope(subnetId)); }

    /** Addresses allocated in a subnet as committed, without taking a transaction's locks (IP availability). */
    public long committedCount(org.alcor.controller.store.Store store, String subnetId) {
        long n = 0;
        for (var block : store.committedBlocks(scope(subnetId))) n += block.count();
        return n;
    }

    public void releaseAll(StoreTx tx, String subnetId) { bitmap.releaseAll(tx, scope(subnetId)); }

    private static ValueRange offsets(Cidr cidr, IpRange pool) {
        return new ValueRange(clamp(cidr.offsetOf(pool.start())), clamp(cidr.offsetOf(pool.end())));
    }

    private static long offset(Cidr cidr, IpAddress ip) {
        BigInteger off = cidr.offsetOf(ip);
        if (off.bitLength() > 62) {
            // Far IPv6 addresses hash into the tracked space; a clash there is reported as "in use", never a duplicate.
            return off.mod(BigInteger.valueOf(MAX_OFFSET)).longValue();
        }
        return off.longValue();
    }

    private static long clamp(BigInteger offset) { return offset.bitLength() > 62 ? MAX_OFFSET - 1 : offset.longValue(); }
}
