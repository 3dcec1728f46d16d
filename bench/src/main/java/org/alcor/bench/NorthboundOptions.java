package org.alcor.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Command line of {@code alcor bench northbound}. */
record NorthboundOptions(List<URI> urls, String project, int n, int concurrency, int bulk, boolean cleanup, int prefill,
                         int listRepeats) {
    static final int DEFAULT_LIST_REPEATS = 11;

    NorthboundOptions(List<URI> urls, String project, int n, int concurrency, int bulk, boolean cleanup) {
        this(urls, project, n, concurrency, bulk, cleanup, 0, DEFAULT_LIST_REPEATS);
    }


    static final String USAGE = """
            usage: alcor bench northbound --url URL [--url URL2 ...] [--project P] -n N -c C [--bulk B] [--cleanup]
                                          [--prefill P] [--list-repeats R]

            For each URL in turn: create a network and a 10.x.0.0/16 subnet, (with --prefill) store P ports
            first and time port lists, warm up with min(200, N/10) unmeasured ports, create N ports one per
            POST with C concurrent clients, then (with --bulk) N more ports in POSTs of B ports each; report
            throughput, latency and (where the server exports it in /metrics) its CPU per port, then compare.
              --url URL     Neutron-compatible endpoint, e.g. http://127.0.0.1:9696 (repeatable;
                            the first URL is the baseline of the ports/s ratios)
              --project P   send X-Project-Id: P (noauth project scoping)
              -n N          ports per phase
              -c C          concurrent clients
              --bulk B      also run the bulk phase with B ports per request
              --cleanup     delete the created ports, subnet and network afterwards (not the prefill)
              --prefill P   bulk-create P ports first: networks of 1,000 ports (a /22 each), one POST per
                            network, C at a time; then time lists (limit=1000, after a marker, by network_id,
                            by device_id, all ports), each R times (11; the full list once)
              --list-repeats R  runs of each list timing
              --help        print this help
            Every request sends X-Auth-Token: bench and times out after 600 s; failures are counted, not retried.
            Exit code: 0 ok, 1 a URL was unreachable or refused the network/subnet, 2 bad arguments.""";

    NorthboundOptions {
        urls = List.copyOf(urls);
    }

    boolean bulkEnabled() {
        return bulk > 0;
    }

    /** Unmeasured ports first, so connection setup and JIT/cache warm-up on both sides do not skew the first samples. */
    int warmupPorts() {
        return Math.min(200, n / 10);
    }

    static NorthboundOptions parse(String[] args) throws UsageException {
        List<URI> urls = new ArrayList<>();
        String project = null;
        Integer n = null;
        Integer c = null;
        int bulk = 0;
        boolean cleanup = false;
        int prefill = 0;
        int listRepeats = DEFAULT_LIST_REPEATS;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> throw UsageException.help();
                case "--url" -> urls.add(url(value(args, ++i, arg)));
                case "--project" -> project = value(args, ++i, arg);
                case "-n" -> n = positive(value(args, ++i, arg), arg);
                case "-c" -> c = positive(value(args, ++i, arg), arg);
                case "--bulk" -> bulk = positive(value(args, ++i, arg), arg);
                case "--cleanup" -> cleanup = true;
                case "--prefill" -> prefill = positive(value(args, ++i, arg), arg);
                case "--list-repeats" -> listRepeats = positive(value(args, ++i, arg), arg);
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        if (urls.isEmpty()) {
            throw new UsageException("at least one --url is required");
        }
        if (n == null) {
            throw new UsageException("-n is required");
        }
        if (c == null) {
            throw new UsageException("-c is required");
        }
        if (prefill > Prefill.MAX_NETWORKS * Prefill.PORTS_PER_NETWORK) {
            throw new UsageException("--prefill is at most " + Prefill.MAX_NETWORKS * Prefill.PORTS_PER_NETWORK);
        }
        return new NorthboundOptions(urls, project, n, c, bulk, cleanup, prefill, listRepeats);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String text, String option) throws UsageException {
        try {
            int v = Integer.parseInt(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below, same message as a non-positive number
        }
        throw new UsageException(option + " needs a positive integer, got '" + text + "'");
    }

    private static URI url(String text) throws UsageException {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad --url '" + text + "': " + e.getMessage());
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new UsageException("--url must be http(s)://host[:port][/path], got '" + text + "'");
        }
        return uri;
    }
}
