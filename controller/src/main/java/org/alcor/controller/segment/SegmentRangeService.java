package org.alcor.controller.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.NewResources;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * Neutron's network segment ranges for VXLAN (admin only): the VNIs tenant networks are allocated from. A range
 * renders {@code available} (its free VNIs) and {@code used} (VNI → project), both read from the VNI bitmap and
 * the networks' segment index, never from a scan of networks. A range cannot lose VNIs that networks hold.
 */
public final class SegmentRangeService implements CollectionService {
    private static final String LANE = "network-segment-ranges";
    /** Ranges wider than this render {@code available} only up to it: a full VXLAN space is 16M numbers. */
    private static final int MAX_RENDERED = 65_536;

    private final ResourceRepository ranges;
    private final Store store;
    private final WriteBatcher writes;

    public SegmentRangeService(ResourceRepository ranges, Store store, WriteBatcher writes) {
        this.ranges = ranges;
        this.store = store;
        this.writes = writes;
    }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        requireAdmin(caller);
        List<Resource> prepared = new ArrayList<>();
        for (Map<String, Object> item : items) prepared.add(prepare(caller, item));
        List<Resource> created = writes.submit(LANE, prepared.size(), tx -> prepared.stream().map(r -> ranges.insert(tx, r)).toList());
        return created.stream().map(this::rendered).toList();
    }

    private static Resource prepare(Caller caller, Map<String, Object> item) {
        Object type = item.get("network_type");
        if (type == null) throw AlcorException.badRequest("Failed to parse request. Required attribute 'network_type' not specified");
        if (!"vxlan".equals(type)) throw AlcorException.invalidOperation("network_type " + type + " is not supported, only vxlan");
        for (String required : List.of("minimum", "maximum")) {
            if (item.get(required) == null) throw AlcorException.badRequest("Failed to parse request. Required attribute '" + required + "' not specified");
        }
        Map<String, Object> attrs = NewResources.standard(caller, item);
        attrs.put("default", false);
        attrs.put("shared", true);
        attrs.put("network_type", "vxlan");
        attrs.put("physical_network", null);
        NewResources.withRequested(attrs, item);
        if (item.get("physical_network") != null) throw AlcorException.invalidOperation("physical_network is only for vlan ranges");
        // A shared range belongs to no project (Neutron renders project_id null); a private one to the given project.
        Object project = item.getOrDefault("project_id", item.get("tenant_id"));
        if (Boolean.TRUE.equals(attrs.get("shared"))) {
            if (project != null) throw AlcorException.invalidOperation("a shared network segment range cannot have a project_id");
            attrs.put("project_id", null);
        } else {
            attrs.put("project_id", project != null ? project : caller.projectId());
        }
        checkBounds(attrs.get("minimum"), attrs.get("maximum"));
        return new Resource(attrs);
    }

    private static void checkBounds(Object minimum, Object maximum) {
        long min = ((Number) minimum).longValue(), max = ((Number) maximum).longValue();
        if (min < 1 || max > VniAllocator.MAX_VNI) {
            throw AlcorException.invalidOperation("VXLAN segment range must be within 1 and " + VniAllocator.MAX_VNI);
        }
        if (min > max) throw AlcorException.invalidOperation("minimum " + min + " is larger than maximum " + max);
    }

    @Override
    public Resource show(Caller caller, String id) {
        if (!caller.admin()) throw notFound(id);
        return rendered(ranges.committed(id).orElseThrow(() -> notFound(id)));
    }

    @Override
    public ListPage list(Caller caller, ListQuery query) {
        if (!caller.admin()) return new ListPage(List.of(), false, false);
        ListPage page = ranges.list(caller, query);
        return new ListPage(page.items().stream().map(this::rendered).toList(), page.hasNext(), page.hasPrevious());
    }

    @Override
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        requireAdmin(caller);
        return rendered(writes.submit(LANE, 1, List.of(new LockKey(Table.NETWORK_SEGMENT_RANGES, id)), tx -> {
            Resource before = ranges.get(tx, id).orElseThrow(() -> notFound(id));
            ResourceRepository.checkRevision(before, expectedRevision);
            Resource after = before.with(changes);
            checkBounds(after.get("minimum"), after.get("maximum"));
            ValueRange kept = SegmentRanges.values(after);
            if (VniAllocator.allocatedIn(tx, SegmentRanges.values(before)).stream().anyMatch(v -> !kept.contains(v))) throw inUse(id);
            return ranges.update(tx, before, after);
        }));
    }

    @Override
    public void delete(Caller caller, String id) {
        requireAdmin(caller);
        writes.submit(LANE, 1, List.of(new LockKey(Table.NETWORK_SEGMENT_RANGES, id)), tx -> {
            Resource range = ranges.get(tx, id).orElseThrow(() -> notFound(id));
            if (!VniAllocator.allocatedIn(tx, SegmentRanges.values(range)).isEmpty()) throw inUse(id);
            ranges.delete(tx, id);
            return null;
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        requireAdmin(caller);
        return rendered(writes.submit(LANE, 1, tx -> ranges.updateTags(tx, caller, id, change)));
    }

    /** The range with Neutron's computed attributes: its free VNIs, and which project holds each used one. */
    private Resource rendered(Resource range) {
        ValueRange values = SegmentRanges.values(range);
        List<Long> allocated = VniAllocator.allocatedIn(store, values);
        Map<String, Object> used = new LinkedHashMap<>();
        for (long vni : allocated) {
            for (StoredRow network : store.find(Table.NETWORKS, Column.SEGMENT, Long.toString(vni), 1)) used.put(Long.toString(vni), network.project());
        }
        List<Long> available = new ArrayList<>();
        int next = 0;
        for (long v = values.first(); v <= values.last() && available.size() < MAX_RENDERED; v++) {
            while (next < allocated.size() && allocated.get(next) < v) next++;
            if (next < allocated.size() && allocated.get(next) == v) continue;
            available.add(v);
        }
        return range.with(Map.of("available", available, "used", used));
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.admin()) throw AlcorException.forbidden("rule:create_network_segment_range is disallowed by policy");
    }

    private static AlcorException notFound(String id) { return AlcorException.notFound("NetworkSegmentRange", id); }

    private static AlcorException inUse(String id) {
        return AlcorException.conflict("NetworkSegmentRangeReferencedByProject", "Network Segment Range " + id
                + " is referenced by one or more tenant networks.");
    }
}
