package org.alcor.controller.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * Stores one resource type in one table: resource ↔ row mapping, project visibility (another project's
 * resource is "not found"), revisions and timestamps, and lists driven by the table's indexes.
 */
public final class ResourceRepository {
    /** Which attribute fills each indexed column, unless a table says otherwise (floating IPs: port_id is DEVICE). */
    private static final Map<Column, String> DEFAULT_COLUMNS = Map.of(Column.DEVICE, "device_id", Column.HOST, "binding:host_id",
            Column.NAME, "name", Column.NETWORK, "network_id", Column.SECURITY_GROUP, "security_group_id",
            Column.REMOTE_GROUP, "remote_group_id", Column.SEGMENT, "provider:segmentation_id");
    /** Indexed columns in the order lists try them: most selective first (ids are key lookups, before these). */
    private static final List<Column> SELECTIVITY = List.of(Column.DEVICE, Column.HOST, Column.NAME, Column.NETWORK, Column.SECURITY_GROUP);

    /** Attributes whose filters an index answers, most selective first. */
    private final List<Map.Entry<String, Column>> indexed;
    private final Map<Column, String> columns;

    private final Store store;
    private final Table table;
    private final String resourceName;
    private static final int DECODED_CACHE_SIZE = 10_000;
    /** Rows read at a time from the store by a list streamed whole. */
    private static final int STREAM_CHUNK = 1_024;
    private final Map<String, Resource> decoded = new java.util.concurrent.ConcurrentHashMap<>();

    public ResourceRepository(Store store, Table table, String resourceName) {
        this(store, table, resourceName, Map.of());
    }

    /** columnAttributes: the attribute that fills an indexed column where it is not the default one. */
    public ResourceRepository(Store store, Table table, String resourceName, Map<Column, String> columnAttributes) {
        this.store = store;
        this.table = table;
        this.resourceName = resourceName;
        var cols = new java.util.EnumMap<Column, String>(DEFAULT_COLUMNS);
        cols.putAll(columnAttributes);
        this.columns = cols;
        List<Map.Entry<String, Column>> idx = new ArrayList<>();
        for (Column c : SELECTIVITY) idx.add(Map.entry(cols.get(c), c));
        idx.add(Map.entry("project_id", Column.PROJECT));
        idx.add(Map.entry("tenant_id", Column.PROJECT));
        this.indexed = List.copyOf(idx);
    }

    public String resourceName() { return resourceName; }

    public AlcorException notFound(String id) { return AlcorException.notFound(resourceName, id); }

    /** A caller sees its own resources, shared ones, and external networks (Neutron's "external" policy rule), read-only. */
    public static boolean visible(Caller caller, Resource r) {
        return caller.canSee(r.projectId()) || seenByAll(r);
    }

    /** What the SHARED column (the "every project sees it" index) holds. */
    private static boolean seenByAll(Resource r) { return r.bool("shared") || r.bool("router:external"); }

    /** Reads and locks a resource the caller may see, or fails with {@code <Resource>NotFound}. */
    public Resource require(StoreTx tx, Caller caller, String id) {
        return tx.get(table, id).map(this::decodeCached).filter(r -> visible(caller, r))
                .orElseThrow(() -> notFound(id));
    }

    /** Reads and locks a resource the caller owns (or any, for admin); others' shared resources are read-only. */
    public Resource requireOwned(StoreTx tx, Caller caller, String id) {
        Resource r = require(tx, caller, id);
        if (!caller.canSee(r.projectId())) {
            throw AlcorException.forbidden("The request you have made requires authentication or is not allowed for " + id + ".");
        }
        return r;
    }

    public Optional<Resource> get(StoreTx tx, String id) { return tx.get(table, id).map(this::decodeCached); }

    /** Reads and locks many resources; the result keeps the order of {@code ids} (a network's subnet order matters). */
    public Map<String, Resource> getAll(StoreTx tx, Collection<String> ids) {
        Map<String, StoredRow> rows = tx.getAll(table, ids);
        Map<String, Resource> out = new LinkedHashMap<>();
        for (String id : ids) {
            StoredRow row = rows.get(id);
            if (row != null) out.put(id, decodeCached(row));
        }
        return out;
    }

    /** A committed resource, whoever owns it (no locks). */
    public Optional<Resource> committed(String id) { return store.get(table, id).map(ResourceRepository::decode); }

    public Resource show(Caller caller, String id) {
        return store.get(table, id).map(ResourceRepository::decode).filter(r -> visible(caller, r))
                .orElseThrow(() -> notFound(id));
    }

    /** Writes a new resource, stamping the standard attributes. */
    public Resource insert(StoreTx tx, Resource r) {
        String now = Timestamps.now();
        Resource stamped = r.with(Map.of("revision_number", 1, "created_at", now, "updated_at", now));
        tx.put(table, toRow(stamped));
        return stamped;
    }

    /** Writes a changed resource with the next revision; returns it unchanged (and writes nothing) if nothing changed. */
    public Resource update(StoreTx tx, Resource before, Resource after) {
        if (before.equals(after)) return before;
        Resource stamped = after.with(Map.of("revision_number", before.revision() + 1, "updated_at", Timestamps.now()));
        tx.put(table, toRow(stamped));
        return stamped;
    }

    public void delete(StoreTx tx, String id) { tx.remove(table, id); }

    /** Neutron's If-Match: revision_number=N: a write based on a stale read fails instead of overwriting. */
    public static void checkRevision(Resource current, java.util.OptionalLong expected) {
        if (expected.isPresent() && expected.getAsLong() != current.revision()) {
            throw new AlcorException(ErrorCode.PRECONDITION_FAILED, "RevisionNumberConstraintFailed",
                    "Constrained to " + expected.getAsLong() + ", but current revision is " + current.revision());
        }
    }

    /** Replaces the tags of a resource the caller owns. */
    public Resource updateTags(StoreTx tx, Caller caller, String id, java.util.function.UnaryOperator<List<String>> change) {
        Resource before = requireOwned(tx, caller, id);
        return update(tx, before, before.with("tags", List.copyOf(change.apply(before.list("tags")))));
    }

    public List<Resource> findInTx(StoreTx tx, Column column, Object value) {
        return tx.find(table, column, value).stream().map(ResourceRepository::decode).toList();
    }

    /** Committed resources whose indexed column equals value (no locks). */
    public List<Resource> find(Column column, Object value) {
        return store.find(table, column, value).stream().map(ResourceRepository::decode).toList();
    }

    /**
     * One page of the caller's visible resources matching the query. A page in id order (Neutron's default sort,
     * with a limit: what clients page with) walks the ordered indexes from the marker and stops after the page;
     * any other sort, a reversed page or an unlimited list reads every candidate the indexes give and sorts them.
     */
    public ListPage list(Caller caller, ListQuery query) {
        if (isIdOrderedPage(query)) return idOrderedPage(caller, query);
        List<Resource> matching = new ArrayList<>();
        for (StoredRow row : candidates(caller, query)) {
            Resource r = decode(row);
            if (visible(caller, r) && Filters.matches(r, query.filters())) matching.add(r);
        }
        return Paging.page(matching, query, this::notFound);
    }

    /**
     * Everything an unpaged list returns, in its order. In id order (the default) it is read from the ordered
     * indexes while it is consumed, a chunk at a time; otherwise it is {@link #list}'s one page.
     */
    public Iterator<Resource> listAll(Caller caller, ListQuery query) {
        if (query.limit() != null || query.marker() != null || !isIdOrdered(query)) return list(caller, query).items().iterator();
        var rows = new OrderedRanges(store, table, ranges(caller, query), null, STREAM_CHUNK);
        return new Iterator<>() {
            private Resource next = advance();

            private Resource advance() {
                for (StoredRow row; (row = rows.next()) != null; ) {
                    Resource r = decode(row);
                    if (visible(caller, r) && Filters.matches(r, query.filters())) return r;
                }
                return null;
            }

            @Override public boolean hasNext() { return next != null; }

            @Override public Resource next() {
                if (next == null) throw new java.util.NoSuchElementException();
                Resource r = next;
                next = advance();
                return r;
            }
        };
    }

    private static boolean isIdOrderedPage(ListQuery query) {
        return query.limit() != null && query.limit() > 0 && !query.pageReverse() && isIdOrdered(query);
    }

    /** Neutron's default order (by id), and not a list of named ids (those are key lookups). */
    private static boolean isIdOrdered(ListQuery query) {
        return !query.filters().containsKey("id")
                && (query.sorts().isEmpty() || query.sorts().equals(List.of(new ListQuery.Sort("id", true))));
    }

    private ListPage idOrderedPage(Caller caller, ListQuery query) {
        String marker = query.marker();
        // As Neutron: the marker must be a resource the caller can see; the page starts after its id.
        if (marker != null && store.get(table, marker).map(ResourceRepository::decode).filter(r -> visible(caller, r)).isEmpty()) {
            throw notFound(marker);
        }
        int limit = query.limit();
        var rows = new OrderedRanges(store, table, ranges(caller, query), marker, limit + 1);
        List<Resource> page = new ArrayList<>(Math.min(limit, 1024));
        for (StoredRow row; (row = rows.next()) != null; ) {
            Resource r = decode(row);
            if (!visible(caller, r) || !Filters.matches(r, query.filters())) continue;
            if (page.size() == limit) return new ListPage(page, true, marker != null);
            page.add(r);
        }
        return new ListPage(page, false, marker != null);
    }

    /** The rows an id filter names, or the union of the index ranges that hold every row the query can match. */
    private Collection<StoredRow> candidates(Caller caller, ListQuery query) {
        Map<String, StoredRow> rows = new LinkedHashMap<>();
        List<String> ids = query.filters().get("id");
        if (ids != null) {
            for (String id : ids) store.get(table, id).ifPresent(r -> rows.put(id, r));
            return rows.values();
        }
        List<IndexRange> ranges = ranges(caller, query);
        if (ranges.equals(List.of(IndexRange.WHOLE_TABLE))) return store.scan(table);
        for (IndexRange range : ranges) for (StoredRow r : store.find(table, range.column(), range.value())) rows.put(r.id(), r);
        return rows.values();
    }

    /**
     * The query's most selective indexed filter (one range per accepted value), or else the caller's visible rows:
     * the whole table for admin, the project's and the shared ones otherwise. An empty value is never looked up
     * in an index: the DEVICE and HOST columns store "" as null.
     */
    private List<IndexRange> ranges(Caller caller, ListQuery query) {
        for (var indexed : this.indexed) {
            List<String> values = query.filters().get(indexed.getKey());
            if (values != null && table.isIndexed(indexed.getValue()) && !values.contains("")) {
                return values.stream().distinct().map(v -> new IndexRange(indexed.getValue(), v)).toList();
            }
        }
        if (caller.admin()) return List.of(IndexRange.WHOLE_TABLE);
        List<IndexRange> ranges = new ArrayList<>(2);
        ranges.add(new IndexRange(Column.PROJECT, caller.projectId()));
        if (table.isIndexed(Column.SHARED)) ranges.add(new IndexRange(Column.SHARED, true));
        return ranges;
    }

    /**
     * Decodes a row. Networks and subnets are read once per port written in a batch, so their decoded form is
     * kept by (id, revision): every change bumps the revision, so a cached entry is never stale.
     */
    public Resource decodeCached(StoredRow row) {
        if (table == Table.PORTS) return decode(row);
        String key = row.id() + "@" + row.revision();
        Resource r = decoded.get(key);
        if (r == null) {
            if (decoded.size() > DECODED_CACHE_SIZE) decoded.clear();
            r = decode(row);
            decoded.put(key, r);
        }
        return r;
    }

    public static Resource decode(StoredRow row) { return ResourceCodec.decode(row.doc()); }

    private StoredRow toRow(Resource r) {
        return new StoredRow(r.id(), r.projectId(), r.string(columns.get(Column.NETWORK)), r.string(columns.get(Column.NAME)),
                emptyToNull(r.string(columns.get(Column.DEVICE))), emptyToNull(r.string(columns.get(Column.HOST))), seenByAll(r),
                r.string(columns.get(Column.SECURITY_GROUP)), r.string(columns.get(Column.SEGMENT)), r.string(columns.get(Column.REMOTE_GROUP)),
                r.revision(), ResourceCodec.encode(r));
    }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
