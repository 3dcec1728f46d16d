package org.alcor.controller.dataplane;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.RowChange;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * The engine's copy of what its hosts' goal states are made of (networks, subnets, hosts, routers, subnet→router
 * links, security-group rules and members): read from the store on first use, then kept current by the change
 * feed. A resource change is taken only if its revision is newer than the copy, because a first read may already
 * have seen a commit whose event is still queued. Owned by the engine thread: no locks.
 */
final class ResourceMirror implements Topology {
    private final Store store;
    private final Map<Table, Map<String, Resource>> copies = new HashMap<>();
    private final Map<String, Optional<String>> routerOfSubnet = new HashMap<>();
    private final Map<String, List<Resource>> rules = new HashMap<>();
    private final Map<String, Map<String, Resource>> members = new HashMap<>();
    /** For ports in groups whose members are held: which of those groups, so a port change finds them. */
    private final Map<String, Set<String>> heldGroupsOfPort = new HashMap<>();

    ResourceMirror(Store store) {
        this.store = store;
        for (Table t : new Table[] {Table.NETWORKS, Table.SUBNETS, Table.HOSTS, Table.ROUTERS}) copies.put(t, new HashMap<>());
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

    @Override public Resource network(String id) { return get(Table.NETWORKS, id); }

    @Override public Resource subnet(String id) { return get(Table.SUBNETS, id); }

    /** A host's tunnel endpoint, or null when the host is not registered. */
    String hostIp(String hostId) {
        Resource host = get(Table.HOSTS, hostId);
        return host == null ? null : host.string("host_ip");
    }

    @Override
    public Resource routerOfSubnet(String subnetId) {
        Optional<String> router = routerOfSubnet.computeIfAbsent(subnetId,
                s -> store.get(Table.SUBNET_ROUTERS, s).map(StoredRow::device));
        return router.map(id -> get(Table.ROUTERS, id)).orElse(null);
    }

    @Override
    public List<Resource> rulesOf(String groupId) {
        return rules.computeIfAbsent(groupId, g -> store.find(Table.SECURITY_GROUP_RULES, Column.SECURITY_GROUP, g).stream()
                .map(ResourceRepository::decode).toList());
    }

    @Override
    public Collection<Resource> membersOf(String groupId) {
        Map<String, Resource> held = members.get(groupId);
        if (held == null) {
            held = new LinkedHashMap<>();
            for (StoredRow row : store.find(Table.SECURITY_GROUP_PORTS, Column.SECURITY_GROUP, groupId)) {
                Resource port = store.get(Table.PORTS, row.device()).map(ResourceRepository::decode).orElse(null);
                if (port != null) held.put(port.id(), port);
            }
            members.put(groupId, held);
            for (String portId : held.keySet()) heldGroupsOfPort.computeIfAbsent(portId, p -> new HashSet<>()).add(groupId);
        }
        return held.values();
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

    /** A subnet was attached to a router or detached from it. */
    void linkChanged(RowChange change) {
        routerOfSubnet.put(change.id(), change.after() == null ? Optional.empty() : Optional.ofNullable(change.after().device()));
    }

    /** A group's rules changed: they are read again when next needed. */
    void rulesChanged(String groupId) { rules.remove(groupId); }

    /** A port joined or left a group (a membership row came or went); true if that group's members are held. */
    boolean membershipChanged(RowChange change) {
        StoredRow row = change.after() != null ? change.after() : change.before();
        String groupId = row != null ? row.securityGroup() : change.id().substring(0, change.id().indexOf('/'));
        String portId = row != null ? row.device() : change.id().substring(change.id().indexOf('/') + 1);
        Map<String, Resource> held = members.get(groupId);
        if (held == null) return false;
        if (change.after() == null) {
            held.remove(portId);
            Set<String> groups = heldGroupsOfPort.get(portId);
            if (groups != null && groups.remove(groupId) && groups.isEmpty()) heldGroupsOfPort.remove(portId);
        } else {
            store.get(Table.PORTS, portId).map(ResourceRepository::decode).ifPresent(p -> held.put(portId, p));
            heldGroupsOfPort.computeIfAbsent(portId, p -> new HashSet<>()).add(groupId);
        }
        return true;
    }

    /** The held copy of a group member, or null. */
    Resource member(String groupId, String portId) {
        Map<String, Resource> held = members.get(groupId);
        return held == null ? null : held.get(portId);
    }

    /** How many members a held group has (0 when not held). */
    int memberCount(String groupId) {
        Map<String, Resource> held = members.get(groupId);
        return held == null ? 0 : held.size();
    }

    /** The held groups a port is a member of. */
    Set<String> heldGroupsOf(String portId) { return heldGroupsOfPort.getOrDefault(portId, Set.of()); }

    /** A port changed: held member copies follow it. Returns the held groups it is a member of. */
    Set<String> memberChanged(String portId, Resource after) {
        Set<String> groups = heldGroupsOfPort.get(portId);
        if (groups == null) return Set.of();
        for (String g : groups) {
            Map<String, Resource> held = members.get(g);
            if (after == null) held.remove(portId); else held.put(portId, after);
        }
        return Set.copyOf(groups);
    }

    /** No host here needs a group's members any more. */
    void dropMembers(String groupId) {
        Map<String, Resource> held = members.remove(groupId);
        if (held == null) return;
        for (String portId : held.keySet()) {
            Set<String> groups = heldGroupsOfPort.get(portId);
            if (groups != null && groups.remove(groupId) && groups.isEmpty()) heldGroupsOfPort.remove(portId);
        }
    }
}
