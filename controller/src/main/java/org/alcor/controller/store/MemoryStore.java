package org.alcor.controller.store;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link Store} in this process's memory, for tests that exercise logic over many operations (the goal-state
 * engine's randomized equivalence test) without Ignite's start-up and per-transaction cost. Transactions run one
 * at a time under one lock, which is a valid (if unconcurrent) pessimistic schedule; the change feed delivers
 * each commit's changes in commit order before the next transaction starts. Lookups by column scan the table:
 * fine for thousands of rows, not for a real cloud. Behaviour that depends on Ignite (persistence, clusters,
 * lock contention) is tested on {@link IgniteStore}.
 */
public final class MemoryStore implements Store {
    private final Map<Table, ConcurrentSkipListMap<String, StoredRow>> tables = new EnumMap<>(Table.class);
    private final ConcurrentSkipListMap<String, AllocBlock> blocks = new ConcurrentSkipListMap<>();
    private final Map<Table, List<Consumer<List<RowChange>>>> listeners = new EnumMap<>(Table.class);
    private final ReentrantLock commitLock = new ReentrantLock();
    private volatile boolean closed;
    private final Replicas replicas = new Replicas.Alone("memory");

    public MemoryStore() {
        for (Table t : Table.values()) {
            tables.put(t, new ConcurrentSkipListMap<>());
            listeners.put(t, new CopyOnWriteArrayList<>());
        }
    }

    @Override
    public <R> R transact(Function<StoreTx, R> work) {
        commitLock.lock();
        try {
            var changes = new Committing();
            var tx = new StagedTx(changes, null);
            R result = work.apply(tx);
            tx.flush();
            changes.publish();
            return result;
        } finally {
            commitLock.unlock();
        }
    }

    /** The committed rows as one transaction sees them, and the changes its commit makes. */
    private final class Committing implements StagedTx.Committed {
        private final Map<Table, List<RowChange>> changes = new EnumMap<>(Table.class);

        @Override public StoredRow row(Table table, String id) { return tables.get(table).get(id); }

        @Override
        public Map<String, StoredRow> rows(Table table, SortedSet<String> ids) {
            Map<String, StoredRow> out = new LinkedHashMap<>();
            for (String id : ids) {
                StoredRow row = tables.get(table).get(id);
                if (row != null) out.put(id, row);
            }
            return out;
        }

        @Override public List<StoredRow> find(Table table, Column column, Object value, int limit) { return MemoryStore.this.find(table, column, value, limit); }

        @Override public AllocBlock block(String key) { return blocks.get(key); }

        @Override public List<AllocBlock> blocks(String scope) { return committedBlocks(scope); }

        @Override
        public void write(Table table, SortedMap<String, StoredRow> puts, SortedSet<String> removes) {
            var rows = tables.get(table);
            List<RowChange> out = changes.computeIfAbsent(table, t -> new ArrayList<>());
            puts.forEach((id, row) -> out.add(new RowChange(table, id, rows.put(id, row), row)));
            for (String id : removes) {
                StoredRow before = rows.remove(id);
                if (before != null) out.add(new RowChange(table, id, before, null));
            }
        }

        @Override
        public void writeBlocks(SortedMap<String, AllocBlock> puts, SortedSet<String> removes) {
            blocks.putAll(puts);
            for (String key : removes) blocks.remove(key);
        }

        void publish() {
            changes.forEach((table, list) -> {
                if (list.isEmpty()) return;
                List<RowChange> copy = List.copyOf(list);
                for (var listener : listeners.get(table)) listener.accept(copy);
            });
        }
    }

    @Override public Optional<StoredRow> get(Table table, String id) { return Optional.ofNullable(tables.get(table).get(id)); }

    @Override public List<StoredRow> find(Table table, Column column, Object value) { return find(table, column, value, 0); }

    @Override
    public List<StoredRow> find(Table table, Column column, Object value, int limit) {
        if (!table.isIndexed(column)) throw new IllegalArgumentException(table + " has no index on " + column);
        List<StoredRow> out = new ArrayList<>();
        if (value == null) return out;
        for (StoredRow row : tables.get(table).values()) {
            if (!Objects.equals(row.column(column), value)) continue;
            out.add(row);
            if (limit > 0 && out.size() >= limit) break;
        }
        return out;
    }

    @Override
    public List<StoredRow> ordered(Table table, Column column, Object value, String after, int limit) {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive: " + limit);
        if (column != null && !table.isIndexed(column)) throw new IllegalArgumentException(table + " has no index on " + column);
        var rows = tables.get(table);
        List<StoredRow> out = new ArrayList<>();
        if (column != null && value == null) return out;
        for (StoredRow row : (after == null ? rows : rows.tailMap(after, false)).values()) {
            if (column != null && !Objects.equals(row.column(column), value)) continue;
            out.add(row);
            if (out.size() >= limit) break;
        }
        return out;
    }

    @Override
    public List<AllocBlock> committedBlocks(String scope) {
        // Keys are "scope#index": the scope's blocks are one key range.
        return new ArrayList<>(blocks.subMap(scope + "#", scope + "$").values());
    }

    @Override public List<StoredRow> scan(Table table) { return new ArrayList<>(tables.get(table).values()); }

    @Override public void scan(Table table, Consumer<StoredRow> each) { tables.get(table).values().forEach(each); }

    @Override public long count(Table table) { return tables.get(table).size(); }

    @Override
    public AutoCloseable subscribe(Table table, Consumer<List<RowChange>> listener) {
        listeners.get(table).add(listener);
        return () -> listeners.get(table).remove(listener);
    }

    @Override public boolean isReady() { return !closed; }

    @Override public void close() { closed = true; }

    @Override public Replicas replicas() { return replicas; }
}
