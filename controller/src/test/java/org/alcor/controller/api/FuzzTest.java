package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzzer over every resource: valid bodies mutated (fields dropped, values of the wrong type, huge,
 * negative, nested, unicode, unknown fields), raw garbage, and list queries with random filters, sorts, pages and
 * fields, as admin and as a member. Any 5xx or dropped connection fails, with the seed and the request. Replay
 * with -Dalcor.seed=N; -Dalcor.fuzz=N sets the number of requests.
 */
class FuzzTest {
    private static final String[] COLLECTIONS = {"networks", "subnets", "ports", "routers", "floatingips", "security-groups",
            "security-group-rules", "network-acls", "hosts", "quotas", "extensions"};

    @Test
    void mutatedBodiesAndQueriesNeverGet5xxOrADroppedConnection() {
        long seed = Long.getLong("alcor.seed", System.nanoTime());
        int requests = Integer.getInteger("alcor.fuzz", 3000);
        System.out.println("FuzzTest: seed " + seed + ", " + requests + " requests");
        Random random = new Random(seed);
        try (TestController controller = TestController.start()) {
            NeutronClient admin = controller.admin(), member = controller.project("fuzz-member");
            var net = admin.createNetwork(Map.of("name", "fuzz", "shared", true));
            String networkId = (String) net.get("id");
            var subnet = admin.createSubnet(networkId, "10.90.0.0/16");
            String subnetId = (String) subnet.get("id");
            String portId = (String) admin.createPort(Map.of("network_id", networkId)).get("id");
            String groupId = (String) admin.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "fuzz"))).member("security_group").get("id");
            admin.registerHost("fuzz-host", "192.0.2.90");
            Map<String, Map<String, Object>> valid = new LinkedHashMap<>();
            valid.put("networks", Map.of("network", Map.of("name", "n", "admin_state_up", true, "shared", false, "mtu", 1450)));
            valid.put("subnets", Map.of("subnet", Map.of("network_id", networkId, "cidr", "10.91.0.0/24", "ip_version", 4,
                    "allocation_pools", List.of(Map.of("start", "10.91.0.10", "end", "10.91.0.20")), "dns_nameservers", List.of("10.0.0.2"),
                    "host_routes", List.of(Map.of("destination", "10.92.0.0/24", "nexthop", "10.91.0.1")))));
            valid.put("ports", Map.of("port", Map.of("network_id", networkId, "name", "p", "fixed_ips", List.of(Map.of("subnet_id", subnetId)),
                    "allowed_address_pairs", List.of(Map.of("ip_address", "10.90.5.5")), "binding:host_id", "fuzz-host",
                    "security_groups", List.of(groupId))));
            valid.put("routers", Map.of("router", Map.of("name", "r", "admin_state_up", true)));
            valid.put("floatingips", Map.of("floatingip", Map.of("floating_network_id", networkId)));
            valid.put("security-groups", Map.of("security_group", Map.of("name", "g", "description", "d")));
            valid.put("security-group-rules", Map.of("security_group_rule", Map.of("security_group_id", groupId, "direction", "ingress",
                    "ethertype", "IPv4", "protocol", "tcp", "port_range_min", 22, "port_range_max", 22, "remote_ip_prefix", "0.0.0.0/0")));
            valid.put("network-acls", Map.of("network_acl", Map.of("name", "a")));
            valid.put("hosts", Map.of("host", Map.of("id", "fuzz-h", "host_ip", "192.0.2.91")));
            Map<String, String> existing = Map.of("networks", networkId, "subnets", subnetId, "ports", portId, "security-groups", groupId,
                    "hosts", "fuzz-host");

            List<String> failures = new ArrayList<>();
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            int counted = 0;
            for (int i = 0; i < requests && failures.size() < 10; i++) {
                NeutronClient as = random.nextInt(4) == 0 ? member : admin;
                String collection = COLLECTIONS[random.nextInt(COLLECTIONS.length)];
                String method, path;
                Object body = null;
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        method = "POST";
                        path = "/v2.0/" + collection;
                        body = random.nextInt(20) == 0 ? garbage(random) : mutate(random, valid.getOrDefault(collection, Map.of()), 0);
                    }
                    case 2 -> {
                        method = "PUT";
                        path = "/v2.0/" + collection + "/" + existing.getOrDefault(collection, URLEncoder.encode(randomString(random), StandardCharsets.UTF_8));
                        body = random.nextInt(20) == 0 ? garbage(random) : mutate(random, valid.getOrDefault(collection, Map.of()), 0);
                    }
                    default -> {
                        method = "GET";
                        path = "/v2.0/" + collection + query(random);
                    }
                }
                try {
                    var r = as.send(method, path, body, Map.of());
                    counted++;
                    statuses.merge(r.status(), 1, Integer::sum);
                    if (r.status() >= 500) failures.add(method + " " + path + " " + clip(body) + " -> " + r.status() + " " + clip(r.raw()));
                } catch (UncheckedIOException e) {
                    failures.add(method + " " + path + " " + clip(body) + " -> connection failed: " + e.getMessage());
                } catch (RuntimeException e) {
                    // the response was not the JSON object an error must be
                    failures.add(method + " " + path + " " + clip(body) + " -> unreadable answer: " + e);
                }
            }
            System.out.println("FuzzTest: answers by status " + statuses);
            assertEquals(List.of(), failures, "seed " + seed);
            assertTrue(statuses.keySet().stream().anyMatch(c -> c < 300) && statuses.keySet().stream().anyMatch(c -> c >= 400),
                    "the mutations reach both acceptance and refusal: " + statuses);
            assertTrue(counted >= requests, counted + " requests answered");
            assertEquals(200, admin.get("/v2.0/networks/" + networkId).status(), "and the controller still serves");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object mutate(Random random, Object value, int depth) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new HashMap<>((Map<String, Object>) m);
            List<String> keys = new ArrayList<>(out.keySet());
            if (!keys.isEmpty()) {
                int changes = 1 + random.nextInt(3);
                for (int c = 0; c < changes; c++) {
                    String key = keys.get(random.nextInt(keys.size()));
                    switch (random.nextInt(5)) {
                        case 0 -> out.remove(key);
                        case 1 -> out.put(key, weird(random));
                        default -> out.put(key, mutate(random, out.get(key), depth + 1));
                    }
                }
            }
            if (random.nextInt(6) == 0) out.put(randomString(random), weird(random));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l);
            if (!out.isEmpty() && random.nextBoolean()) out.set(random.nextInt(out.size()), mutate(random, out.get(0), depth + 1));
            if (random.nextInt(4) == 0) out.add(weird(random));
            return out;
        }
        return random.nextInt(3) == 0 ? value : weird(random);
    }

    private static Object weird(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            case 2 -> -1;
            case 3 -> Long.MAX_VALUE;
            case 4 -> 1e308;
            case 5 -> random.nextBoolean();
            case 6 -> "";
            case 7 -> "x".repeat(70_000);
            case 8 -> "../../etc/passwd";
            case 9 -> "名前\u0000\uFFFF😀";
            case 10 -> List.of(List.of(Map.of("a", List.of())));
            case 11 -> Map.of("ip_address", "999.1.1.1", "subnet_id", "not-a-uuid");
            case 12 -> "10.0.0.0/33";
            case 13 -> "fa:16:3e:zz:00:00";
            case 14 -> List.of();
            default -> randomString(random);
        };
    }

    private static String garbage(Random random) {
        String[] shapes = {"", "{", "[]", "null", "\"str\"", "{\"network\": [1,2]}", "{\"port\": null}", "{\"a\":1}{\"b\":2}",
                "{\"network\": {\"name\": \"\\ud800\"}}", "{".repeat(5000)};
        return shapes[random.nextInt(shapes.length)];
    }

    private static String query(Random random) {
        String[] keys = {"limit", "marker", "sort_key", "sort_dir", "fields", "name", "id", "network_id", "tags", "not-tags",
                "fixed_ips", "mac_address", "device_id", "binding:host_id", "shared", "admin_state_up", "page_reverse", "tenant_id"};
        String[] values = {"-1", "0", "999999999999999999999", "abc", "", "asc", "desc", "sideways", "id", "ip_address=10.0.0.1",
                "subnet_id=x", "true", "yes", "%", "a,b,,c", "fa:16:3e:00:00:01"};
        StringBuilder q = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? '?' : '&').append(URLEncoder.encode(keys[random.nextInt(keys.length)], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(random.nextInt(5) == 0 ? randomString(random) : values[random.nextInt(values.length)], StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) s.append((char) (33 + random.nextInt(94)));
        return s.toString();
    }

    private static String clip(Object o) {
        String s = String.valueOf(o);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
