package org.alcor.controller.dataplane;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares equal strings and string lists among the engine's records: a million ports of one VPC name the same
 * network, a few hundred hosts and a handful of security groups, so one instance each instead of a million
 * copies. Grows with the distinct values seen (ids of networks, subnets, hosts, groups); a reload starts a new one.
 * Owned by the engine thread.
 */
final class Interner {
    private final Map<String, String> strings = new HashMap<>();
    private final Map<List<String>, List<String>> lists = new HashMap<>();

    String intern(String s) {
        if (s == null) return null;
        String held = strings.putIfAbsent(s, s);
        return held == null ? s : held;
    }

    List<String> internList(List<?> values) {
        if (values.isEmpty()) return List.of();
        String[] copy = new String[values.size()];
        for (int i = 0; i < copy.length; i++) copy[i] = intern(String.valueOf(values.get(i)));
        List<String> list = List.of(copy);
        List<String> held = lists.putIfAbsent(list, list);
        return held == null ? list : held;
    }
}
