package org.alcor.controller.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pessimistic, repeatable-read transaction. Reads lock what they read; writes are staged and applied at
 * commit in key order, so concurrent transactions take their write locks in one global order.
 * {@link #savepoint()} gives a nested view whose writes are kept only if {@link #release} merges them: grouped
 * commits use it so that one failing request leaves its neighbours in the batch untouched.
 */
public interface StoreTx {
    Optional<StoredRow> get(Table table, String id);

    /** Locks and reads many rows in sorted id order (the global lock order); absent ids are missing. */
    Map<String, StoredRow> getAll(Table table, Collection<String> ids);

    void put(Table table, StoredRow row);

    void remove(Table table, String id);

    /** Rows whose indexed column equals value: committed rows, overlaid with this transaction's writes. */
    List<StoredRow> find(Table table, Column column, Object value);

    /** Whether any row (committed, overlaid with this transaction's writes) has the indexed column equal to value. */
    boolean any(Table table, Column column, Object value);

    Optional<AllocBlock> block(String scope, long index);

    void putBlock(AllocBlock block);

    void removeBlock(String scope, long index);

    /** Every stored block of a scope, overlaid with this transaction's writes. */
    List<AllocBlock> blocks(String scope);

    StoreTx savepoint();

    /** Keeps the savepoint's writes in its parent. A savepoint that is never released is rolled back. */
    void release(StoreTx savepoint);
}
