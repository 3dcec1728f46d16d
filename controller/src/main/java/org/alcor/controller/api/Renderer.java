package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.Resource;

/** Renders resources in Neutron's shape: declared attributes only, tenant_id beside project_id, fields= applied. */
final class Renderer {
    private Renderer() {}

    static Map<String, Object> render(ResourceDefinition def, Resource r, List<String> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : def.attributes().keySet()) {
            if (!fields.isEmpty() && !fields.contains(name)) continue;
            out.put(name, name.equals("tenant_id") ? r.projectId() : r.get(name));
        }
        return out;
    }

    static List<Map<String, Object>> renderAll(ResourceDefinition def, List<Resource> items, List<String> fields) {
        return items.stream().map(r -> render(def, r, fields)).toList();
    }
}
