package org.alcor.controller.quota;

import java.util.LinkedHashMap;
import java.util.Map;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceCodec;
import org.alcor.controller.store.StoredRow;

/**
 * One project's quota state in one row: the limits it was given (only those that differ from the defaults) and
 * its usage counters. Creates update the counters in their own transaction, so usage is never a count of rows.
 */
record QuotaRow(String project, Map<String, Integer> limits, Map<String, Integer> used) {

    static QuotaRow empty(String project) { return new QuotaRow(project, Map.of(), Map.of()); }

    int limit(String resource) { return limits.getOrDefault(resource, QuotaDefaults.limit(resource)); }

    int used(String resource) { return used.getOrDefault(resource, 0); }

    QuotaRow withUsed(String resource, int value) {
        Map<String, Integer> copy = new LinkedHashMap<>(used);
        copy.put(resource, Math.max(0, value));
        return new QuotaRow(project, limits, copy);
    }

    QuotaRow withLimits(Map<String, Integer> changes) {
        Map<String, Integer> copy = new LinkedHashMap<>(limits);
        changes.forEach((resource, limit) -> {
            if (limit == QuotaDefaults.limit(resource)) copy.remove(resource); else copy.put(resource, limit);
        });
        return new QuotaRow(project, copy, used);
    }

    StoredRow toRow() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", project);
        doc.put("limits", limits);
        doc.put("used", used);
        return new StoredRow(project, project, null, null, null, null, false, 0, ResourceCodec.encode(new Resource(doc)));
    }

    static QuotaRow fromRow(StoredRow row) {
        Resource doc = ResourceCodec.decode(row.doc());
        return new QuotaRow(row.id(), ints(doc.get("limits")), ints(doc.get("used")));
    }

    private static Map<String, Integer> ints(Object map) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (map instanceof Map<?, ?> m) m.forEach((k, v) -> out.put((String) k, ((Number) v).intValue()));
        return out;
    }
}
