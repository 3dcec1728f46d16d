package org.alcor.controller.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.core.Resource;
import org.alcor.controller.store.AllocBlock;
import org.alcor.controller.store.StoreTx;

/**
 * VXLAN network identifiers, unique cloud-wide (one bitmap space), never 0. Where network segment ranges are
 * defined, a project's networks take VNIs from its own ranges first, then from the shared ones; with no range
 * defined, from the configured range. The ranges used are locked by the allocating transaction, so a range
 * delete or shrink, which checks for allocated VNIs, waits for it.
 */
public final class VniAllocator {
    static final String SCOPE = "vni";
    public static final long MAX_VNI = 16_777_215;

    private final BitmapAllocator bitmap;
    private final ValueRange range;
    private final SegmentRanges ranges;

    public VniAllocator(BitmapAllocator bitmap, ValueRange range, SegmentRanges ranges) {
        if (range.first() < 1 || range.last() > MAX_VNI) throw new IllegalArgumentException("VNI range must be within 1..16777215");
        this.bitmap = bitmap;
        this.range = range;
        this.ranges = ranges;
    }

    public VniAllocator(BitmapAllocator bitmap, ValueRange range) { this(bitmap, range, null); }

    /** The configured range (used when no segment range is defined). */
    public ValueRange range() { return range; }

    public OptionalLong allocate(StoreTx tx) { return bitmap.allocate(tx, SCOPE, List.of(range), range.first(), Long.MAX_VALUE); }

    /** A VNI for a network of the project: from its ranges, then shared ones, else the configured range. */
    public OptionalLong allocate(StoreTx tx, String project) {
        List<Resource> defined = ranges == null ? List.of() : ranges.lockAll(tx);
        if (defined.isEmpty()) return allocate(tx);
        List<ValueRange> own = new ArrayList<>(), shared = new ArrayList<>();
        for (Resource r : defined) {
            ValueRange values = SegmentRanges.values(r);
            if (r.bool("shared")) shared.add(values);
            else if (project.equals(r.projectId())) own.add(values);
        }
        for (List<ValueRange> candidates : List.of(own, shared)) {
            if (candidates.isEmpty()) continue;
            OptionalLong vni = bitmap.allocate(tx, SCOPE, candidates, candidates.getFirst().first(), Long.MAX_VALUE);
            if (vni.isPresent()) return vni;
        }
        return OptionalLong.empty();
    }

    public boolean claim(StoreTx tx, long vni) { return bitmap.claim(tx, SCOPE, vni); }

    public void release(StoreTx tx, long vni) { bitmap.release(tx, SCOPE, vni); }

    /** The allocated VNIs within a range, as the transaction sees them. */
    static List<Long> allocatedIn(StoreTx tx, ValueRange values) { return allocatedIn(tx.blocks(SCOPE), values); }

    /** The allocated VNIs within a range, from the committed blocks (no locks: for rendering). */
    static List<Long> allocatedIn(org.alcor.controller.store.Store store, ValueRange values) {
        return allocatedIn(store.committedBlocks(SCOPE), values);
    }

    private static List<Long> allocatedIn(List<AllocBlock> blocks, ValueRange values) {
        List<Long> out = new ArrayList<>();
        for (AllocBlock b : blocks) {
            if (b.first() + AllocBlock.SIZE - 1 < values.first() || b.first() > values.last()) continue;
            for (int bit = 0; bit < AllocBlock.SIZE; bit++) {
                long v = b.first() + bit;
                if (b.isSet(bit) && values.contains(v)) out.add(v);
            }
        }
        out.sort(null);
        return out;
    }
}
