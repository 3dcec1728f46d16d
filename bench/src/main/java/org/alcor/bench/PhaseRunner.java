package org.alcor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a fixed number of requests with C closed-loop clients: each virtual thread takes the next index from a
 * shared counter, so a slow request delays only its own client, like C independent API users.
 */
final class PhaseRunner {
    /** Issues request number {@code index}; exceptions are counted as errors by their class name. */
    interface Call {
        Outcome call(int index) throws IOException, InterruptedException;
    }

    private final PrintStream out;
    private final Duration progressEvery;

    PhaseRunner(PrintStream out, Duration progressEvery) {
        this.out = out;
        this.progressEvery = progressEvery;
    }

    PhaseResult run(String name, int requests, int concurrency, Call call) throws InterruptedException {
        int clients = Math.max(1, Math.min(concurrency, requests));
        // One slot per request, written by exactly one client; -1 marks requests that failed.
        long[] latencies = new long[requests];
        Arrays.fill(latencies, -1);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger ports = new AtomicInteger();
        ErrorTally errors = new ErrorTally();

        long start = System.nanoTime();
        ScheduledExecutorService progress = startProgress(name, requests, start, done, ports, errors);
        List<Thread> threads = new ArrayList<>(clients);
        try {
            for (int t = 0; t < clients && requests > 0; t++) {
                threads.add(Thread.ofVirtual().name("bench-" + name + "-", t).start(() -> {
                    int i;
                    while (!Thread.currentThread().isInterrupted() && (i = next.getAndIncrement()) < requests) {
                        long t0 = System.nanoTime();
                        Outcome o = attempt(call, i);
                        if (o.isOk()) {
                            latencies[i] = System.nanoTime() - t0;
                            ports.addAndGet(o.ports());
                        } else {
                            errors.record(o.errorKey(), o.errorBody());
                        }
                        done.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        } finally {
            progress.shutdownNow();
        }
        long wall = System.nanoTime() - start;
        long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).toArray();
        return new PhaseResult(name, requests, clients, ports.get(), errors.snapshot(), errors.firstBody(), wall,
                LatencyStats.ofNanos(ok), Double.NaN);
    }

    private static Outcome attempt(Call call, int index) {
        try {
            return call.call(index);
        } catch (HttpTimeoutException e) {
            return Outcome.error("timeout", e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Outcome.error(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.error("interrupted", "");
        }
    }

    private ScheduledExecutorService startProgress(String name, int requests, long start, AtomicInteger done,
                                                   AtomicInteger ports, ErrorTally errors) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        long every = progressEvery.toMillis();
        s.scheduleAtFixedRate(() -> {
            double secs = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "  ... %s: %d/%d requests, %d ports, %d errors, %.0f s, %.1f ports/s%n",
                    name, done.get(), requests, ports.get(), errors.total(), secs, ports.get() / secs);
        }, every, every, TimeUnit.MILLISECONDS);
        return s;
    }
}
