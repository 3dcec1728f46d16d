package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.quota.QuotaDefaults;
import org.alcor.controller.quota.QuotaService;

/**
 * Neutron's quotas extension: {@code /v2.0/quotas}, {@code /quotas/{project}} (GET, PUT, DELETE),
 * {@code /quotas/{project}/details}, {@code /quotas/{project}/default} and {@code /quotas/tenant}.
 */
public final class QuotaEndpoints implements CustomCollection {
    private static final Pattern PROJECT = Pattern.compile("^[A-Za-z0-9_.:@-]{1,255}$");
    private static final AttributeType LIMIT = AttributeType.integer(-1, Integer.MAX_VALUE);

    private final QuotaService quotas;

    public QuotaEndpoints(QuotaService quotas) { this.quotas = quotas; }

    @Override public String collection() { return "quotas"; }

    List<String> knownProjects() { return quotas.knownProjects(); }

    @Override
    public String route(ApiRequest req) {
        return switch (req.segments().size()) {
            case 1 -> "/v2.0/quotas";
            case 2 -> "/v2.0/quotas/{project_id}";
            default -> "/v2.0/quotas/{project_id}/" + req.segments().get(2);
        };
    }

    @Override
    public ApiResponse handle(ApiRequest req) {
        List<String> s = req.segments();
        String m = req.method();
        if (s.size() == 1) {
            requireMethod(m, "GET");
            return ApiResponse.json(200, Map.of("quotas", quotas.list(req.caller())));
        }
        String project = s.get(1);
        if (s.size() == 2 && project.equals("tenant")) {
            requireMethod(m, "GET");
            return ApiResponse.json(200, Map.of("tenant", Map.of("tenant_id", req.caller().projectId())));
        }
        if (!PROJECT.matcher(project).matches() || s.size() > 3) throw notFound();
        if (s.size() == 3) {
            requireMethod(m, "GET");
            return switch (s.get(2)) {
                case "details" -> ApiResponse.json(200, Map.of("quota", quotas.details(req.caller(), project)));
                case "default" -> ApiResponse.json(200, Map.of("quota", quotas.defaults(req.caller(), project)));
                default -> throw notFound();
            };
        }
        return switch (m) {
            case "GET" -> ApiResponse.json(200, Map.of("quota", quotas.limits(req.caller(), project)));
            case "PUT" -> ApiResponse.json(200, Map.of("quota", quotas.update(req.caller(), project, limits(req.body()))));
            case "DELETE" -> {
                quotas.reset(req.caller(), project);
                yield ApiResponse.noContent();
            }
            default -> throw ResourceEndpoints.methodNotAllowed();
        };
    }

    /** {"quota": {"port": 10, ...}}: known resources, integers from -1 (unlimited); Neutron's flags are accepted. */
    private static Map<String, Integer> limits(byte[] body) {
        Map<String, Object> root = RequestBodies.object(Json.read(body), "request body");
        if (root.size() != 1 || !root.containsKey("quota")) throw AlcorException.badRequest("Unable to find 'quota' in request body");
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (var e : RequestBodies.object(root.get("quota"), "quota").entrySet()) {
            if (e.getKey().equals("check_limit") || e.getKey().equals("force")) continue;
            if (!QuotaDefaults.known(e.getKey())) throw AlcorException.badRequest("Unrecognized attribute(s) '" + e.getKey() + "'");
            if (e.getValue() == null) throw AlcorException.invalidInput(e.getKey(), "'None' is not allowed");
            limits.put(e.getKey(), ((Number) LIMIT.convert(e.getKey(), e.getValue())).intValue());
        }
        return limits;
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) throw ResourceEndpoints.methodNotAllowed();
    }

    private static AlcorException notFound() {
        return new AlcorException(org.alcor.controller.core.ErrorCode.NOT_FOUND, "HTTPNotFound", "The resource could not be found.");
    }
}
