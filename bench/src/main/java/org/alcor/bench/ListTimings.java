package org.alcor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the port lists a client runs against a full store: the first page of 1,000, a page of 1,000 after a
 * marker, one network's ports and one device's (filtered pages), and the whole collection (once: it grows with
 * the store). Each is repeated; medians say what a list costs, the items and bytes what it returned.
 */
final class ListTimings {
    record Timing(String label, String path, int status, int items, long bytes, LatencyStats latency) {}

    private ListTimings() {
    }

    static List<Timing> run(NeutronHttp http, PrintStream out, int repeats, Prefill.Stored stored)
            throws InterruptedException {
        List<String[]> lists = new ArrayList<>();
        lists.add(new String[] {"limit=1000", "/v2.0/ports?limit=1000"});
        if (stored.portId() != null) {
            lists.add(new String[] {"limit=1000 after a marker", "/v2.0/ports?limit=1000&marker=" + stored.portId()});
        }
        if (stored.networkId() != null) {
            lists.add(new String[] {"network_id, limit=1000", "/v2.0/ports?limit=1000&network_id=" + stored.networkId()});
            lists.add(new String[] {"network_id", "/v2.0/ports?network_id=" + stored.networkId()});
        }
        if (stored.deviceId() != null) {
            lists.add(new String[] {"device_id", "/v2.0/ports?device_id=" + stored.deviceId()});
        }
        lists.add(new String[] {"all ports", "/v2.0/ports"});
        List<Timing> timings = new ArrayList<>();
        for (String[] list : lists) {
            Timing t = time(http, list[0], list[1], list[0].equals("all ports") ? 1 : repeats);
            timings.add(t);
            out.printf(Locale.ROOT, "  list %-26s %4s %8d items %12d bytes  median %9.1f ms  p90 %9.1f ms  (%d runs)%n",
                    t.label(), t.status(), t.items(), t.bytes(), t.latency().percentileMillis(50),
                    t.latency().percentileMillis(90), t.latency().count());
        }
        return timings;
    }

    private static Timing time(NeutronHttp http, String label, String path, int repeats) throws InterruptedException {
        long[] nanos = new long[repeats];
        NeutronHttp.Counted last = null;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            try {
                last = http.getCounting(path, "ports");
            } catch (IOException e) {
                return new Timing(label, path, -1, 0, 0, LatencyStats.ofNanos(new long[0]));
            }
            nanos[i] = System.nanoTime() - start;
        }
        return new Timing(label, path, last.status(), last.items(), last.bytes(), LatencyStats.ofNanos(nanos));
    }
}
