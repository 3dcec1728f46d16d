package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI 3 document, generated from the same attribute declarations that drive the API. */
final class OpenApiDocument {
    private OpenApiDocument() {}

    static Map<String, Object> build(List<ResourceDefinition> definitions) {
        Map<String, Object> paths = new LinkedHashMap<>();
        Map<String, Object> schemas = new LinkedHashMap<>();
        schemas.put("NeutronError", Map.of("type", "object", "properties", Map.of("NeutronError", Map.of("type", "object",
                "properties", Map.of("type", str(), "message", str(), "detail", str())))));
        for (ResourceDefinition def : definitions) {
            String schema = def.resourceName();
            schemas.put(schema, schema(def));
            Map<String, Object> member = ref(schema);
            paths.put("/v2.0/" + def.path(), Map.of(
                    "get", op("List " + def.collection(), filters(def), Map.of(def.collection(), Map.of("type", "array", "items", member)), "200"),
                    "post", withBody(op("Create one " + def.member() + " or, with \"" + def.collection() + "\": [...], many in one transaction",
                            List.of(), Map.of(def.member(), member), "201"), def.member(), member)));
            List<Map<String, Object>> id = List.of(Map.of("name", "id", "in", "path", "required", true, "schema", str()));
            paths.put("/v2.0/" + def.path() + "/{id}", Map.of(
                    "get", op("Show a " + def.member(), id, Map.of(def.member(), member), "200"),
                    "put", withBody(op("Update a " + def.member() + " (If-Match: revision_number=N is honoured)", id,
                            Map.of(def.member(), member), "200"), def.member(), member),
                    "delete", op("Delete a " + def.member(), id, null, "204")));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Alcor networking API (Neutron v2.0 compatible)", "version", "2.0"));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas));
        return doc;
    }

    private static Map<String, Object> schema(ResourceDefinition def) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Attribute a : def.attributes().values()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", a.type().schemaType());
            if (!a.allowPost() && !a.allowPut()) p.put("readOnly", true);
            if (a.nullable()) p.put("nullable", true);
            props.put(a.name(), p);
        }
        return Map.of("type", "object", "properties", props);
    }

    private static List<Map<String, Object>> filters(ResourceDefinition def) {
        List<Map<String, Object>> params = new java.util.ArrayList<>();
        for (Attribute a : def.attributes().values()) {
            if (a.filterable()) params.add(Map.of("name", a.name(), "in", "query", "required", false, "schema", str()));
        }
        for (String control : List.of("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse")) {
            params.add(Map.of("name", control, "in", "query", "required", false, "schema", str()));
        }
        return params;
    }

    private static Map<String, Object> op(String summary, List<Map<String, Object>> params, Map<String, Object> okBody, String okStatus) {
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put(okStatus, okBody == null ? Map.of("description", "done")
                : Map.of("description", "ok", "content", json(Map.of("type", "object", "properties", okBody))));
        for (String status : List.of("400", "404", "409")) {
            responses.put(status, Map.of("description", "NeutronError", "content", json(ref("NeutronError"))));
        }
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", summary);
        op.put("parameters", params);
        op.put("responses", responses);
        return op;
    }

    private static Map<String, Object> withBody(Map<String, Object> op, String member, Map<String, Object> schema) {
        op.put("requestBody", Map.of("content", json(Map.of("type", "object", "properties", Map.of(member, schema)))));
        return op;
    }

    private static Map<String, Object> json(Map<String, Object> schema) { return Map.of("application/json", Map.of("schema", schema)); }

    private static Map<String, Object> ref(String schema) { return Map.of("$ref", "#/components/schemas/" + schema); }

    private static Map<String, Object> str() { return Map.of("type", "string"); }
}
