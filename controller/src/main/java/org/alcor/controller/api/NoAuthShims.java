package org.alcor.controller.api;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * With noauth the OpenStack CLI sends every service's calls to the one endpoint. {@code quota show/set PROJECT}
 * first resolves the project through Identity ({@code GET /projects/{id}}) and reads Nova's and Cinder's quotas
 * ({@code GET /os-quota-sets/{id}}), failing on a 404. Without Keystone a project is just its id, and there are no
 * compute or volume quotas: these two answers say exactly that. Not served with Keystone auth.
 */
final class NoAuthShims {
    private static final Pattern PROJECT = Pattern.compile("^/(projects|os-quota-sets)/([A-Za-z0-9_.:@-]{1,255})(/defaults)?$");

    private NoAuthShims() {}

    /**
     * The shim's response for a path, or null when the path is not one of them. {@code GET /projects} (used by
     * {@code quota list}) lists the projects the controller knows: those with quota usage or limits.
     */
    static ApiResponse handle(String method, String path, Supplier<List<String>> knownProjects) {
        if (!method.equals("GET")) return null;
        if (path.equals("/projects")) {
            return ApiResponse.json(200, Map.of("projects", knownProjects.get().stream().map(NoAuthShims::project).toList()));
        }
        var m = PROJECT.matcher(path);
        if (!m.matches() || (m.group(3) != null && m.group(1).equals("projects"))) return null;
        String id = m.group(2);
        if (m.group(1).equals("projects")) return ApiResponse.json(200, Map.of("project", project(id)));
        return ApiResponse.json(200, Map.of("quota_set", Map.of("id", id)));
    }

    private static Map<String, Object> project(String id) {
        return Map.of("id", id, "name", id, "domain_id", "default", "enabled", true);
    }
}
