package org.alcor.controller.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Staged writes over a store's committed rows, read under the current transaction. A savepoint is a child whose
 * writes shadow its parent's until released into it; only the root applies writes, sorted by key. The engine
 * behind ({@link Committed}) is Ignite's transaction or the in-memory store's: both share this staging.
 */
final class StagedTx implements StoreTx {
    /** What a staged transaction reads from and writes to: the engine's transactional view of committed rows. */
    interface Committed {
        StoredRow row(Table table, String id);

        /** The rows of the ids that exist, read in the ids' order (the global lock order). */
        Map<String, StoredRow> rows(Table table, java.util.SortedSet<String> ids);

        List<StoredRow> find(Table table, Column column, Object value, int limit);

        AllocBlock block(String key);

        List<AllocBlock> blocks(String scope);

        void write(Table table, java.util.SortedMap<String, StoredRow> puts, java.util.SortedSet<String> removes);

        void writeBlocks(java.util.SortedMap<String, AllocBlock> puts, java.util.SortedSet<String> removes);
    }

    /** Marks a staged delete. */
    private static final Object TOMBSTONE = new Object();

    private final Committed store;
    private final StagedTx parent;
    private final Map<Table, Map<String, Object>> rows = new HashMap<>();
    private final Map<String, Object> blocks = new LinkedHashMap<>();
    /**
     * What the root transaction has read from Ignite. A pessimistic read locks the key until commit, so nothing
     * else can change it: a batch of ports re-reads its network, subnets and blocks from here, not through
     * Ignite's lock machinery (a visible cost per port in profiles). Null in savepoints.
     */
    private final Map<Object, Object> reads;

    StagedTx(Committed store, StagedTx parent) {
        this.store = store;
        this.parent = parent;
        this.reads = parent == null ? new HashMap<>() : null;
    }

    private StagedTx root() { return parent == null ? this : parent.root(); }

    private record RowKey(Table table, String id) {}

    private StoredRow readRow(Table table, String id) {
        var cache = root().reads;
        RowKey key = new RowKey(table, id);
        if (cache.containsKey(key)) return (StoredRow) cache.get(key);
        StoredRow row = store.row(table, id);
        cache.put(key, row);
        return row;
    }

    private AllocBlock readBlock(String key) {
        var cache = root().reads;
        if (cache.containsKey(key)) return (AllocBlock) cache.get(key);
        AllocBlock block = store.block(key);
        cache.put(key, block);
        return block;
    }

    private Object stagedRow(Table table, String id) {
        for (StagedTx t = this; t != null; t = t.parent) {
            Object v = t.rows.getOrDefault(table, Map.of()).get(id);
            if (v != null) return v;
        }
        return null;
    }

    private Object stagedBlock(String key) {
        for (StagedTx t = this; t != null; t = t.parent) {
            Object v = t.blocks.get(key);
            if (v != null) return v;
        }
        return null;
    }

    @Override
    public Optional<StoredRow> get(Table table, String id) {
        Object staged = stagedRow(table, id);
        if (staged != null) return staged == TOMBSTONE ? Optional.empty() : Optional.of((StoredRow) staged);
        return Optional.ofNullable(readRow(table, id));
    }

    @Override
    public Map<String, StoredRow> getAll(Table table, Collection<String> ids) {
        Map<String, StoredRow> result = new LinkedHashMap<>();
        TreeSet<String> toRead = new TreeSet<>();
        var cache = root().reads;
        for (String id : ids) {
            Object staged = stagedRow(table, id);
            RowKey key = new RowKey(table, id);
            if (staged != null) {
                if (staged != TOMBSTONE) result.put(id, (StoredRow) staged);
            } else if (cache.containsKey(key)) {
                if (cache.get(key) != null) result.put(id, (StoredRow) cache.get(key));
            } else {
                toRead.add(id);
            }
        }
        if (!toRead.isEmpty()) {
            Map<String, StoredRow> read = store.rows(table, toRead);
            for (String id : toRead) cache.put(new RowKey(table, id), read.get(id));
            result.putAll(read);
        }
        return result;
    }

    @Override public void put(Table table, StoredRow row) { rows.computeIfAbsent(table, t -> new HashMap<>()).put(row.id(), row); }

    @Override public void remove(Table table, String id) { rows.computeIfAbsent(table, t -> new HashMap<>()).put(id, TOMBSTONE); }

    @Override
    public List<StoredRow> find(Table table, Column column, Object value) {
        Map<String, StoredRow> result = new LinkedHashMap<>();
        for (StoredRow row : store.find(table, column, value, 0)) result.put(row.id(), row);
        overlay(table, result, row -> Objects.equals(row.column(column), value));
        return new ArrayList<>(result.values());
    }

    @Override
    public boolean any(Table table, Column column, Object value) {
        // Staged deletes may hide committed rows: read past as many of them as this transaction holds.
        int staged = 0;
        for (StagedTx t = this; t != null; t = t.parent) staged += t.rows.getOrDefault(table, Map.of()).size();
        Map<String, StoredRow> result = new LinkedHashMap<>();
        for (StoredRow row : store.find(table, column, value, staged + 1)) result.put(row.id(), row);
        overlay(table, result, row -> Objects.equals(row.column(column), value));
        return !result.isEmpty();
    }

    /** Applies staged writes, oldest ancestor first, to rows read from the committed store. */
    private void overlay(Table table, Map<String, StoredRow> result, java.util.function.Predicate<StoredRow> matches) {
        if (parent != null) parent.overlay(table, result, matches);
        rows.getOrDefault(table, Map.of()).forEach((id, v) -> {
            if (v != TOMBSTONE && matches.test((StoredRow) v)) result.put(id, (StoredRow) v);
            else result.remove(id);
        });
    }

    @Override
    public Optional<AllocBlock> block(String scope, long index) {
        String key = AllocBlock.key(scope, index);
        Object staged = stagedBlock(key);
        if (staged != null) return staged == TOMBSTONE ? Optional.empty() : Optional.of((AllocBlock) staged);
        return Optional.ofNullable(readBlock(key));
    }

    @Override public void putBlock(AllocBlock block) { blocks.put(AllocBlock.key(block.scope(), block.index()), block); }

    @Override public void removeBlock(String scope, long index) { blocks.put(AllocBlock.key(scope, index), TOMBSTONE); }

    @Override
    public List<AllocBlock> blocks(String scope) {
        Map<String, AllocBlock> result = new LinkedHashMap<>();
        for (AllocBlock b : store.blocks(scope)) result.put(AllocBlock.key(scope, b.index()), b);
        overlayBlocks(scope, result);
        return new ArrayList<>(result.values());
    }

    private void overlayBlocks(String scope, Map<String, AllocBlock> result) {
        if (parent != null) parent.overlayBlocks(scope, result);
        blocks.forEach((key, v) -> {
            if (v == TOMBSTONE) result.remove(key);
            else if (((AllocBlock) v).scope().equals(scope)) result.put(key, (AllocBlock) v);
        });
    }

    @Override public StoreTx savepoint() { return new StagedTx(store, this); }

    @Override
    public void release(StoreTx savepoint) {
        StagedTx child = (StagedTx) savepoint;
        if (child.parent != this) throw new IllegalArgumentException("not a savepoint of this transaction");
        child.rows.forEach((table, staged) -> rows.computeIfAbsent(table, t -> new HashMap<>()).putAll(staged));
        blocks.putAll(child.blocks);
    }

    /** Writes everything staged, in key order per table: the global lock order for writes. */
    void flush() {
        rows.forEach((table, staged) -> {
            TreeMap<String, StoredRow> puts = new TreeMap<>();
            TreeSet<String> removes = new TreeSet<>();
            staged.forEach((key, v) -> {
                if (v == TOMBSTONE) removes.add(key); else puts.put(key, (StoredRow) v);
            });
            store.write(table, puts, removes);
        });
        TreeMap<String, AllocBlock> puts = new TreeMap<>();
        TreeSet<String> removes = new TreeSet<>();
        blocks.forEach((key, v) -> {
            if (v == TOMBSTONE) removes.add(key); else puts.put(key, (AllocBlock) v);
        });
        store.writeBlocks(puts, removes);
    }
}
