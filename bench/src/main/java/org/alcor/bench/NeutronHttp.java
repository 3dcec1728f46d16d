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

    /** A list read as it streams in: its status, how many items its collection held, and its size. */
    record Counted(int status, int items, long bytes) {}

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

    /**
     * GETs a list without holding it: counts the objects of the named collection while the body streams (a full
     * list of a million ports is a gigabyte of JSON).
     */
    Counted getCounting(String path, String collection) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> r = client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        long[] bytes = {0};
        int items = 0;
        try (java.io.InputStream body = new java.io.FilterInputStream(r.body()) {
                @Override public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) bytes[0]++;
                    return b;
                }

                @Override public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) bytes[0] += n;
                    return n;
                }
            };
             com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(body)) {
            int depth = 0;
            boolean inCollection = false;
            for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (depth == 2 && token == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                            inCollection = collection.equals(parser.currentName());
                        } else if (depth == 3 && inCollection && token == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                            items++;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    default -> { }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            // an error page that is not JSON: its status says enough
        }
        return new Counted(r.statusCode(), items, bytes[0]);
    }

    /** The server's process CPU seconds from its Prometheus endpoint (Alcor's), or NaN when it exports none. */
    double serverCpuSeconds() throws InterruptedException {
        try {
            Response r = get("/metrics");
            if (r.status() != 200) return Double.NaN;
            double cpu = new ControllerMetrics.Scrape(r.body()).get("alcor_process_cpu_seconds_total");
            return cpu < 0 ? Double.NaN : cpu;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    Response put(String path, Object body) throws IOException, InterruptedException {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    }

    /**
     * Lifts the port, network and subnet quotas of the project that owns a network the bench made (Neutron's default of 500 ports per
     * project would stop any real run). Best effort: a server without quotas, or a caller who may not set them,
     * runs with what it has.
     */
    void liftPortQuota(String networkId) throws InterruptedException {
        try {
            Response net = get("/v2.0/networks/" + networkId);
            if (net.status() != 200) return;
            String project = net.json().get("network").get("project_id").asText();
            put("/v2.0/quotas/" + project, java.util.Map.of("quota", java.util.Map.of("port", -1, "network", -1, "subnet", -1)));
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
