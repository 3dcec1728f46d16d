package org.alcor.controller.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small JSON client for the Neutron API in tests: every call returns status, headers and parsed body. */
public final class NeutronClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String baseUrl;
    private final String projectId;
    private final String token;

    /** A client of the API at baseUrl; projectId null acts as admin. Public for controllers run as processes. */
    public NeutronClient(String baseUrl, String projectId) { this(baseUrl, projectId, null); }

    private NeutronClient(String baseUrl, String projectId, String token) {
        this.baseUrl = baseUrl;
        this.projectId = projectId;
        this.token = token;
    }

    /** A client that sends the Keystone token as X-Auth-Token (and no X-Project-Id), for a controller with keystone auth. */
    public static NeutronClient withToken(String baseUrl, String token) { return new NeutronClient(baseUrl, null, token); }

    /** A response: status, the X-Openstack-Request-Id header, raw and parsed body (null when empty or not JSON). */
    public record Response(int status, String requestId, String raw, Map<String, Object> json, HttpResponse<String> http) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> member(String name) { return (Map<String, Object>) json.get(name); }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list(String name) { return (List<Map<String, Object>>) json.get(name); }

        /** The NeutronError type, or null. */
        @SuppressWarnings("unchecked")
        public String errorType() {
            return json != null && json.get("NeutronError") instanceof Map<?, ?> e ? (String) ((Map<String, Object>) e).get("type") : null;
        }
    }

    public Response get(String path) { return send("GET", path, null, Map.of()); }

    public Response delete(String path) { return send("DELETE", path, null, Map.of()); }

    public Response post(String path, Object body) { return send("POST", path, body, Map.of()); }

    public Response put(String path, Object body) { return send("PUT", path, body, Map.of()); }

    /** body: a Map/List serialized as JSON, or a String sent as it is (for malformed-input tests). */
    public Response send(String method, String path, Object body, Map<String, String> headers) {
        try {
            var builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json");
            if (projectId != null) builder.header("X-Project-Id", projectId);
            if (token != null) builder.header("X-Auth-Token", token);
            headers.forEach(builder::header);
            if (body == null) {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> r = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Object> parsed = null;
            if (!r.body().isEmpty() && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
                parsed = JSON.readValue(r.body(), new TypeReference<Map<String, Object>>() {});
            }
            return new Response(r.statusCode(), r.headers().firstValue("X-Openstack-Request-Id").orElse(null), r.body(), parsed, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // Conveniences for test set-up; each asserts the create succeeded.

    public Map<String, Object> createNetwork(Map<String, Object> attrs) { return created(post("/v2.0/networks", Map.of("network", attrs)), "network"); }

    public Map<String, Object> createSubnet(String networkId, String cidr) {
        int version = cidr.contains(":") ? 6 : 4;
        return created(post("/v2.0/subnets", Map.of("subnet", Map.of("network_id", networkId, "cidr", cidr, "ip_version", version))), "subnet");
    }

    public Map<String, Object> createPort(Map<String, Object> attrs) { return created(post("/v2.0/ports", Map.of("port", attrs)), "port"); }

    /** Registers a compute host (Alcor's own /v2.0/hosts) so that ports may bind to it. */
    public Map<String, Object> registerHost(String hostId, String underlayIp) {
        return created(post("/v2.0/hosts", Map.of("host", Map.of("id", hostId, "host_ip", underlayIp))), "host");
    }

    private static Map<String, Object> created(Response r, String member) {
        if (r.status() != 201) throw new AssertionError("create " + member + " failed: " + r.status() + " " + r.raw());
        return r.member(member);
    }
}
