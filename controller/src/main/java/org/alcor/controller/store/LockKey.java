package org.alcor.controller.store;

/**
 * A row that a write will lock and that writes of other lanes may lock too (a project's quota row, a security
 * group). The batcher locks every such row of a batch first, sorted by table then id: one global order, so two
 * lanes can never hold them crosswise and deadlock (each would wait for the transaction time-out).
 */
public record LockKey(Table table, String id) implements Comparable<LockKey> {
    @Override
    public int compareTo(LockKey o) {
        int byTable = table.compareTo(o.table);
        return byTable != 0 ? byTable : id.compareTo(o.id);
    }
}
