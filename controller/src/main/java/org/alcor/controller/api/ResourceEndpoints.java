package org.alcor.controller.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.Resource;

/** The generic collection, member and tag operations, served the same way for every resource type. */
final class ResourceEndpoints {
    private static final Pattern IF_MATCH = Pattern.compile("revision_number=(\\d{1,18})");
    private static final AttributeType TAG = AttributeType.string(60);
    private static final int BUFFERED_ITEMS = 10_000;

    private final ResourceDefinition def;

    ResourceEndpoints(ResourceDefinition def) { this.def = def; }

    ResourceDefinition definition() { return def; }

    ApiResponse list(ApiRequest req, String baseUrl) {
        ListQuery query = ListQueries.parse(def, req.query(), req.caller());
        if (query.limit() == null && query.marker() == null) return listAll(req, query);
        ListPage page = def.service().list(req.caller(), query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(def.collection(), Renderer.renderAll(def, page.items(), ListQueries.fields(req.query()), req.caller()));
        List<Map<String, String>> links = pageLinks(req, baseUrl, query, page);
        if (!links.isEmpty()) body.put(def.collection() + "_links", links);
        return ApiResponse.json(200, body);
    }

    /**
     * An unpaged list: up to {@link #BUFFERED_ITEMS} are read before anything is sent, so that errors (and the
     * lists of most clouds) are answered whole as before; a longer list is streamed, read from the store as it goes.
     */
    private ApiResponse listAll(ApiRequest req, ListQuery query) {
        List<String> fields = ListQueries.fields(req.query());
        Iterator<Resource> items = def.service().listAll(req.caller(), query);
        List<Resource> first = new ArrayList<>();
        while (first.size() < BUFFERED_ITEMS && items.hasNext()) first.add(items.next());
        if (!items.hasNext()) {
            return ApiResponse.json(200, Map.of(def.collection(), Renderer.renderAll(def, first, fields, req.caller())));
        }
        return ApiResponse.streamedJson(200, out -> {
            try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeArrayFieldStart(def.collection());
                for (Resource r : first) json.writeObject(Renderer.render(def, r, fields, req.caller()));
                while (items.hasNext()) json.writeObject(Renderer.render(def, items.next(), fields, req.caller()));
                json.writeEndArray();
                json.writeEndObject();
            }
        });
    }

    private List<Map<String, String>> pageLinks(ApiRequest req, String baseUrl, ListQuery query, ListPage page) {
        List<Map<String, String>> links = new ArrayList<>();
        if (query.limit() == null || page.items().isEmpty()) return links;
        if (page.hasNext() || query.pageReverse()) {
            links.add(Map.of("rel", "next", "href", link(req, baseUrl, page.items().getLast().id(), false)));
        }
        if (page.hasPrevious() || (query.marker() != null && !query.pageReverse())) {
            links.add(Map.of("rel", "previous", "href", link(req, baseUrl, page.items().getFirst().id(), true)));
        }
        return links;
    }

    private String link(ApiRequest req, String baseUrl, String marker, boolean reverse) {
        var sb = new StringBuilder(baseUrl).append("/v2.0/").append(def.path()).append('?');
        req.query().forEach((k, values) -> {
            if (k.equals("marker") || k.equals("page_reverse")) return;
            for (String v : values) sb.append(enc(k)).append('=').append(enc(v)).append('&');
        });
        sb.append("marker=").append(enc(marker));
        if (reverse) sb.append("&page_reverse=True");
        return sb.toString();
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    ApiResponse create(ApiRequest req) {
        RequestBodies.Create create = RequestBodies.parseCreate(def, req.body());
        List<Resource> created = def.service().create(req.caller(), create.items());
        if (create.bulk()) return ApiResponse.json(201, Map.of(def.collection(), Renderer.renderAll(def, created, List.of(), req.caller())));
        return ApiResponse.json(201, Map.of(def.member(), Renderer.render(def, created.getFirst(), List.of(), req.caller())));
    }

    ApiResponse show(ApiRequest req, String id) {
        Resource r = def.service().show(req.caller(), id);
        return ApiResponse.json(200, Map.of(def.member(), Renderer.render(def, r, ListQueries.fields(req.query()), req.caller())));
    }

    ApiResponse update(ApiRequest req, String id) {
        Map<String, Object> changes = RequestBodies.parseUpdate(def, req.body());
        Resource r = def.service().update(req.caller(), id, changes, expectedRevision(req));
        return ApiResponse.json(200, Map.of(def.member(), Renderer.render(def, r, List.of(), req.caller())));
    }

    /** Neutron's revision-if-match extension: {@code If-Match: revision_number=N}. */
    private static OptionalLong expectedRevision(ApiRequest req) {
        return req.header("If-Match").map(IF_MATCH::matcher).filter(Matcher::find)
                .map(m -> OptionalLong.of(Long.parseLong(m.group(1)))).orElse(OptionalLong.empty());
    }

    ApiResponse delete(ApiRequest req, String id) {
        def.service().delete(req.caller(), id);
        return ApiResponse.noContent();
    }

    ApiResponse action(ApiRequest req, String id, MemberAction action) {
        Map<String, Object> body = RequestBodies.object(Json.read(req.body()), "request body");
        Object result = action.handler().apply(req.caller(), id, body);
        if (result instanceof Resource r) return ApiResponse.json(200, Map.of(def.member(), Renderer.render(def, r, List.of(), req.caller())));
        return ApiResponse.json(200, result);
    }

    ApiResponse tags(ApiRequest req, String id) {
        return switch (req.method()) {
            case "GET" -> ApiResponse.json(200, Map.of("tags", def.service().show(req.caller(), id).list("tags")));
            case "PUT" -> {
                Object tags = RequestBodies.object(Json.read(req.body()), "request body").get("tags");
                List<String> replacement = validTags(tags);
                Resource r = def.service().updateTags(req.caller(), id, old -> replacement);
                yield ApiResponse.json(200, Map.of("tags", r.list("tags")));
            }
            case "DELETE" -> {
                def.service().updateTags(req.caller(), id, old -> List.of());
                yield ApiResponse.noContent();
            }
            default -> throw methodNotAllowed();
        };
    }

    ApiResponse tag(ApiRequest req, String id, String tag) {
        String valid = (String) TAG.convert("tag", tag);
        return switch (req.method()) {
            case "GET" -> {
                if (!def.service().show(req.caller(), id).list("tags").contains(valid)) throw tagNotFound(id, valid);
                yield ApiResponse.noContent();
            }
            case "PUT" -> {
                def.service().updateTags(req.caller(), id, old -> old.contains(valid) ? old : append(old, valid));
                yield ApiResponse.of(201, null, null);
            }
            case "DELETE" -> {
                def.service().updateTags(req.caller(), id, old -> {
                    if (!old.contains(valid)) throw tagNotFound(id, valid);
                    return old.stream().filter(t -> !t.equals(valid)).toList();
                });
                yield ApiResponse.noContent();
            }
            default -> throw methodNotAllowed();
        };
    }

    @SuppressWarnings("unchecked")
    private static List<String> validTags(Object tags) {
        Object converted = AttributeType.listOf(TAG).convert("tags", tags);
        return ((List<String>) converted).stream().distinct().toList();
    }

    private static List<String> append(List<String> tags, String tag) {
        List<String> out = new ArrayList<>(tags);
        out.add(tag);
        return out;
    }

    private AlcorException tagNotFound(String id, String tag) {
        return AlcorException.notFound("Tag", tag + " on " + def.member() + " " + id);
    }

    static AlcorException methodNotAllowed() {
        return new AlcorException(org.alcor.controller.core.ErrorCode.METHOD_NOT_ALLOWED, "HTTPMethodNotAllowed",
                "The method is not allowed for the requested URL.");
    }
}
