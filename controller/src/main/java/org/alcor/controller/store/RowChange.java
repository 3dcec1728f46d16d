package org.alcor.controller.store;

/**
 * One committed change of a row, as the store's change feed delivers it: before is null for an insert, after is
 * null for a delete. Before may also be null when the engine could not supply the old value.
 */
public record RowChange(Table table, String id, StoredRow before, StoredRow after) {
    public boolean isDelete() { return after == null; }
}
