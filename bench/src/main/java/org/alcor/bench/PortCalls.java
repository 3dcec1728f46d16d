package org.alcor.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The port requests of every phase, judged the same way for every URL; remembers ids for --cleanup. */
final class PortCalls {
    private final NeutronHttp http;
    private final String networkId;
    private final Queue<String> created = new ConcurrentLinkedQueue<>();

    PortCalls(NeutronHttp http, String networkId) {
        this.http = http;
        this.networkId = networkId;
    }

    Outcome createOne(String name) throws IOException, InterruptedException {
        NeutronHttp.Response r = http.post("/v2.0/ports", Map.of("port", port(name)));
        if (r.status() != 201) {
            return Outcome.error(String.valueOf(r.status()), r.body());
        }
        String id = r.json().path("port").path("id").asText(null);
        if (id == null) {
            return Outcome.error("201 without port.id", r.body());
        }
        created.add(id);
        return Outcome.ok(1);
    }

    Outcome createBulk(List<String> names) throws IOException, InterruptedException {
        List<Map<String, Object>> ports = new ArrayList<>(names.size());
        names.forEach(n -> ports.add(port(n)));
        NeutronHttp.Response r = http.post("/v2.0/ports", Map.of("ports", ports));
        if (r.status() != 201) {
            return Outcome.error(String.valueOf(r.status()), r.body());
        }
        JsonNode back = r.json().path("ports");
        int ids = 0;
        for (JsonNode p : back) {
            String id = p.path("id").asText(null);
            if (id != null) {
                created.add(id);
                ids++;
            }
        }
        // A bulk request is atomic in Neutron; fewer ports back means the server broke that contract.
        if (ids != names.size()) {
            return Outcome.error("201 with " + ids + "/" + names.size() + " ports", abbreviate(r.body()));
        }
        return Outcome.ok(ids);
    }

    Outcome delete(String portId) throws IOException, InterruptedException {
        NeutronHttp.Response r = http.delete("/v2.0/ports/" + portId);
        return r.status() == 204 ? Outcome.ok(1) : Outcome.error(String.valueOf(r.status()), r.body());
    }

    List<String> createdIds() {
        return List.copyOf(created);
    }

    private Map<String, Object> port(String name) {
        return Map.of("network_id", networkId, "name", name);
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
