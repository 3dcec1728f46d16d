package org.alcor.controller.dataplane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.store.RowChange;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * The store's change feed as the engine takes it: the latest committed state of each changed row since the engine
 * last looked, coalesced by row (the engine's snapshot holds the state before). A burst of changes to one row is
 * one change, so what waits here is bounded by the number of distinct rows changed, not by the rate of commits.
 * Store threads add (and return at once); the engine thread drains.
 */
final class ChangeIntake implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeIntake.class.getName());

    private record RowKey(Table table, String id) {}

    /** A deleted row (a map value cannot be null). */
    private static final StoredRow DELETED = new StoredRow("-", null, null, null, null, null, false, 0, null);

    private final List<AutoCloseable> feeds = new ArrayList<>();
    private final Runnable onChange;
    private LinkedHashMap<RowKey, StoredRow> pending = new LinkedHashMap<>();
    private long received;

    ChangeIntake(Store store, List<Table> tables, Runnable onChange) {
        this.onChange = onChange;
        for (Table t : tables) feeds.add(store.subscribe(t, this::add));
    }

    private void add(List<RowChange> changes) {
        synchronized (this) {
            for (RowChange c : changes) pending.put(new RowKey(c.table(), c.id()), c.after() == null ? DELETED : c.after());
            received += changes.size();
        }
        onChange.run();
    }

    /** Everything changed since the last drain, oldest first (as RowChanges whose before is unknown). */
    List<RowChange> drain() {
        Map<RowKey, StoredRow> batch;
        synchronized (this) {
            if (pending.isEmpty()) return List.of();
            batch = pending;
            pending = new LinkedHashMap<>();
        }
        List<RowChange> out = new ArrayList<>(batch.size());
        batch.forEach((k, row) -> out.add(new RowChange(k.table(), k.id(), null, row == DELETED ? null : row)));
        return out;
    }

    synchronized int size() { return pending.size(); }

    /** Row changes received from the feed so far (before coalescing). */
    synchronized long received() { return received; }

    @Override
    public void close() {
        for (AutoCloseable feed : feeds) {
            try {
                feed.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing change feed", e);
            }
        }
    }
}
