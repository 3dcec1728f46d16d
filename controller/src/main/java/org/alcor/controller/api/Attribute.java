package org.alcor.controller.api;

/**
 * One attribute of a resource type, declared once (as neutron-lib's attribute maps do): its type, whether a
 * POST or PUT may set it, whether it may be null, and whether lists may filter and sort on it.
 */
public record Attribute(String name, AttributeType type, boolean allowPost, boolean allowPut, boolean required,
                        boolean nullable, boolean filterable, boolean sortable) {

    /** Set by the server only. */
    public static Attribute readOnly(String name, AttributeType type) {
        return new Attribute(name, type, false, false, false, true, true, true);
    }

    public static Attribute createOnly(String name, AttributeType type) {
        return new Attribute(name, type, true, false, false, false, true, true);
    }

    public static Attribute mutable(String name, AttributeType type) {
        return new Attribute(name, type, true, true, false, false, true, true);
    }

    public Attribute requiredOnCreate() { return new Attribute(name, type, allowPost, allowPut, true, nullable, filterable, sortable); }

    public Attribute orNull() { return new Attribute(name, type, allowPost, allowPut, required, true, filterable, sortable); }

    public Attribute unsortable() { return new Attribute(name, type, allowPost, allowPut, required, nullable, filterable, false); }
}
