package org.alcor.bench;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code bin/alcor bench}: picks the load generator named by the first argument. */
public final class Main {
    static final String USAGE = """
            usage: alcor bench <subcommand> [args]
            subcommands:
              northbound   port-creation throughput and latency against Neutron-compatible APIs
              southbound   simulated agents on real gRPC streams: provisioning latency, fan-out, bytes per host
            run 'alcor bench <subcommand> --help' for its options""";

    private Main() {
    }

    public static void main(String[] args) {
        // System.exit only here, so tests can drive run() and assert on the exit code.
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "northbound" -> northbound(rest, out, err);
            case "southbound" -> southbound(rest, out, err);
            // Hidden: a child of 'southbound --processes N', speaking AgentLines on stdin and stdout.
            case org.alcor.bench.southbound.AgentProcess.SUBCOMMAND -> agentProcess(rest, err);
            case "--help", "-h", "help" -> {
                out.println(USAGE);
                yield 0;
            }
            default -> {
                err.println("alcor bench: unknown subcommand '" + args[0] + "'");
                err.println(USAGE);
                yield 2;
            }
        };
    }

    private static int southbound(String[] args, PrintStream out, PrintStream err) {
        SouthboundOptions options;
        try {
            options = SouthboundOptions.parse(args);
        } catch (UsageException e) {
            if (e.isHelp()) {
                out.println(SouthboundOptions.USAGE);
                return 0;
            }
            err.println("alcor bench southbound: " + e.getMessage());
            err.println(SouthboundOptions.USAGE);
            return 2;
        }
        try {
            return new SouthboundBench(options, out).run();
        } catch (BenchFailure e) {
            err.println("alcor bench southbound: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // Not foreseen: say what it was, since its message alone may be empty.
            err.println("alcor bench southbound: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("alcor bench southbound: interrupted");
            return 130;
        }
    }

    private static int agentProcess(String[] args, PrintStream err) {
        // The protocol owns stdout: anything else printed (a library's notice) goes to stderr instead.
        java.io.OutputStream protocol = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        System.setOut(err);
        return org.alcor.bench.southbound.AgentProcess.run(args, System.in, protocol, err);
    }

    private static int northbound(String[] args, PrintStream out, PrintStream err) {
        NorthboundOptions options;
        try {
            options = NorthboundOptions.parse(args);
        } catch (UsageException e) {
            if (e.isHelp()) {
                out.println(NorthboundOptions.USAGE);
                return 0;
            }
            err.println("alcor bench northbound: " + e.getMessage());
            err.println(NorthboundOptions.USAGE);
            return 2;
        }
        try {
            BenchResult result = new NorthboundBench(options, out).run();
            return result.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("alcor bench northbound: interrupted");
            return 130;
        }
    }
}
