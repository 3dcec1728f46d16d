package org.alcor.bench.southbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.alcor.bench.BenchFailure;

/**
 * Every simulated agent of a run, spread over shares (this JVM, or {@code processes} children; host i goes to share
 * i mod processes), and the sums of what the shares report. The bench sees one fleet; only the shares know where
 * agents run. Memory in this JVM is a few numbers per share plus the arrival times of the ports the bench asked to
 * watch (the latency samples), never one entry per port of the fill.
 */
public final class Fleet implements AutoCloseable {
    private final List<Share> shares = new ArrayList<>();
    private final List<Progress> progress = new ArrayList<>();
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final int normalHosts;
    private volatile String failure;

    private Fleet(List<HostSpec> hosts) {
        this.normalHosts = (int) hosts.stream().filter(HostSpec::normal).count();
    }

    /** Starts the shares (children in parallel: each is a JVM start-up) without connecting their agents yet. */
    public static Fleet start(String southbound, int channels, int processes, List<HostSpec> hosts) {
        return start(southbound, channels, processes, hosts, null);
    }

    /** As {@link #start(String, int, int, List)}; mq: the agents can be moved to the MQ path of this layout (null: gRPC only). */
    public static Fleet start(String southbound, int channels, int processes, List<HostSpec> hosts, org.alcor.southbound.mq.MqLayout mq) {
        Fleet fleet = new Fleet(hosts);
        List<List<HostSpec>> split = new ArrayList<>();
        for (int i = 0; i < processes; i++) split.add(new ArrayList<>());
        for (HostSpec h : hosts) split.get(h.index() % processes).add(h);
        for (int i = 0; i < processes; i++) fleet.progress.add(fleet.new Progress());
        if (processes == 1) {
            fleet.shares.add(new LocalShare(southbound, channels, split.getFirst(), fleet.progress.getFirst(), mq));
            return fleet;
        }
        try {
            fleet.shares.addAll(fleet.parallel(i -> ChildShare.start(i + 1, southbound, channels, split.get(i), fleet.progress.get(i), mq), processes));
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** Runs one call per share at once (a child's answer takes a round trip) and returns their results in order. */
    private <T> List<T> parallel(Function<Integer, T> call, int n) {
        if (n == 1) return List.of(call.apply(0));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int share = i;
                futures.add(pool.submit(() -> call.apply(share)));
            }
            List<T> out = new ArrayList<>();
            RuntimeException first = null;
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (first == null) first = e.getCause() instanceof RuntimeException r ? r : new BenchFailure(String.valueOf(e.getCause()));
                }
            }
            if (first != null) {
                for (T t : out) if (t instanceof Share s) s.close();
                throw first;
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private void each(java.util.function.Consumer<Share> call) {
        parallel(i -> {
            call.accept(shares.get(i));
            return Boolean.TRUE;
        }, shares.size());
    }

    public int processes() { return shares.size(); }

    public int normalHosts() { return normalHosts; }

    /** Opens every agent's stream; {@link #connected()} tells when every normal agent has its first goal state. */
    public void connect() { each(Share::connect); }

    public boolean connected() { return progress.stream().allMatch(p -> p.connected); }

    /** Throws the first failure a share reported (a stream error, a dead child); the bench checks it while waiting. */
    public void check() {
        String f = failure;
        if (f != null) throw new BenchFailure(f);
    }

    /** Local ports held by normal hosts, over every share. */
    public long heldPorts() {
        long n = 0;
        for (Progress p : progress) n += p.held;
        return n;
    }

    /** When the latest port counted by {@link #heldPorts()} arrived (System.nanoTime). */
    public long lastHeldNanos() { return progress.stream().mapToLong(p -> p.heldNanos).max().orElse(0); }

    /** From now on the shares report single ports; returns once all of them do. */
    public void watchPorts() { each(Share::watchPorts); }

    /** When a watched port reached its host (System.nanoTime), or null while it has not. */
    public Long arrival(String portId) { return arrivals.get(portId); }

    public void watchNeighbor(String vpcId, String ipv4, String boundHostId) {
        for (Progress p : progress) p.reset();
        each(s -> s.watchNeighbor(vpcId, ipv4, boundHostId));
    }

    /** Normal hosts (but the watched port's own) sent the watched neighbour's create or delete. */
    public int fanOutHosts(ShareEvents.FanOut kind) {
        int n = 0;
        for (Progress p : progress) n += kind == ShareEvents.FanOut.CREATE ? p.creates : p.deletes;
        return n;
    }

    public long fanOutLastNanos(ShareEvents.FanOut kind) {
        return progress.stream().mapToLong(p -> kind == ShareEvents.FanOut.CREATE ? p.createNanos : p.deleteNanos).max().orElse(0);
    }

    /** Normal hosts whose VPC is ON_DEMAND as they were last told. */
    public int onDemandHosts() { return progress.stream().mapToInt(p -> p.onDemand).sum(); }

    /** Every host's totals, in host order. */
    public List<HostTotals> totals() {
        List<HostTotals> all = new ArrayList<>();
        for (List<HostTotals> t : parallel(i -> shares.get(i).totals(), shares.size())) all.addAll(t);
        all.sort(java.util.Comparator.comparingInt(HostTotals::index));
        return all;
    }

    @Override
    public void close() {
        if (shares.size() <= 1) {
            for (Share s : shares) s.close();
        } else {
            each(Share::close);
        }
    }

    /** What one share last reported; written by that share's reporting thread, read by the bench. */
    private final class Progress implements ShareEvents {
        volatile boolean connected;
        volatile long held, heldNanos;
        volatile int proactive, onDemand;
        volatile int creates, deletes;
        volatile long createNanos, deleteNanos;

        void reset() {
            creates = deletes = 0;
            createNanos = deleteNanos = 0;
        }

        @Override public void connected(int agents) { connected = true; }

        @Override public void failed(String message) { if (failure == null) failure = message; }

        @Override public void held(long ports, long lastNanos) {
            heldNanos = lastNanos;   // before the count, which the bench polls
            held = ports;
        }

        @Override public void portArrived(String portId, long nanos) { arrivals.putIfAbsent(portId, nanos); }

        @Override public void policy(int proactive, int onDemand) {
            this.proactive = proactive;
            this.onDemand = onDemand;
        }

        @Override public void fanOut(FanOut kind, int hosts, long lastNanos) {
            if (kind == FanOut.CREATE) {
                createNanos = lastNanos;
                creates = hosts;
            } else {
                deleteNanos = lastNanos;
                deletes = hosts;
            }
        }
    }
}
