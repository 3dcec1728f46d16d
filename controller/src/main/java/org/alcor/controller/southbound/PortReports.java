package org.alcor.controller.southbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.port.PortReport;

/**
 * Hands what hosts report about their ports to the port service off the gRPC threads, many reports per store
 * transaction: acks of a burst of creates turn their ports ACTIVE in a few writes, not one each.
 */
final class PortReports implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PortReports.class.getName());
    private static final int MAX_BATCH = 1_000;

    private final LinkedBlockingQueue<PortReport> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<PortReport>> sink;
    private final Thread thread;
    private volatile boolean closed;
    private final long firstBackoffMs, maxBackoffMs;

    PortReports(Consumer<List<PortReport>> sink) { this(sink, 200, 5_000); }

    /** Backoff between failed writes: doubling from firstBackoffMs up to maxBackoffMs. */
    PortReports(Consumer<List<PortReport>> sink, long firstBackoffMs, long maxBackoffMs) {
        this.sink = sink;
        this.firstBackoffMs = firstBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.thread = new Thread(this::run, "alcor-port-reports");
        thread.setDaemon(true);
        thread.start();
    }

    void add(PortReport report) { queue.add(report); }

    int pending() { return queue.size(); }

    boolean healthy() { return thread.isAlive(); }

    private void run() {
        List<PortReport> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                deliver(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // A failure outside the store write (which retries itself) must not end the thread silently.
                LOG.log(Level.SEVERE, "port reports: " + batch.size() + " reports not applied", e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * A failed write (the store busy, failing over, or inactive) is retried until it is delivered: a lost report
     * would leave its port DOWN until the host happened to name it again. A port deleted meanwhile is skipped by the
     * port service, so nothing waits on it; reports that come meanwhile queue behind (alcor_southbound_port_reports_pending).
     */
    private void deliver(List<PortReport> batch) throws InterruptedException {
        long backoff = firstBackoffMs;
        for (int attempt = 1; !closed; attempt++) {
            try {
                sink.accept(batch);
                if (attempt > 5) LOG.info("port reports: " + batch.size() + " delivered after " + attempt + " attempts");
                return;
            } catch (RuntimeException e) {
                if (attempt == 5 || attempt % 20 == 0) {
                    LOG.log(Level.WARNING, "port reports: " + batch.size() + " not delivered after " + attempt + " attempts; retrying", e);
                } else {
                    LOG.log(Level.FINE, "port reports: retrying after " + e);
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, maxBackoffMs);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
