package org.alcor.controller.segment;

import java.util.List;
import java.util.OptionalLong;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.store.StoreTx;

/** VXLAN network identifiers, unique cloud-wide, from a configurable range that never includes 0. */
public final class VniAllocator {
    private static final String SCOPE = "vni";

    private final BitmapAllocator bitmap;
    private final ValueRange range;

    public VniAllocator(BitmapAllocator bitmap, ValueRange range) {
        if (range.first() < 1 || range.last() > 16_777_215) throw new IllegalArgumentException("VNI range must be within 1..16777215");
        this.bitmap = bitmap;
        this.range = range;
    }

    public ValueRange range() { return range; }

    public OptionalLong allocate(StoreTx tx) {
        return bitmap.allocate(tx, SCOPE, List.of(range), range.first(), Long.MAX_VALUE);
    }

    public boolean claim(StoreTx tx, long vni) { return bitmap.claim(tx, SCOPE, vni); }

    public void release(StoreTx tx, long vni) { bitmap.release(tx, SCOPE, vni); }
}
