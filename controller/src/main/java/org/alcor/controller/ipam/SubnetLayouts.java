package org.alcor.controller.ipam;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.alcor.controller.core.Resource;

/**
 * Parsed subnet layouts by (id, revision). Parsing a CIDR and its pools for every port of a batch showed in
 * profiles; a revision changes with every update, so an entry is never stale.
 */
public final class SubnetLayouts {
    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, SubnetLayout> parsed = new ConcurrentHashMap<>();

    public SubnetLayout of(Resource subnet) {
        String key = subnet.id() + "@" + subnet.revision();
        SubnetLayout layout = parsed.get(key);
        if (layout == null) {
            if (parsed.size() > MAX_ENTRIES) parsed.clear();
            layout = SubnetLayout.of(subnet);
            parsed.put(key, layout);
        }
        return layout;
    }
}
