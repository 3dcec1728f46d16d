package org.alcor.controller.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.TreeSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.Table;

/**
 * Implicit batching of writes: concurrent requests that reach the same lane are run together in one store
 * transaction, each in its own savepoint, so a transaction's fixed cost is shared and one failing request does
 * not fail its neighbours. Requests are routed to a lane by an affinity key (the VPC id), so two lanes of one
 * controller never contend for the same locks and one VPC's writes stay in order.
 */
public final class WriteBatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WriteBatcher.class.getName());

    private final Store store;
    private final List<Lane> lanes = new ArrayList<>();
    private final int maxBatchWeight;
    private volatile boolean closed;

    public WriteBatcher(Store store, int laneCount, int maxBatchWeight) {
        this.store = store;
        this.maxBatchWeight = maxBatchWeight;
        for (int i = 0; i < laneCount; i++) lanes.add(new Lane(i));
    }

    /**
     * Runs work in a transaction shared with other requests of the same lane and returns its result once the
     * transaction has committed. weight ≈ resources written, to bound the size of one transaction.
     */
    public <R> R submit(String affinity, int weight, Function<StoreTx, R> work) {
        return submit(affinity, weight, List.of(), work);
    }

    /**
     * As {@link #submit(String, int, Function)}, for work that also locks rows shared with other lanes: they are
     * locked before any work of the batch runs, in {@link LockKey} order (see there why).
     */
    public <R> R submit(String affinity, int weight, Collection<LockKey> sharedLocks, Function<StoreTx, R> work) {
        if (closed) throw new AlcorException(ErrorCode.UNAVAILABLE, "ServiceUnavailable", "The controller is shutting down.");
        var pending = new Pending<>(work, weight, sharedLocks);
        lanes.get(Math.floorMod(affinity.hashCode(), lanes.size())).queue.add(pending);
        try {
            return pending.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlcorException(ErrorCode.UNAVAILABLE, "ServiceUnavailable", "Interrupted while writing.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Lane lane : lanes) lane.thread.interrupt();
        for (Lane lane : lanes) {
            try {
                lane.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Pending<R> {
        final Function<StoreTx, R> work;
        final int weight;
        final Collection<LockKey> locks;
        final CompletableFuture<R> result = new CompletableFuture<>();
        R value;
        RuntimeException error;

        Pending(Function<StoreTx, R> work, int weight, Collection<LockKey> locks) {
            this.work = work;
            this.weight = Math.max(1, weight);
            this.locks = locks;
        }

        void runIn(StoreTx tx) {
            StoreTx savepoint = tx.savepoint();
            try {
                value = work.apply(savepoint);
                error = null;
                tx.release(savepoint);
            } catch (AlcorException e) {
                error = e;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "write failed", e);
                error = e;
            }
        }

        void complete() {
            if (error != null) result.completeExceptionally(error); else result.complete(value);
        }
    }

    private final class Lane implements Runnable {
        final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
        final Thread thread;

        Lane(int index) {
            thread = new Thread(this, "alcor-write-lane-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            List<Pending<?>> batch = new ArrayList<>();
            while (!closed) {
                try {
                    Pending<?> first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    int weight = first.weight;
                    Pending<?> next;
                    while (weight < maxBatchWeight && (next = queue.peek()) != null && weight + next.weight <= maxBatchWeight) {
                        batch.add(queue.poll());
                        weight += next.weight;
                    }
                    commit(batch);
                } catch (InterruptedException e) {
                    break;
                } finally {
                    batch.clear();
                }
            }
            Pending<?> left;
            while ((left = queue.poll()) != null) {
                left.result.completeExceptionally(new AlcorException(ErrorCode.UNAVAILABLE, "ServiceUnavailable",
                        "The controller is shutting down."));
            }
        }

        private void lockShared(StoreTx tx, List<Pending<?>> batch) {
            TreeSet<LockKey> keys = new TreeSet<>();
            for (Pending<?> p : batch) keys.addAll(p.locks);
            Table table = null;
            List<String> ids = new ArrayList<>();
            for (LockKey key : keys) {
                if (key.table() != table && !ids.isEmpty()) {
                    tx.getAll(table, ids);
                    ids.clear();
                }
                table = key.table();
                ids.add(key.id());
            }
            if (!ids.isEmpty()) tx.getAll(table, ids);
        }

        private void commit(List<Pending<?>> batch) {
            try {
                store.transact(tx -> {
                    lockShared(tx, batch);
                    for (Pending<?> p : batch) p.runIn(tx);
                    return null;
                });
                for (Pending<?> p : batch) p.complete();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "store transaction of " + batch.size() + " writes failed", e);
                var failure = new AlcorException(ErrorCode.UNAVAILABLE, "ServiceUnavailable",
                        "The store could not commit the change; retry the request.");
                for (Pending<?> p : batch) p.result.completeExceptionally(failure);
            }
        }
    }
}
