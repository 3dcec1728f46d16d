package org.alcor.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.alcor.bench.southbound.AppliedState;
import org.alcor.bench.southbound.HostTotals;
import org.alcor.bench.southbound.SimulatedAgent.Reading;

/**
 * Messages and bytes per host, and bytes against the minimal encoding of what the host ends up holding
 * ({@link AppliedState#minimalBytes()}), as median and max over the normal hosts; slow and stuck hosts apart.
 */
final class HostFigures {
    private final PrintStream out;
    private final SouthboundSummary summary;

    HostFigures(PrintStream out, SouthboundSummary summary) {
        this.out = out;
        this.summary = summary;
    }

    void print(List<HostTotals> hosts) {
        List<HostTotals> normal = hosts.stream().filter(h -> h.reading() == Reading.NORMAL).toList();
        double[] messages = normal.stream().mapToDouble(HostTotals::messages).toArray();
        double[] bytes = normal.stream().mapToDouble(HostTotals::bytes).toArray();
        double[] ratio = normal.stream().filter(h -> h.minimalBytes() > 0).mapToDouble(h -> h.bytes() / (double) h.minimalBytes()).toArray();
        long allMessages = hosts.stream().mapToLong(HostTotals::messages).sum(), allBytes = hosts.stream().mapToLong(HostTotals::bytes).sum();
        out.printf("per normal host (median / max of %d): %.0f / %.0f goal-state messages, %.0f / %.0f bytes; bytes against the minimal encoding %.2fx / %.2fx%n",
                normal.size(), median(messages), max(messages), median(bytes), max(bytes), median(ratio), max(ratio));
        out.printf("  (minimal encoding: every local state at its protobuf size plus its key, every neighbour at %d bytes; in all %d messages, %.1f MB to %d hosts)%n",
                AppliedState.MINIMAL_NEIGHBOR_BYTES, allMessages, allBytes / 1e6, hosts.size());
        double[] feedRecords = normal.stream().mapToDouble(HostTotals::feedRecords).toArray();
        double[] feedBytes = normal.stream().mapToDouble(HostTotals::feedBytes).toArray();
        double[] both = normal.stream().mapToDouble(h -> h.bytes() + h.feedBytes()).toArray();
        if (max(feedRecords) > 0) {
            out.printf("  VPC feed records applied per normal host (median / max): %.0f / %.0f, %.0f / %.0f bytes; own goal states and feed together %.0f / %.0f bytes%n",
                    median(feedRecords), max(feedRecords), median(feedBytes), max(feedBytes), median(both), max(both));
            summary.put("feed_records_per_host_median", median(feedRecords)).put("feed_bytes_per_host_median", median(feedBytes))
                    .put("bytes_with_feeds_per_host_median", median(both)).put("bytes_with_feeds_per_host_max", max(both));
        }
        summary.put("msgs_per_host_median", median(messages)).put("msgs_per_host_max", max(messages))
                .put("bytes_per_host_median", median(bytes)).put("bytes_per_host_max", max(bytes))
                .put("bytes_vs_minimal_median", median(ratio)).put("bytes_vs_minimal_max", max(ratio));
        slowOrStuck(hosts, Reading.SLOW, "slow", "(reading one message a second)", "slow_msgs");
        slowOrStuck(hosts, Reading.STUCK, "stuck", "(never reading)", "stuck_msgs");
    }

    private void slowOrStuck(List<HostTotals> hosts, Reading reading, String kind, String how, String key) {
        List<HostTotals> these = hosts.stream().filter(h -> h.reading() == reading).toList();
        if (these.isEmpty()) return;
        long messages = these.stream().mapToLong(HostTotals::messages).sum(), bytes = these.stream().mapToLong(HostTotals::bytes).sum();
        out.printf("%d %s host%s %s received %d goal-state messages (%.1f per host), %d bytes%n", these.size(), kind,
                these.size() == 1 ? "" : "s", how, messages, messages / (double) these.size(), bytes);
        summary.put(key, messages);
    }

    /** Nearest rank, as {@link LatencyStats}: always a value that some host had; NaN without hosts. */
    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.ceil(s.length / 2.0) - 1];
    }

    private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }
}
