package org.alcor.controller.southbound;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.testing.NeutronClient;

/** What a set of replicas says at {@code /southbound/hosts}: their members, and which hosts each serves now. */
final class ReplicaStatus {
    private ReplicaStatus() {}

    static Map<String, Object> of(ControllerApp r) {
        return new NeutronClient("http://127.0.0.1:" + r.port(), null).get("/southbound/hosts").json();
    }

    /** How many replicas this one counts as live. */
    static int members(ControllerApp r) { return ((Map<?, ?>) of(r).get("replicas")).size(); }

    /** host id -> the replicas (of those not null) it is connected to, on the path given (null: any). */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> serving(ControllerApp[] replicas, String path) {
        Map<String, List<String>> where = new HashMap<>();
        for (ControllerApp r : replicas) {
            if (r == null) continue;
            Map<String, Object> s = of(r);
            for (Map<String, Object> h : (List<Map<String, Object>>) s.get("hosts")) {
                if (Boolean.TRUE.equals(h.get("connected")) && (path == null || path.equals(h.get("path")))) {
                    where.computeIfAbsent((String) h.get("host_id"), k -> new ArrayList<>()).add((String) s.get("replica"));
                }
            }
        }
        return where;
    }

    /** Each of the hosts served by one replica, the one the hashing names its owner among the live ones. */
    static boolean eachOnceByItsOwner(Map<String, List<String>> serving, int hosts, List<String> live) {
        if (serving.size() != hosts) return false;
        for (var e : serving.entrySet()) {
            if (e.getValue().size() != 1 || !e.getValue().getFirst().equals(Ownership.ownerAmong(e.getKey(), live))) return false;
        }
        return true;
    }
}
