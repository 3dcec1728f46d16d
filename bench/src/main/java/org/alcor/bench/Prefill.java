package org.alcor.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Stores {@code --prefill} ports before anything is measured, as a cloud holds them: networks of up to 1,000
 * ports (a /22 each, in 10.0.0.0/8; networks may overlap), each port with its own device id, one bulk POST per
 * network, C networks at a time. Its throughput is reported as the "prefill" phase.
 */
final class Prefill {
    static final int PORTS_PER_NETWORK = 1_000;
    /** /22s in 10.0.0.0/8. */
    static final int MAX_NETWORKS = 16_384;

    /** What the list timings look up: the first network (full), and a port of it with its device id. */
    record Stored(PhaseResult phase, String networkId, String portId, String deviceId) {}

    private Prefill() {
    }

    static Stored run(NeutronHttp http, PhaseRunner runner, int ports, int concurrency, String tag)
            throws InterruptedException {
        int networks = (ports + PORTS_PER_NETWORK - 1) / PORTS_PER_NETWORK;
        AtomicReferenceArray<String> networkIds = new AtomicReferenceArray<>(networks);
        String[] sample = new String[2];
        PhaseResult phase = runner.run("prefill", networks, concurrency, i -> {
            int count = Math.min(PORTS_PER_NETWORK, ports - i * PORTS_PER_NETWORK);
            String networkId = network(http, i, tag);
            if (networkId == null) {
                return Outcome.error("network", "POST of prefill network " + i + " failed");
            }
            networkIds.set(i, networkId);
            List<Map<String, Object>> body = new ArrayList<>(count);
            for (int p = 0; p < count; p++) {
                int n = i * PORTS_PER_NETWORK + p;
                body.add(Map.of("network_id", networkId, "name", "prefill-" + tag + "-" + n, "device_id", device(tag, n)));
            }
            NeutronHttp.Response r = http.post("/v2.0/ports", Map.of("ports", body));
            if (r.status() != 201) {
                return Outcome.error(String.valueOf(r.status()), r.body());
            }
            JsonNode created = r.json().path("ports");
            if (i == 0 && created.size() > 0) {
                JsonNode middle = created.get(created.size() / 2);
                sample[0] = middle.path("id").asText();
                sample[1] = middle.path("device_id").asText();
            }
            return Outcome.ok(created.size());
        });
        return new Stored(phase, networkIds.get(0), sample[0], sample[1]);
    }

    private static String device(String tag, int n) {
        return "prefill-vm-" + tag + "-" + n;
    }

    /** A network with its /22 subnet, or null when either POST fails. */
    private static String network(NeutronHttp http, int i, String tag) throws IOException, InterruptedException {
        NeutronHttp.Response net = http.post("/v2.0/networks", Map.of("network", Map.of("name", "prefill-" + tag + "-" + i)));
        if (net.status() != 201) {
            return null;
        }
        String id = net.json().path("network").path("id").asText();
        String cidr = "10." + (i / 64) + "." + (i % 64) * 4 + ".0/22";
        NeutronHttp.Response subnet = http.post("/v2.0/subnets", Map.of("subnet",
                Map.of("network_id", id, "ip_version", 4, "cidr", cidr, "name", "prefill-" + tag + "-" + i)));
        return subnet.status() == 201 ? id : null;
    }
}
