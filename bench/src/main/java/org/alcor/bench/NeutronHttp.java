package org.alcor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP against one Neutron-compatible endpoint; the {@link HttpClient} is shared across endpoints. */
final class NeutronHttp {
    /** A Neutron bulk POST of 1,000 ports takes ~390 s, so anything shorter would count slow successes as errors. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(600);

    static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private final HttpClient client;
    private final String base;
    private final String project;

    NeutronHttp(HttpClient client, URI url, String project) {
        this.client = client;
        this.base = apiRoot(url.toString());
        this.project = project;
    }

    static HttpClient newClient() {
        // HTTP/1.1 so each concurrent client maps to one pooled keep-alive connection, as a Neutron client would.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Response post(String path, Object body) throws IOException, InterruptedException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Response put(String path, Object body) throws IOException, InterruptedException {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    }

    /**
     * Lifts the port quota of the project that owns a network the bench made (Neutron's default of 500 ports per
     * project would stop any real run). Best effort: a server without quotas, or a caller who may not set them,
     * runs with what it has.
     */
    void liftPortQuota(String networkId) throws InterruptedException {
        try {
            Response net = get("/v2.0/networks/" + networkId);
            if (net.status() != 200) return;
            String project = net.json().get("network").get("project_id").asText();
            put("/v2.0/quotas/" + project, java.util.Map.of("quota", java.util.Map.of("port", -1)));
        } catch (IOException | RuntimeException e) {
            // no quota API: nothing to lift
        }
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                // Keystone-protected servers need some token header to even reach noauth-style handlers.
                .header("X-Auth-Token", "bench");
        if (project != null) {
            b.header("X-Project-Id", project);
        }
        return b;
    }

    private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** Accepts both "http://host:9696" and the catalog form "http://host:9696/v2.0/", since paths carry /v2.0. */
    static String apiRoot(String url) {
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/v2.0")) {
            s = s.substring(0, s.length() - "/v2.0".length());
        }
        return s;
    }
}
