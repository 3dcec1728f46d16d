package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.Resource;

/**
 * Renders resources in Neutron's shape: declared attributes only, tenant_id beside project_id, fields= applied, and
 * the attributes Neutron's default policy shows to admins only (a port's binding, a network's provider segment:
 * where it runs in the fleet) left out for everyone else.
 */
final class Renderer {
    static final Set<String> ADMIN_ONLY = Set.of("binding:host_id", "binding:profile", "binding:vif_type", "binding:vif_details",
            "provider:network_type", "provider:physical_network", "provider:segmentation_id");

    private Renderer() {}

    static Map<String, Object> render(ResourceDefinition def, Resource r, List<String> fields, Caller caller) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : def.attributes().keySet()) {
            if (!fields.isEmpty() && !fields.contains(name)) continue;
            if (!caller.admin() && ADMIN_ONLY.contains(name)) continue;
            out.put(name, name.equals("tenant_id") ? r.projectId() : r.get(name));
        }
        return out;
    }

    static List<Map<String, Object>> renderAll(ResourceDefinition def, List<Resource> items, List<String> fields, Caller caller) {
        return items.stream().map(r -> render(def, r, fields, caller)).toList();
    }
}
