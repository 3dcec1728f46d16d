package org.alcor.controller.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.ErrorCode;

/**
 * The HTTP front: Helidon SE on virtual threads. Gives every request an id, authenticates it, routes it,
 * maps failures to Neutron errors, times it per route, and logs one line per failed request.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());

    private final ApiSettings settings;
    private final ApiRouter router;
    private final Authenticator auth;
    private final PrometheusMeterRegistry metrics;
    private final OpsEndpoints ops;
    /** For the noauth Identity shim: the projects the quota table knows. */
    private final java.util.function.Supplier<List<String>> knownProjects;
    private WebServer server, opsServer;

    public ApiServer(ApiSettings settings, List<ResourceDefinition> definitions, Authenticator auth,
                     List<CustomCollection> custom, PrometheusMeterRegistry metrics, BooleanSupplier ready,
                     java.util.Map<String, java.util.function.Supplier<Object>> statusPages) {
        this.settings = settings;
        this.router = new ApiRouter(definitions, custom);
        this.knownProjects = custom.stream().filter(QuotaEndpoints.class::isInstance).map(QuotaEndpoints.class::cast)
                .<java.util.function.Supplier<List<String>>>map(q -> q::knownProjects).findFirst().orElse(List::of);
        this.auth = auth;
        this.metrics = metrics;
        this.ops = new OpsEndpoints(metrics, ready, definitions, statusPages);
    }

    public ApiServer start() {
        // Ignite installs its own JDK deserialization filter (a deny-list); Helidon would refuse to start unless the
        // filter ends in '!*'. The API never deserializes Java objects, so Ignite's filter is kept as it is.
        System.setProperty("helidon.serialFilter.failure.action", "IGNORE");
        server = WebServer.builder().host(settings.host()).port(settings.port())
                .maxPayloadSize(-1) // bodies are read (and limited) by handle(), so even a huge one gets a NeutronError
                .routing(r -> r.any(this::handle))
                .build().start();
        LOG.info(() -> "API listening on http://" + settings.host() + ":" + server.port());
        if (settings.opsListener()) {
            opsServer = WebServer.builder().host(settings.opsHost()).port(settings.opsPort())
                    .routing(r -> r.any((req, res) -> {
                        ApiResponse response = ops.handleOps(req.prologue().method().text(), req.path().path());
                        send(res, response != null ? response : NeutronErrors.render(
                                new AlcorException(ErrorCode.NOT_FOUND, "HTTPNotFound", "The ops listener serves /health, /ready and /metrics.")),
                                "req-" + UUID.randomUUID());
                    }))
                    .build().start();
            LOG.info(() -> "ops listener (health, readiness, metrics; no token) on http://" + settings.opsHost() + ":" + opsServer.port());
        }
        return this;
    }

    public int port() { return server.port(); }

    /** The ops listener's port, or -1 when there is none. */
    public int opsPort() { return opsServer == null ? -1 : opsServer.port(); }

    @Override public void close() {
        if (opsServer != null) opsServer.stop();
        if (server != null) server.stop();
    }

    private void handle(ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        String requestId = "req-" + UUID.randomUUID();
        String method = req.prologue().method().text();
        String path = req.path().path();
        String route = "other";
        ApiResponse response;
        try {
            ApiResponse opsResponse = ops.handle(method, path, () -> auth.authenticate(name -> req.headers().first(HeaderNames.create(name)), requestId));
            ApiResponse shim = auth instanceof NoAuth ? NoAuthShims.handle(method, path, knownProjects) : null;
            if (shim != null) {
                response = shim;
                route = path.startsWith("/projects") ? "/projects/{id}" : "/os-quota-sets/{id}";
            } else if (opsResponse != null) {
                response = opsResponse;
                route = path.startsWith("/docs/") ? "/docs/{asset}" : path;
            } else if (path.equals("/") || path.isEmpty()) {
                route = "/";
                response = ApiResponse.json(200, versions(baseUrl(req)));
            } else if (path.equals("/v2.0") || path.startsWith("/v2.0/")) {
                ApiRouter.Routed routed = router.route(apiRequest(req, method, path, requestId), baseUrl(req));
                route = routed.route();
                response = routed.response();
            } else {
                throw new AlcorException(ErrorCode.NOT_FOUND, "HTTPNotFound", "The resource could not be found.");
            }
        } catch (AlcorException e) {
            response = NeutronErrors.render(e);
            if (e.code() == ErrorCode.UNAUTHORIZED) response = response.withHeaders(auth.challengeHeaders());
            LOG.warning(() -> requestId + " " + method + " " + path + " -> " + e.code().status + " " + e.type() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            response = NeutronErrors.internal();
            LOG.log(Level.SEVERE, requestId + " " + method + " " + path + " -> 500", e);
        }
        send(res, response, requestId);
        Timer.builder("alcor_http_requests").description("REST requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(response.status()))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(metrics).record(Duration.ofNanos(System.nanoTime() - started));
    }

    private ApiRequest apiRequest(ServerRequest req, String method, String path, String requestId) {
        List<String> segments = new ArrayList<>(Arrays.stream(path.substring("/v2.0".length()).split("/")).filter(s -> !s.isEmpty()).toList());
        if (!segments.isEmpty() && segments.getLast().endsWith(".json")) {
            String last = segments.removeLast();
            segments.add(last.substring(0, last.length() - ".json".length()));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : req.query().names()) query.put(name, req.query().all(name));
        java.util.function.Function<String, Optional<String>> headers = name -> req.headers().first(HeaderNames.create(name));
        Caller caller = auth.authenticate(headers, requestId);
        byte[] body = method.equals("POST") || method.equals("PUT") ? readBody(req) : null;
        return new ApiRequest(method, List.copyOf(segments), query, headers, body, caller);
    }

    private byte[] readBody(ServerRequest req) {
        if (!req.content().hasEntity()) return null;
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(settings.maxBodyBytes() + 1);
            if (body.length > settings.maxBodyBytes()) {
                throw new AlcorException(ErrorCode.TOO_LARGE, "HTTPRequestEntityTooLarge",
                        "Request body exceeds the limit of " + settings.maxBodyBytes() + " bytes.");
            }
            return body;
        } catch (IOException e) {
            throw AlcorException.badRequest("Could not read the request body.");
        }
    }

    private static void send(ServerResponse res, ApiResponse response, String requestId) {
        res.status(Status.create(response.status()));
        res.header("X-Openstack-Request-Id", requestId);
        response.headers().forEach(res::header);
        if (response.stream() != null) {
            res.header("Content-Type", response.contentType());
            try (var out = res.outputStream()) {
                response.stream().writeTo(out);
            } catch (IOException | RuntimeException e) {
                // The status went out with the first bytes: all that is left is to cut the response short.
                LOG.warning(() -> "request " + requestId + ": streamed response cut short: " + e);
            }
            return;
        }
        if (response.body() == null) {
            res.send();
            return;
        }
        res.header("Content-Type", response.contentType());
        res.send(response.body());
    }

    private static String baseUrl(ServerRequest req) {
        return "http://" + req.headers().first(HeaderNames.HOST).orElse(req.localPeer().host() + ":" + req.localPeer().port());
    }

    private static Map<String, Object> versions(String baseUrl) {
        return Map.of("versions", List.of(Map.of("id", "v2.0", "status", "CURRENT",
                "links", List.of(Map.of("href", baseUrl + "/v2.0/", "rel", "self")))));
    }
}
