package org.alcor.controller.segment;

import java.util.List;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;
import org.alcor.controller.store.StoreTx;

/** The defined network segment ranges (a handful of admin rows, read whole). */
public final class SegmentRanges {
    private final Store store;
    private final ResourceRepository rows;

    public SegmentRanges(Store store, ResourceRepository rows) {
        this.store = store;
        this.rows = rows;
    }

    /** Every range, read and locked in the transaction (sorted ids: the lock order). */
    List<Resource> lockAll(StoreTx tx) {
        List<String> ids = store.scan(Table.NETWORK_SEGMENT_RANGES).stream().map(StoredRow::id).toList();
        if (ids.isEmpty()) return List.of();
        return List.copyOf(rows.getAll(tx, ids).values());
    }

    static ValueRange values(Resource range) {
        return new ValueRange(((Number) range.get("minimum")).longValue(), ((Number) range.get("maximum")).longValue());
    }
}
