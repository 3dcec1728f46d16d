package org.alcor.controller.quota;

import java.util.LinkedHashMap;
import java.util.Map;

/** Neutron's default quotas (neutron.conf [quotas]); -1 means unlimited. */
public final class QuotaDefaults {
    public static final int UNLIMITED = -1;
    private static final Map<String, Integer> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("network", 100);
        DEFAULTS.put("subnet", 100);
        DEFAULTS.put("port", 500);
        DEFAULTS.put("security_group", 10);
        DEFAULTS.put("security_group_rule", 100);
        DEFAULTS.put("router", 10);
        DEFAULTS.put("floatingip", 50);
    }

    private QuotaDefaults() {}

    public static Map<String, Integer> all() { return DEFAULTS; }

    public static boolean known(String resource) { return DEFAULTS.containsKey(resource); }

    static int limit(String resource) {
        Integer limit = DEFAULTS.get(resource);
        if (limit == null) throw new IllegalArgumentException("no quota for " + resource);
        return limit;
    }
}
