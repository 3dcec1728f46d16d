package org.alcor.controller.dataplane;

import java.util.HashMap;
import java.util.Map;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.store.RowChange;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * The engine's copy of the networks, subnets and hosts its hosts' goal states are made of: read from the store on
 * first use, then kept current by the change feed. A change is taken only if its revision is newer than the copy,
 * because a first read may already have seen a commit whose event is still queued.
 */
final class ResourceMirror {
    private final Store store;
    private final Map<Table, Map<String, Resource>> copies = new HashMap<>();

    ResourceMirror(Store store) {
        this.store = store;
        for (Table t : new Table[] {Table.NETWORKS, Table.SUBNETS, Table.HOSTS}) copies.put(t, new HashMap<>());
    }

    /** The resource, or null when it does not exist. */
    Resource get(Table table, String id) {
        if (id == null || id.isEmpty()) return null;
        Map<String, Resource> copy = copies.get(table);
        Resource r = copy.get(id);
        if (r == null) {
            r = store.get(table, id).map(ResourceRepository::decode).orElse(null);
            if (r != null) copy.put(id, r);
        }
        return r;
    }

    Resource network(String id) { return get(Table.NETWORKS, id); }

    Resource subnet(String id) { return get(Table.SUBNETS, id); }

    /** A host's tunnel endpoint, or null when the host is not registered. */
    String hostIp(String hostId) {
        Resource host = get(Table.HOSTS, hostId);
        return host == null ? null : host.string("host_ip");
    }

    /** Applies a change to a resource held here; returns the previous copy, or null if it was not held or is not newer. */
    Resource apply(RowChange change) {
        Map<String, Resource> copy = copies.get(change.table());
        Resource held = copy.get(change.id());
        if (held == null) return null;
        StoredRow after = change.after();
        if (after == null) return copy.remove(change.id());
        if (after.revision() <= held.revision()) return null;
        copy.put(change.id(), ResourceRepository.decode(after));
        return held;
    }
}
