package org.alcor.bench;

import java.net.URI;
import java.util.List;

/** Options of {@code alcor bench southbound}. controllerPid is 0 when not given. */
record SouthboundOptions(URI url, String southbound, int hosts, int portsPerHost, int latencySamples, int concurrency,
                         int channels, int bulk, int processes, int slowAgents, int stuckAgents, long controllerPid,
                         String path, org.alcor.southbound.mq.MqLayout mq) {
    /** Underlay addresses come from 198.18.0.0/15 (benchmark range, never routed): one per host. */
    static final int MAX_HOSTS = 1 << 17;
    /** One VPC, one subnet of at most a /8. */
    static final long MAX_PORTS = (1L << 24) - 64;

    static final String USAGE = """
            usage: alcor bench southbound [--url URL] [--southbound HOST:PORT] --hosts H --ports-per-host P
                                          [--latency-samples N] [-c C] [--channels K] [--bulk B] [--processes N]
                                          [--slow-agents K] [--stuck-agents K] [--controller-pid PID]
                                          [--path grpc|mq|auto --kafka HOST:PORT --kafka-topics T --kafka-partitions P]
              --url              controller API (default http://127.0.0.1:9696)
              --southbound       controller goal-state service (default 127.0.0.1:9697); several replicas as
                                 HOST:PORT,HOST:PORT,...: each agent dials one of them (round robin) and
                                 follows redirects to its host's owner, failing over to the next as real agents do
              --hosts            simulated agents (real gRPC streams, compact state in memory), all in one VPC
              --ports-per-host   ports bound to each host (created with bulk POSTs of B, default 1000)
              --latency-samples  single POSTs timed from request to the host's goal state (default 200), C at a time (default 4)
              --channels         gRPC connections the normal agents of each process share (default 8)
              --processes        spread the agents over N child JVMs (default 1: all in this JVM)
              --slow-agents      K of the hosts read one message a second (default 0)
              --stuck-agents     K of the hosts never read their stream (default 0); slow and stuck hosts get ports
                                 but are left out of the latency, convergence and fan-out figures
              --controller-pid   the controller's process id on this machine: the bench runs 'jcmd PID GC.run'
                                 before each heap sample (otherwise it reads the live data after the last GC)
              --path             the path the controller was started with (its --southbound-path, default grpc); with
                                 mq or auto the agents read Kafka (--kafka and the counts: the controller's), the bench
                                 waits for the hosts' moves before the fill and prints the broker's message counts""";

    int normalHosts() { return hosts - slowAgents - stuckAgents; }

    static SouthboundOptions parse(String[] args) throws UsageException {
        URI url = URI.create("http://127.0.0.1:9696");
        String southbound = "127.0.0.1:9697";
        int hosts = -1, perHost = -1, samples = 200, c = 4, channels = 8, bulk = 1000, processes = 1, slow = 0, stuck = 0;
        long pid = 0;
        String path = "grpc", kafka = null;
        int topics = 4, partitions = 8;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) throw UsageException.help();
            if (i + 1 >= args.length) throw new UsageException(a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--url" -> url = url(v);
                case "--southbound" -> southbound = hostPorts(v);
                case "--hosts" -> hosts = positive(a, v);
                case "--ports-per-host" -> perHost = positive(a, v);
                case "--latency-samples" -> samples = positive(a, v);
                case "-c" -> c = positive(a, v);
                case "--channels" -> channels = positive(a, v);
                case "--bulk" -> bulk = positive(a, v);
                case "--processes" -> processes = positive(a, v);
                case "--slow-agents" -> slow = nonNegative(a, v);
                case "--stuck-agents" -> stuck = nonNegative(a, v);
                case "--controller-pid" -> pid = positive(a, v);
                case "--path" -> path = v;
                case "--kafka" -> kafka = v;
                case "--kafka-topics" -> topics = positive(a, v);
                case "--kafka-partitions" -> partitions = positive(a, v);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (hosts < 0 || perHost < 0) throw new UsageException("--hosts and --ports-per-host are required");
        if (hosts > MAX_HOSTS) throw new UsageException("--hosts: at most " + MAX_HOSTS + " (one underlay address each in 198.18.0.0/15)");
        if ((long) hosts * perHost + samples > MAX_PORTS) throw new UsageException("at most " + MAX_PORTS + " ports in the bench's VPC (a /8)");
        if (slow + stuck >= hosts) throw new UsageException("--slow-agents and --stuck-agents leave no normal host to measure");
        if (processes > hosts) throw new UsageException("--processes " + processes + " is more than the " + hosts + " hosts");
        if (!List.of("grpc", "mq", "auto").contains(path)) throw new UsageException("--path is grpc, mq or auto, not '" + path + "'");
        if (!path.equals("grpc") && kafka == null) throw new UsageException("--path " + path + " needs --kafka (the controller's brokers)");
        org.alcor.southbound.mq.MqLayout mq;
        try {
            mq = path.equals("grpc") ? null : org.alcor.southbound.mq.MqLayout.parse(kafka, topics, partitions);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (mq != null && mq.clusters().size() != 1) throw new UsageException("--kafka: the bench's agents read one cluster");
        return new SouthboundOptions(url, southbound, hosts, perHost, samples, c, channels, bulk, processes, slow, stuck, pid, path, mq);
    }

    private static URI url(String v) throws UsageException {
        try {
            URI u = URI.create(v);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) return u;
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new UsageException("--url must be an http(s) URL such as http://127.0.0.1:9696, not '" + v + "'");
    }

    /** HOST:PORT[,HOST:PORT...]: the controller's replicas, as agents are given them. */
    private static String hostPorts(String v) throws UsageException {
        for (String a : v.split(",")) hostPort(a);
        return v;
    }

    private static String hostPort(String v) throws UsageException {
        int colon = v.lastIndexOf(':');
        if (colon > 0) {
            try {
                int port = Integer.parseInt(v.substring(colon + 1));
                if (port > 0 && port < 65536) return v;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new UsageException("--southbound must be HOST:PORT, not '" + v + "'");
    }

    private static int nonNegative(String name, String v) throws UsageException { return atLeast(0, name, v); }

    private static int positive(String name, String v) throws UsageException { return atLeast(1, name, v); }

    private static int atLeast(int min, String name, String v) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(name + " must be " + (min == 0 ? "0 or more" : "a positive integer") + ", not '" + v + "'");
    }
}
