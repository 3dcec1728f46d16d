package org.alcor.controller.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;

/** Parses create and update bodies against a resource's declared attributes. */
final class RequestBodies {
    static final int MAX_BULK = 10_000;

    private RequestBodies() {}

    /** {"port": {...}} or {"ports": [{...}, ...]}: the validated items, and whether the request was a bulk one. */
    record Create(List<Map<String, Object>> items, boolean bulk) {}

    static Create parseCreate(ResourceDefinition def, byte[] body) {
        Map<String, Object> root = object(Json.read(body), "request body");
        if (root.size() == 1 && root.get(def.collection()) instanceof List<?> list) {
            if (list.isEmpty()) throw AlcorException.badRequest("Resources required");
            if (list.size() > MAX_BULK) throw AlcorException.badRequest("A bulk request may create at most " + MAX_BULK + " " + def.collection() + ".");
            List<Map<String, Object>> items = new ArrayList<>();
            for (Object item : list) items.add(validateCreate(def, object(item, def.member())));
            return new Create(items, true);
        }
        if (root.size() != 1 || !root.containsKey(def.member())) {
            throw AlcorException.badRequest("Unable to find '" + def.member() + "' in request body");
        }
        return new Create(List.of(validateCreate(def, object(root.get(def.member()), def.member()))), false);
    }

    static Map<String, Object> parseUpdate(ResourceDefinition def, byte[] body) {
        Map<String, Object> root = object(Json.read(body), "request body");
        if (root.size() != 1 || !root.containsKey(def.member())) {
            throw AlcorException.badRequest("Unable to find '" + def.member() + "' in request body");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        for (var e : object(root.get(def.member()), def.member()).entrySet()) {
            Attribute attr = known(def, e.getKey());
            if (!attr.allowPut()) throw AlcorException.badRequest("Cannot update read-only attribute " + e.getKey());
            changes.put(e.getKey(), convert(attr, e.getValue()));
        }
        return changes;
    }

    private static Map<String, Object> validateCreate(ResourceDefinition def, Map<String, Object> item) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (var e : item.entrySet()) {
            Attribute attr = known(def, e.getKey());
            if (!attr.allowPost()) throw AlcorException.badRequest("Attribute '" + e.getKey() + "' not allowed in POST");
            attrs.put(e.getKey(), convert(attr, e.getValue()));
        }
        for (Attribute attr : def.attributes().values()) {
            if (attr.required() && attrs.get(attr.name()) == null) {
                throw AlcorException.badRequest("Failed to parse request. Required attribute '" + attr.name() + "' not specified");
            }
        }
        Object project = attrs.get("project_id"), tenant = attrs.get("tenant_id");
        if (project != null && tenant != null && !project.equals(tenant)) {
            throw AlcorException.badRequest("'project_id' and 'tenant_id' do not match");
        }
        return attrs;
    }

    private static Attribute known(ResourceDefinition def, String name) {
        Attribute attr = def.attributes().get(name);
        if (attr == null) throw AlcorException.badRequest("Unrecognized attribute(s) '" + name + "'");
        return attr;
    }

    private static Object convert(Attribute attr, Object value) {
        if (value == null) {
            if (!attr.nullable()) throw AlcorException.invalidInput(attr.name(), "'None' is not allowed");
            return null;
        }
        return attr.type().convert(attr.name(), value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) throw AlcorException.badRequest("The " + what + " must be a JSON object.");
        return (Map<String, Object>) map;
    }
}
