package org.alcor.controller.core;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Neutron list filters on attribute values: several values of one attribute match any of them; attributes
 * combine with AND. {@code tags}/{@code tags-any}/{@code not-tags}/{@code not-tags-any} take comma lists and
 * {@code fixed_ips=ip_address=X} / {@code fixed_ips=subnet_id=Y} match inside a port's addresses.
 */
public final class Filters {
    private Filters() {}

    public static boolean matches(Resource r, Map<String, List<String>> filters) {
        for (var f : filters.entrySet()) {
            if (!matches(r, f.getKey(), f.getValue())) return false;
        }
        return true;
    }

    private static boolean matches(Resource r, String attribute, List<String> wanted) {
        return switch (attribute) {
            case "tags" -> r.<String>list("tags").containsAll(splitAll(wanted));
            case "tags-any" -> splitAll(wanted).stream().anyMatch(r.<String>list("tags")::contains);
            case "not-tags" -> !r.<String>list("tags").containsAll(splitAll(wanted));
            case "not-tags-any" -> splitAll(wanted).stream().noneMatch(r.<String>list("tags")::contains);
            case "tenant_id" -> wanted.contains(r.projectId());
            case "fixed_ips" -> wanted.stream().allMatch(w -> matchesFixedIp(r, w));
            default -> matchesValue(r.get(attribute), wanted);
        };
    }

    private static boolean matchesFixedIp(Resource r, String wanted) {
        int eq = wanted.indexOf('=');
        if (eq < 0) return false;
        String key = wanted.substring(0, eq), value = wanted.substring(eq + 1);
        for (Map<String, Object> ip : r.<Map<String, Object>>list("fixed_ips")) {
            if (value.equals(ip.get(key))) return true;
        }
        return false;
    }

    private static boolean matchesValue(Object actual, List<String> wanted) {
        if (actual instanceof Collection<?> values) {
            for (Object v : values) if (matchesValue(v, wanted)) return true;
            return false;
        }
        String text = render(actual);
        for (String w : wanted) {
            if (actual instanceof Boolean ? text.equals(w.toLowerCase(Locale.ROOT)) : text.equals(w)) return true;
        }
        return false;
    }

    private static String render(Object v) { return v == null ? "" : v.toString(); }

    private static List<String> splitAll(List<String> values) {
        return values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).filter(s -> !s.isEmpty()).toList();
    }
}
