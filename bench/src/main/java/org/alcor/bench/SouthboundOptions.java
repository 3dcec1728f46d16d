package org.alcor.bench;

import java.net.URI;

/** Options of {@code alcor bench southbound}. */
record SouthboundOptions(URI url, String southbound, int hosts, int portsPerHost, int latencySamples, int concurrency,
                         int channels, int bulk) {
    static final String USAGE = """
            usage: alcor bench southbound [--url URL] [--southbound HOST:PORT] --hosts H --ports-per-host P
                                          [--latency-samples N] [-c C] [--channels K] [--bulk B]
              --url              controller API (default http://127.0.0.1:9696)
              --southbound       controller goal-state service (default 127.0.0.1:9697)
              --hosts            simulated agents (real gRPC streams, state in memory), all in one VPC
              --ports-per-host   ports bound to each host (created with bulk POSTs of B, default 1000)
              --latency-samples  single POSTs timed from request to the host's goal state (default 200), C at a time (default 4)
              --channels         gRPC connections the agents share (default 8)""";

    static SouthboundOptions parse(String[] args) throws UsageException {
        URI url = URI.create("http://127.0.0.1:9696");
        String southbound = "127.0.0.1:9697";
        int hosts = -1, perHost = -1, samples = 200, c = 4, channels = 8, bulk = 1000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) throw UsageException.help();
            if (i + 1 >= args.length) throw new UsageException(a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--url" -> url = URI.create(v);
                case "--southbound" -> southbound = v;
                case "--hosts" -> hosts = positive(a, v);
                case "--ports-per-host" -> perHost = positive(a, v);
                case "--latency-samples" -> samples = positive(a, v);
                case "-c" -> c = positive(a, v);
                case "--channels" -> channels = positive(a, v);
                case "--bulk" -> bulk = positive(a, v);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (hosts < 0 || perHost < 0) throw new UsageException("--hosts and --ports-per-host are required");
        return new SouthboundOptions(url, southbound, hosts, perHost, samples, c, channels, bulk);
    }

    private static int positive(String name, String v) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(name + " must be a positive integer, not '" + v + "'");
    }
}
