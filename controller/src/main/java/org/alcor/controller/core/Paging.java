package org.alcor.controller.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** Sorts by the requested keys (id breaks ties, as Neutron's pagination does) and cuts one page at the marker. */
final class Paging {
    private Paging() {}

    static ListPage page(List<Resource> items, ListQuery query, Function<String, AlcorException> markerNotFound) {
        List<Resource> sorted = new ArrayList<>(items);
        sorted.sort(order(query.sorts()));
        if (query.limit() == null && query.marker() == null) return new ListPage(sorted, false, false);
        int start = 0, end = sorted.size();
        if (query.marker() != null) {
            int at = indexOf(sorted, query.marker());
            if (at < 0) throw markerNotFound.apply(query.marker());
            if (query.pageReverse()) end = at; else start = at + 1;
        }
        int limit = query.limit() == null || query.limit() <= 0 ? Integer.MAX_VALUE : query.limit();
        if (query.pageReverse()) {
            int from = Math.max(start, end - limit);
            return new ListPage(List.copyOf(sorted.subList(from, end)), end < sorted.size(), from > 0);
        }
        int to = (int) Math.min((long) start + limit, end);
        return new ListPage(List.copyOf(sorted.subList(start, to)), to < end, start > 0);
    }

    private static int indexOf(List<Resource> sorted, String id) {
        for (int i = 0; i < sorted.size(); i++) if (id.equals(sorted.get(i).id())) return i;
        return -1;
    }

    private static Comparator<Resource> order(List<ListQuery.Sort> sorts) {
        Comparator<Resource> order = (a, b) -> 0;
        for (ListQuery.Sort sort : sorts) {
            Comparator<Resource> byKey = Comparator.comparing(r -> comparable(r.get(sort.key())),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            order = order.thenComparing(sort.ascending() ? byKey : byKey.reversed());
        }
        return order.thenComparing(Resource::id);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable comparable(Object v) {
        if (v == null) return null;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Comparable c) return c;
        return v.toString();
    }
}
