package org.alcor.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The southbound bench's figures as one machine-readable line, {@code summary key=value ...} in the order they were
 * measured, to paste into docs or compare runs with a script. Numbers have at most three decimals; "n/a" where a
 * figure does not apply to the run.
 */
final class SouthboundSummary {
    private final Map<String, String> values = new LinkedHashMap<>();

    SouthboundSummary put(String key, Object value) {
        String v = value instanceof Double d ? format(d) : value instanceof Float f ? format(f) : String.valueOf(value);
        values.put(key, v.replace(' ', '_'));
        return this;
    }

    private static String format(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return "n/a";
        String s = String.format(Locale.ROOT, "%.3f", d);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    String line() {
        StringBuilder b = new StringBuilder("summary");
        values.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }
}
