package org.alcor.controller.core;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * What the REST layer needs of a resource type's domain service. Inputs are validated attribute maps (the
 * REST layer has parsed and type-checked them against the resource's declarations), never HTTP types.
 */
public interface CollectionService {
    /** Creates all items in one transaction: all or nothing. */
    List<Resource> create(Caller caller, List<Map<String, Object>> items);

    Resource show(Caller caller, String id);

    ListPage list(Caller caller, ListQuery query);

    /**
     * Everything an unpaged list returns, in its order, read as it is consumed where the type's store allows it
     * (a collection of a million is never loaded whole); by default the one page {@link #list} returns.
     */
    default Iterator<Resource> listAll(Caller caller, ListQuery query) { return list(caller, query).items().iterator(); }

    /** Applies changes; with expectedRevision, fails unless the stored revision still equals it. */
    Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision);

    void delete(Caller caller, String id);

    Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change);
}
