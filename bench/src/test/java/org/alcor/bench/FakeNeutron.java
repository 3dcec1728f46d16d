package org.alcor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Just enough of the Neutron v2.0 API for the bench: networks, subnets, single and bulk ports, lists, deletes. */
final class FakeNeutron implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, JsonNode> networks = new ConcurrentHashMap<>();
    final Map<String, JsonNode> subnets = new ConcurrentHashMap<>();
    final Map<String, JsonNode> ports = new ConcurrentHashMap<>();
    /** Port POSTs only: network and subnet creation are not counted. */
    final AtomicInteger singlePosts = new AtomicInteger();
    final AtomicInteger bulkPosts = new AtomicInteger();
    final Set<String> projectHeaders = ConcurrentHashMap.newKeySet();
    final Set<String> tokenHeaders = ConcurrentHashMap.newKeySet();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Predicate<String> rejectPortNamed;

    FakeNeutron(Predicate<String> rejectPortNamed) throws IOException {
        this.rejectPortNamed = rejectPortNamed;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/v2.0/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String project = ex.getRequestHeaders().getFirst("X-Project-Id");
            projectHeaders.add(project == null ? "(none)" : project);
            tokenHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Auth-Token")));
            String[] path = ex.getRequestURI().getPath().substring("/v2.0/".length()).split("/");
            String collection = path[0];
            Map<String, JsonNode> store = switch (collection) {
                case "networks" -> networks;
                case "subnets" -> subnets;
                case "ports" -> ports;
                default -> null;
            };
            if (store == null) {
                send(ex, 404, error("HTTPNotFound", "no such collection"));
            } else if (ex.getRequestMethod().equals("GET") && path.length == 1) {
                list(ex, collection, store);
            } else if (ex.getRequestMethod().equals("POST") && path.length == 1) {
                create(ex, collection, store);
            } else if (ex.getRequestMethod().equals("DELETE") && path.length == 2) {
                if (store.remove(path[1]) != null) {
                    ex.sendResponseHeaders(204, -1);
                } else {
                    send(ex, 404, error("NotFound", path[1]));
                }
            } else {
                send(ex, 405, error("HTTPMethodNotAllowed", ex.getRequestMethod()));
            }
        }
    }

    private void create(HttpExchange ex, String collection, Map<String, JsonNode> store) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String singular = collection.substring(0, collection.length() - 1);
        if (body.has(collection)) {
            if (store == ports) {
                bulkPosts.incrementAndGet();
            }
            for (JsonNode item : body.get(collection)) {
                if (rejectPortNamed.test(item.path("name").asText())) {
                    send(ex, 409, error("IpAddressGenerationFailure", "rejected " + item.path("name")));
                    return;
                }
            }
            ArrayNode out = JSON.createArrayNode();
            body.get(collection).forEach(item -> out.add(stored(store, item)));
            send(ex, 201, JSON.createObjectNode().set(collection, out));
        } else if (body.has(singular)) {
            JsonNode item = body.get(singular);
            if (store == ports) {
                singlePosts.incrementAndGet();
            }
            if (rejectPortNamed.test(item.path("name").asText())) {
                send(ex, 409, error("IpAddressGenerationFailure", "rejected " + item.path("name")));
                return;
            }
            send(ex, 201, JSON.createObjectNode().set(singular, stored(store, item)));
        } else {
            send(ex, 400, error("HTTPBadRequest", "expected '" + singular + "' or '" + collection + "'"));
        }
    }

    /** Equality filters on any attribute, and limit: enough to tell a page from a filtered list. */
    private static void list(HttpExchange ex, String collection, Map<String, JsonNode> store) throws IOException {
        Map<String, String> query = new java.util.HashMap<>();
        String raw = ex.getRequestURI().getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        int limit = query.containsKey("limit") ? Integer.parseInt(query.remove("limit")) : Integer.MAX_VALUE;
        query.remove("marker");
        ArrayNode out = JSON.createArrayNode();
        store.values().stream().filter(item -> query.entrySet().stream()
                        .allMatch(f -> f.getValue().equals(item.path(f.getKey()).asText())))
                .limit(limit).forEach(out::add);
        send(ex, 200, JSON.createObjectNode().set(collection, out));
    }

    /** Echoes the request plus the fields a real Neutron adds, so the bench parses realistic bodies. */
    private static JsonNode stored(Map<String, JsonNode> store, JsonNode item) {
        ObjectNode o = item.deepCopy();
        String id = UUID.randomUUID().toString();
        o.put("id", id);
        o.put("tenant_id", "demo");
        o.put("project_id", "demo");
        o.put("admin_state_up", true);
        o.put("status", "ACTIVE");
        if (item.has("network_id") && !item.has("cidr")) {
            o.put("mac_address", "fa:16:3e:00:00:01");
            o.set("fixed_ips", JSON.createArrayNode());
        }
        store.put(id, o);
        return o;
    }

    private static JsonNode error(String type, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("NeutronError").put("type", type).put("message", message).put("detail", "");
        return e;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
