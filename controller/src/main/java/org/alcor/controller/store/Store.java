package org.alcor.controller.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The narrow interface between Alcor and its storage engine: transactions, index lookups, scans. Ignite is
 * the engine today ({@link IgniteStore}); nothing outside this package names it.
 */
public interface Store extends AutoCloseable {
    /** Runs work in one transaction and commits it; retries it whole after deadlocks and lock time-outs. */
    <R> R transact(Function<StoreTx, R> work);

    /** A committed row, read without a transaction. */
    Optional<StoredRow> get(Table table, String id);

    /** Committed rows whose indexed column equals value. */
    List<StoredRow> find(Table table, Column column, Object value);

    /** At most limit committed rows (0: all) whose indexed column equals value: "is there any" without loading all. */
    List<StoredRow> find(Table table, Column column, Object value, int limit);

    /**
     * Up to limit committed rows in ascending id order whose ids come after {@code after} (null: from the first),
     * of the whole table (column null) or whose indexed column equals value: one page of a list walks an ordered
     * index from the marker instead of loading the table (the primary key's, or a column's: its entries are
     * ordered by value, then id).
     */
    List<StoredRow> ordered(Table table, Column column, Object value, String after, int limit);

    /** The committed allocation blocks of a scope (counting what is allocated without a transaction's locks). */
    List<AllocBlock> committedBlocks(String scope);

    /** Every committed row of a table: for unfiltered admin lists only. */
    List<StoredRow> scan(Table table);

    /** Every committed row of a table, one at a time (a large table is never held in one list). */
    void scan(Table table, java.util.function.Consumer<StoredRow> each);

    long count(Table table);

    /**
     * Delivers every change committed to the table from now on, by any node of the cluster, in commit order per
     * row. The listener runs on a store thread: it must hand work off and return at once. Closing stops the feed.
     */
    AutoCloseable subscribe(Table table, java.util.function.Consumer<List<RowChange>> listener);

    boolean isReady();

    /** The controller replicas on this store. */
    Replicas replicas();

    @Override void close();
}
