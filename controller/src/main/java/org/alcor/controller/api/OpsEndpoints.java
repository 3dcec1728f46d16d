package org.alcor.controller.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;

/**
 * Liveness, readiness, Prometheus metrics, the OpenAPI document and its browsable UI (Swagger UI), and status
 * pages. Metrics and status pages show the fleet (every host, its lag, request rates): on the API listener they
 * need an admin caller; the ops listener serves liveness, readiness and metrics to whoever can reach its
 * (loopback) address.
 */
final class OpsEndpoints {
    private static final String SWAGGER = "META-INF/resources/webjars/swagger-ui/";

    private final PrometheusMeterRegistry metrics;
    private final BooleanSupplier ready;
    private final byte[] openApi;
    private final String swaggerVersion;
    /** Live state of other parts (e.g. /southbound/hosts), rendered as JSON: not Neutron resources, not stored. */
    private final Map<String, Supplier<Object>> statusPages;

    OpsEndpoints(PrometheusMeterRegistry metrics, BooleanSupplier ready, List<ResourceDefinition> definitions,
                 Map<String, Supplier<Object>> statusPages) {
        this.statusPages = Map.copyOf(statusPages);
        this.metrics = metrics;
        this.ready = ready;
        this.openApi = Json.write(OpenApiDocument.build(definitions));
        this.swaggerVersion = swaggerUiVersion();
    }

    /** The response for an ops path on the API listener, or null when the path is not one; caller: authenticates the request. */
    ApiResponse handle(String method, String path, Supplier<Caller> caller) {
        if (!method.equals("GET") && !method.equals("HEAD")) return null;
        if (path.equals("/metrics") || statusPages.containsKey(path)) {
            if (!caller.get().admin()) throw AlcorException.forbidden(path + " shows the whole fleet: it needs an admin token");
        }
        return switch (path) {
            case "/health", "/healthz" -> ApiResponse.json(200, Map.of("status", "UP"));
            case "/ready", "/readyz" -> ready.getAsBoolean() ? ApiResponse.json(200, Map.of("status", "READY"))
                    : ApiResponse.json(503, Map.of("status", "NOT_READY"));
            case "/metrics" -> ApiResponse.of(200, metrics.scrape().getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8");
            case "/openapi.json" -> ApiResponse.of(200, openApi, "application/json");
            case "/docs", "/docs/" -> ApiResponse.of(200, docsPage().getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
            default -> statusPages.containsKey(path) ? ApiResponse.json(200, statusPages.get(path).get())
                    : path.startsWith("/docs/") ? swaggerAsset(path.substring("/docs/".length())) : null;
        };
    }

    /** The ops listener's paths: no token, nothing tenant-specific. */
    ApiResponse handleOps(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) return null;
        return switch (path) {
            case "/health", "/healthz", "/ready", "/readyz", "/metrics" -> handle(method, path, () -> Caller.admin("ops"));
            default -> null;
        };
    }

    private static String docsPage() {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Alcor API</title>
                <link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="swagger-ui"></div>
                <script src="/docs/swagger-ui-bundle.js"></script>
                <script>SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});</script></body></html>
                """;
    }

    private ApiResponse swaggerAsset(String file) {
        if (swaggerVersion == null || !file.matches("[A-Za-z0-9._-]+")) return null;
        try (InputStream in = OpsEndpoints.class.getClassLoader().getResourceAsStream(SWAGGER + swaggerVersion + "/" + file)) {
            if (in == null) return null;
            String type = file.endsWith(".css") ? "text/css" : file.endsWith(".js") ? "application/javascript"
                    : file.endsWith(".png") ? "image/png" : "application/octet-stream";
            return ApiResponse.of(200, in.readAllBytes(), type);
        } catch (IOException e) {
            return null;
        }
    }

    /** The webjar's version, read from its Maven metadata on the class path. */
    private static String swaggerUiVersion() {
        try (InputStream in = OpsEndpoints.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) return null;
            var props = new java.util.Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
