package org.alcor.controller.core;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * Walks the union of several index ranges of one table in ascending id order, each row once, reading each range
 * from the store in chunks that start at what one page needs and double while filters the index does not answer
 * reject rows: a page costs what it returns plus what it skips, not the table.
 */
final class OrderedRanges {
    private static final int MAX_CHUNK = 8192;

    private final Store store;
    private final Table table;
    private final PriorityQueue<Cursor> heads = new PriorityQueue<>(Comparator.comparing(Cursor::headId));
    private String lastId;

    OrderedRanges(Store store, Table table, List<IndexRange> ranges, String after, int firstChunk) {
        this.store = store;
        this.table = table;
        for (IndexRange range : ranges) {
            Cursor cursor = new Cursor(range, after, Math.max(1, Math.min(firstChunk, MAX_CHUNK)));
            if (cursor.fill()) heads.add(cursor);
        }
    }

    /** The next row in id order, or null when every range is exhausted. */
    StoredRow next() {
        while (!heads.isEmpty()) {
            Cursor cursor = heads.poll();
            StoredRow row = cursor.buffer.poll();
            if (cursor.fill()) heads.add(cursor);
            // Ranges may overlap (a project's row that is also shared): in id order the copies are adjacent.
            if (!row.id().equals(lastId)) {
                lastId = row.id();
                return row;
            }
        }
        return null;
    }

    private final class Cursor {
        private final IndexRange range;
        private final ArrayDeque<StoredRow> buffer = new ArrayDeque<>();
        private String after;
        private int chunk;
        private boolean exhausted;

        Cursor(IndexRange range, String after, int chunk) {
            this.range = range;
            this.after = after;
            this.chunk = chunk;
        }

        String headId() { return buffer.peek().id(); }

        /** Refills an empty buffer from the store; false when the range has nothing more. */
        boolean fill() {
            if (!buffer.isEmpty()) return true;
            if (exhausted) return false;
            List<StoredRow> rows = store.ordered(table, range.column(), range.value(), after, chunk);
            exhausted = rows.size() < chunk;
            chunk = Math.min(chunk * 2, MAX_CHUNK);
            buffer.addAll(rows);
            if (!rows.isEmpty()) after = rows.getLast().id();
            return !buffer.isEmpty();
        }
    }
}
