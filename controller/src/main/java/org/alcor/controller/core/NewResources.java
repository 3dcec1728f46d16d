package org.alcor.controller.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The start and finish of every create: standard attributes first, then the resource's defaults, then what was asked. */
public final class NewResources {
    private NewResources() {}

    /** A new id, empty name and description, no tags, and the project the resource belongs to. */
    public static Map<String, Object> standard(Caller caller, Map<String, Object> requested) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("id", UUID.randomUUID().toString());
        attrs.put("name", "");
        attrs.put("description", "");
        attrs.put("project_id", projectOf(caller, requested));
        attrs.put("tags", List.of());
        return attrs;
    }

    /** Lays the requested attributes over the defaults; the project was settled by {@link #standard}. */
    public static Map<String, Object> withRequested(Map<String, Object> defaults, Map<String, Object> requested) {
        requested.forEach((k, v) -> {
            if (!k.equals("tenant_id") && !k.equals("project_id")) defaults.put(k, v);
        });
        return defaults;
    }

    /** Admins may create for another project; everyone else creates in their own. */
    static String projectOf(Caller caller, Map<String, Object> requested) {
        Object project = requested.getOrDefault("project_id", requested.get("tenant_id"));
        if (project == null || project.equals(caller.projectId())) return caller.projectId();
        if (!caller.admin()) throw AlcorException.forbidden("Cannot create resource for another project");
        return project.toString();
    }
}
