package org.alcor.controller.core;

import java.util.List;
import java.util.Map;

/**
 * A list request, Neutron style: filters (attribute → accepted values, OR within one attribute, AND across),
 * sort keys, and a page of at most {@code limit} items after (or, reversed, before) the {@code marker} id.
 */
public record ListQuery(Map<String, List<String>> filters, List<Sort> sorts, Integer limit, String marker,
                        boolean pageReverse) {

    public record Sort(String key, boolean ascending) {}

    public static ListQuery all() { return new ListQuery(Map.of(), List.of(), null, null, false); }

    public static ListQuery where(String attribute, String value) {
        return new ListQuery(Map.of(attribute, List.of(value)), List.of(), null, null, false);
    }
}
