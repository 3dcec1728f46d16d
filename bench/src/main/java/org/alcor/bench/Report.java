package org.alcor.bench;

import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Human-readable output; all numbers come from {@link BenchResult}, which tests assert on instead. */
final class Report {
    private static final int MAX_BODY = 500;

    private Report() {
    }

    static void start(PrintStream out, NorthboundOptions o, String cidr) {
        out.printf(Locale.ROOT, "northbound bench: %d URL(s), n=%d ports per phase, c=%d clients, bulk=%s, "
                        + "cleanup=%s, project=%s, subnet %s%n",
                o.urls().size(), o.n(), o.concurrency(), o.bulkEnabled() ? o.bulk() + " ports/request" : "off",
                o.cleanup() ? "yes" : "no", o.project() == null ? "(none)" : o.project(), cidr);
    }

    static void urlHeader(PrintStream out, URI url) {
        out.println();
        out.println("== " + url + " ==");
    }

    static void warmup(PrintStream out, PhaseResult w) {
        out.printf(Locale.ROOT, "warm-up: %d ports in %.2f s, not measured%s%n", w.ports(), w.wallSeconds(),
                w.errorCount() == 0 ? "" : "; errors " + errors(w));
    }

    static void phase(PrintStream out, PhaseResult r) {
        String verb = r.name().equals("cleanup") ? "deleted" : "created";
        out.printf(Locale.ROOT, "%s phase: %d requests, %d concurrent clients%n",
                r.name(), r.requests(), r.concurrency());
        out.printf(Locale.ROOT, "  ports %s  %d%n", verb, r.ports());
        out.printf(Locale.ROOT, "  errors         %s%n", r.errorCount() == 0 ? "0" : errors(r));
        if (r.firstErrorBody() != null) {
            out.printf(Locale.ROOT, "  first error    %s%n", abbreviate(r.firstErrorBody()));
        }
        out.printf(Locale.ROOT, "  wall time      %.3f s%n", r.wallSeconds());
        out.printf(Locale.ROOT, "  throughput     %.1f ports/s%n", r.portsPerSecond());
        LatencyStats l = r.latency();
        out.printf(Locale.ROOT, "  latency ms     p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (%d successful requests)%n",
                l.percentileMillis(50), l.percentileMillis(90), l.percentileMillis(99), l.maxMillis(), l.count());
        if (!Double.isNaN(r.serverCpuSeconds())) {
            out.printf(Locale.ROOT, "  server CPU     %.1f s, %.3f ms per port%n", r.serverCpuSeconds(), r.serverCpuMillisPerPort());
        }
    }

    static void comparison(PrintStream out, BenchResult result) {
        out.println();
        out.println("== comparison (latency per request, successful requests only) ==");
        out.printf(Locale.ROOT, "%-36s %-8s %8s %7s %10s %10s %9s %9s %9s %9s %12s%n",
                "url", "phase", "ports", "errors", "wall s", "ports/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "cpu ms/port");
        for (UrlResult u : result.urls()) {
            if (!u.ok()) {
                out.printf(Locale.ROOT, "%-36s FAILED: %s%n", u.url(), abbreviate(u.failure()));
            }
            for (PhaseResult r : u.phases()) {
                LatencyStats l = r.latency();
                out.printf(Locale.ROOT, "%-36s %-8s %8d %7d %10.3f %10.1f %9.1f %9.1f %9.1f %9.1f %12s%n",
                        u.url(), r.name(), r.ports(), r.errorCount(), r.wallSeconds(), r.portsPerSecond(),
                        l.percentileMillis(50), l.percentileMillis(90), l.percentileMillis(99), l.maxMillis(),
                        Double.isNaN(r.serverCpuMillisPerPort()) ? "n/a" : String.format(Locale.ROOT, "%.3f", r.serverCpuMillisPerPort()));
            }
            for (ListTimings.Timing t : u.lists()) {
                out.printf(Locale.ROOT, "%-36s list %-26s %8d items  median %9.1f ms%n",
                        u.url(), t.label(), t.items(), t.latency().percentileMillis(50));
            }
        }
        ratios(out, result.urls());
    }

    /** Baseline (first URL) ports/s divided by each other URL's, phase by phase. */
    private static void ratios(PrintStream out, List<UrlResult> urls) {
        if (urls.size() < 2) {
            return;
        }
        UrlResult base = urls.get(0);
        out.println();
        out.println("ports/s ratio = first URL's ports/s divided by the other URL's, per phase:");
        for (UrlResult other : urls.subList(1, urls.size())) {
            if (!base.ok() || !other.ok()) {
                out.printf("  %s / %s: n/a (no measurements)%n", base.url(), other.url());
                continue;
            }
            String perPhase = base.phases().stream().map(b -> {
                Optional<PhaseResult> o = other.phase(b.name());
                double theirs = o.map(PhaseResult::portsPerSecond).orElse(0.0);
                String ratio = theirs > 0 ? String.format(Locale.ROOT, "%.2fx", b.portsPerSecond() / theirs) : "n/a";
                return b.name() + " " + ratio;
            }).collect(Collectors.joining(", "));
            out.printf("  %s / %s: %s%n", base.url(), other.url(),
                    perPhase.isEmpty() ? "n/a" : perPhase);
        }
    }

    private static String errors(PhaseResult r) {
        return r.errorCount() + " (" + r.errors().entrySet().stream()
                .map((Map.Entry<String, Integer> e) -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY ? oneLine : oneLine.substring(0, MAX_BODY) + "...";
    }
}
