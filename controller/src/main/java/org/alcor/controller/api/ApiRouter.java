package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;

/**
 * Dispatches {@code /v2.0/...} requests to the endpoints of each resource type and names the route template
 * for metrics. A trailing ".json" (old neutronclient) is accepted.
 */
final class ApiRouter {
    record Routed(ApiResponse response, String route) {}

    private final Map<String, ResourceEndpoints> collections = new LinkedHashMap<>();
    private final Map<String, CustomCollection> custom = new LinkedHashMap<>();

    ApiRouter(List<ResourceDefinition> definitions, List<CustomCollection> customCollections) {
        for (ResourceDefinition def : definitions) collections.put(def.path(), new ResourceEndpoints(def));
        for (CustomCollection c : customCollections) custom.put(c.collection(), c);
    }

    List<ResourceDefinition> definitions() { return collections.values().stream().map(ResourceEndpoints::definition).toList(); }

    Routed route(ApiRequest req, String baseUrl) {
        List<String> s = req.segments();
        String m = req.method();
        if (s.isEmpty()) return new Routed(expect(m, "GET", () -> ApiResponse.json(200, Map.of("resources", resources(baseUrl)))), "/v2.0");
        if (s.getFirst().equals("extensions")) return new Routed(extensions(req), s.size() == 1 ? "/v2.0/extensions" : "/v2.0/extensions/{alias}");
        CustomCollection special = custom.get(s.getFirst());
        if (special != null) return new Routed(special.handle(req), special.route(req));
        ResourceEndpoints ep = collections.get(s.getFirst());
        if (ep == null) throw new AlcorException(org.alcor.controller.core.ErrorCode.NOT_FOUND, "HTTPNotFound", "The resource could not be found.");
        String base = "/v2.0/" + s.getFirst();
        return switch (s.size()) {
            case 1 -> switch (m) {
                case "GET" -> new Routed(ep.list(req, baseUrl), base);
                case "POST" -> new Routed(ep.create(req), base);
                default -> throw ResourceEndpoints.methodNotAllowed();
            };
            case 2 -> new Routed(switch (m) {
                case "GET" -> ep.show(req, s.get(1));
                case "PUT" -> ep.update(req, s.get(1));
                case "DELETE" -> ep.delete(req, s.get(1));
                default -> throw ResourceEndpoints.methodNotAllowed();
            }, base + "/{id}");
            case 3 -> {
                if (s.get(2).equals("tags")) yield new Routed(ep.tags(req, s.get(1)), base + "/{id}/tags");
                MemberAction action = ep.definition().actions().get(s.get(2));
                if (action == null) throw notFound();
                if (!m.equals("PUT")) throw ResourceEndpoints.methodNotAllowed();
                yield new Routed(ep.action(req, s.get(1), action), base + "/{id}/" + action.name());
            }
            case 4 -> {
                if (!s.get(2).equals("tags")) throw notFound();
                yield new Routed(ep.tag(req, s.get(1), s.get(3)), base + "/{id}/tags/{tag}");
            }
            default -> throw notFound();
        };
    }

    private static ApiResponse extensions(ApiRequest req) {
        return expect(req.method(), "GET", () -> {
            if (req.segments().size() == 1) return ApiResponse.json(200, Map.of("extensions", Extensions.all()));
            Map<String, Object> ext = req.segments().size() == 2 ? Extensions.find(req.segments().get(1)) : null;
            if (ext == null) throw AlcorException.notFound("Extension", req.segments().getLast());
            return ApiResponse.json(200, Map.of("extension", ext));
        });
    }

    private List<Map<String, Object>> resources(String baseUrl) {
        return collections.values().stream().map(ep -> Map.<String, Object>of(
                "name", ep.definition().member(), "collection", ep.definition().collection(),
                "links", List.of(Map.of("rel", "self", "href", baseUrl + "/v2.0/" + ep.definition().path())))).toList();
    }

    private static ApiResponse expect(String method, String allowed, java.util.function.Supplier<ApiResponse> then) {
        if (!method.equals(allowed)) throw ResourceEndpoints.methodNotAllowed();
        return then.get();
    }

    private static AlcorException notFound() {
        return new AlcorException(org.alcor.controller.core.ErrorCode.NOT_FOUND, "HTTPNotFound", "The resource could not be found.");
    }
}
