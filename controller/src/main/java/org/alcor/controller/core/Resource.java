package org.alcor.controller.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Neutron resource as neutron-lib models it: an attribute map. Attribute declarations (in {@code api}) say
 * what each attribute is; domain services read and write attributes by name. Immutable: {@link #with} copies.
 */
public final class Resource {
    private final Map<String, Object> attrs;

    public Resource(Map<String, Object> attrs) { this.attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs)); }

    public Map<String, Object> attrs() { return attrs; }

    public Object get(String name) { return attrs.get(name); }

    public boolean has(String name) { return attrs.containsKey(name); }

    public String id() { return string("id"); }

    public String projectId() { return string("project_id"); }

    public long revision() { return ((Number) attrs.getOrDefault("revision_number", 0)).longValue(); }

    public String string(String name) {
        Object v = attrs.get(name);
        return v == null ? null : v.toString();
    }

    public boolean bool(String name) { return Boolean.TRUE.equals(attrs.get(name)); }

    @SuppressWarnings("unchecked")
    public <T> List<T> list(String name) {
        Object v = attrs.get(name);
        return v == null ? List.of() : (List<T>) v;
    }

    public Resource with(String name, Object value) {
        var copy = new LinkedHashMap<>(attrs);
        copy.put(name, value);
        return new Resource(copy);
    }

    public Resource with(Map<String, Object> changes) {
        var copy = new LinkedHashMap<>(attrs);
        copy.putAll(changes);
        return new Resource(copy);
    }

    @Override public boolean equals(Object o) { return o instanceof Resource r && attrs.equals(r.attrs); }

    @Override public int hashCode() { return attrs.hashCode(); }

    @Override public String toString() { return attrs.toString(); }
}
