package org.alcor.controller.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ListQuery;

/**
 * Parses list parameters: filters on declared attributes, fields=, sort_key/sort_dir, limit/marker/page_reverse.
 * An attribute the caller is not shown (Renderer.ADMIN_ONLY for a member) cannot be filtered or sorted on either:
 * which ports match {@code binding:host_id=H}, or their order by it, would tell what the rendering leaves out.
 */
final class ListQueries {
    private static final Set<String> CONTROL = Set.of("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse");
    private static final Set<String> TAG_FILTERS = Set.of("tags", "tags-any", "not-tags", "not-tags-any");

    private ListQueries() {}

    static ListQuery parse(ResourceDefinition def, Map<String, List<String>> params, org.alcor.controller.core.Caller caller) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            String name = e.getKey();
            if (CONTROL.contains(name)) continue;
            Attribute attr = def.attributes().get(name);
            if (!TAG_FILTERS.contains(name) && (attr == null || !attr.filterable() || hidden(name, caller))) {
                throw AlcorException.badRequest("[" + name + "] is invalid attribute for filtering");
            }
            filters.put(name, e.getValue());
        }
        return new ListQuery(filters, sorts(def, params, caller), limit(params), single(params, "marker"),
                "true".equalsIgnoreCase(single(params, "page_reverse")));
    }

    private static boolean hidden(String attribute, org.alcor.controller.core.Caller caller) {
        return !caller.admin() && Renderer.ADMIN_ONLY.contains(attribute);
    }

    private static List<ListQuery.Sort> sorts(ResourceDefinition def, Map<String, List<String>> params, org.alcor.controller.core.Caller caller) {
        List<String> keys = params.getOrDefault("sort_key", List.of());
        List<String> dirs = params.getOrDefault("sort_dir", List.of());
        if (!dirs.isEmpty() && dirs.size() != keys.size()) {
            throw AlcorException.badRequest("The number of sort_keys and sort_dirs must be same");
        }
        List<ListQuery.Sort> sorts = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Attribute attr = def.attributes().get(keys.get(i));
            if (attr == null || !attr.sortable() || hidden(keys.get(i), caller)) throw AlcorException.badRequest("'" + keys.get(i) + "' is an invalid attribute for sort key");
            String dir = dirs.isEmpty() ? "asc" : dirs.get(i);
            if (!dir.equals("asc") && !dir.equals("desc")) throw AlcorException.badRequest("Sort direction '" + dir + "' is invalid: use asc or desc");
            sorts.add(new ListQuery.Sort(keys.get(i), dir.equals("asc")));
        }
        return sorts;
    }

    private static Integer limit(Map<String, List<String>> params) {
        String limit = single(params, "limit");
        if (limit == null) return null;
        if (!limit.matches("\\d{1,9}")) throw AlcorException.badRequest("Limit must be an integer 0 or greater and not '" + limit + "'");
        return Integer.parseInt(limit);
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.getLast();
    }

    static List<String> fields(Map<String, List<String>> params) {
        List<String> fields = new ArrayList<>();
        for (String f : params.getOrDefault("fields", List.of())) for (String part : f.split(",")) if (!part.isBlank()) fields.add(part.trim());
        return fields;
    }
}
