package org.alcor.controller.dataplane;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceCodec;
import org.alcor.controller.store.RowChange;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * The engine's in-memory copy of everything goal states are made of (the input node of the engine): networks,
 * subnets, host addresses, routers and their subnet links, security-group rules, and every bound port as a
 * compact {@link PortRecord}. Loaded once by scanning the store, then kept current by the change feed, so that
 * computing a goal state never reads the store. {@link #apply} decodes each changed row once and says what the
 * change means as {@link TopologyChange}s. Owned by the engine thread.
 */
final class Snapshot {
    private static final Logger LOG = Logger.getLogger(Snapshot.class.getName());
    /** The tables the engine reads; a change to any other table means nothing to goal states. */
    static final List<Table> TABLES = List.of(Table.HOSTS, Table.NETWORKS, Table.SUBNETS, Table.ROUTERS, Table.SUBNET_ROUTERS,
            Table.SECURITY_GROUP_RULES, Table.PORTS);

    private final Interner names = new Interner();
    private final Map<String, Resource> networks = new HashMap<>(), subnets = new HashMap<>(), routers = new HashMap<>();
    private final Map<String, Resource> hosts = new HashMap<>();
    private final Map<String, String> routerOfSubnet = new HashMap<>();
    private final Map<String, Map<String, Resource>> rulesByGroup = new HashMap<>();
    private final Map<String, String> groupOfRule = new HashMap<>();
    private final Map<String, PortRecord> ports = new HashMap<>();
    private final Map<String, Set<String>> portsByHost = new HashMap<>();
    private long undecodable;

    /** Every row of the engine's tables, read with a cursor; the changes are dropped (nothing has been sent yet). */
    static Snapshot load(Store store) {
        Snapshot s = new Snapshot();
        List<TopologyChange> ignored = new ArrayList<>();
        for (Table t : TABLES) {
            store.scan(t, row -> {
                s.apply(new RowChange(t, row.id(), null, row), ignored);
                ignored.clear();
            });
        }
        return s;
    }

    /** Applies one row's latest state (after == null: deleted) and adds what it means to out. */
    void apply(RowChange change, List<TopologyChange> out) {
        try {
            switch (change.table()) {
                case PORTS -> port(change.id(), change.after(), out);
                case NETWORKS -> {
                    if (replace(networks, change)) out.add(new TopologyChange.VpcChanged(change.id()));
                }
                case SUBNETS -> subnet(change, out);
                case HOSTS -> host(change, out);
                case ROUTERS -> router(change, out);
                case SUBNET_ROUTERS -> link(change, out);
                case SECURITY_GROUP_RULES -> rule(change, out);
                default -> { }
            }
        } catch (RuntimeException e) {
            // One unreadable row must not stop every host's goal state: it is counted, logged and left out.
            undecodable++;
            LOG.warning("dataplane: cannot use " + change.table() + " row " + change.id() + ": " + e);
        }
    }

    private void port(String id, StoredRow row, List<TopologyChange> out) {
        PortRecord before = ports.get(id);
        if (row != null && before != null && row.revision() <= before.revision()) return;   // a stale event after a reload
        PortRecord after = row == null ? null : PortRecord.of(ResourceCodec.decode(row.doc()), names);
        if (after == null) {
            if (before == null) return;
            ports.remove(id);
            unindex(before);
        } else {
            ports.put(id, after);
            if (before != null && before.sameState(after)) return;   // status, name, tags: nothing a host sees
            if (before != null) unindex(before);
            portsByHost.computeIfAbsent(after.hostId(), h -> new LinkedHashSet<>()).add(id);
        }
        out.add(new TopologyChange.PortChanged(before, after));
    }

    private void unindex(PortRecord port) {
        Set<String> onHost = portsByHost.get(port.hostId());
        if (onHost != null && onHost.remove(port.id()) && onHost.isEmpty()) portsByHost.remove(port.hostId());
    }

    private void subnet(RowChange change, List<TopologyChange> out) {
        Resource before = subnets.get(change.id());
        if (!replace(subnets, change)) return;
        Resource after = subnets.get(change.id());
        for (Resource s : new Resource[] {before, after}) if (s != null) out.add(new TopologyChange.VpcChanged(s.string("network_id")));
    }

    private void host(RowChange change, List<TopologyChange> out) {
        Resource before = hosts.get(change.id());
        if (!replace(hosts, change)) return;
        String was = before == null ? null : before.string("host_ip"), now = hostIp(change.id());
        if (!java.util.Objects.equals(was, now)) out.add(new TopologyChange.HostAddressChanged(change.id()));
    }

    private void router(RowChange change, List<TopologyChange> out) {
        Resource before = routers.get(change.id());
        if (!replace(routers, change)) return;
        Set<String> touched = new LinkedHashSet<>();
        for (Resource r : new Resource[] {before, routers.get(change.id())}) {
            if (r == null) continue;
            for (Map<String, Object> i : r.<Map<String, Object>>list("interfaces")) touched.add(String.valueOf(i.get("network_id")));
        }
        for (String network : touched) out.add(new TopologyChange.VpcChanged(network));
    }

    private void link(RowChange change, List<TopologyChange> out) {
        String router = change.after() == null ? null : change.after().device();
        String before = router == null ? routerOfSubnet.remove(change.id()) : routerOfSubnet.put(change.id(), names.intern(router));
        if (java.util.Objects.equals(before, router)) return;
        Resource subnet = subnets.get(change.id());
        if (subnet != null) out.add(new TopologyChange.VpcChanged(subnet.string("network_id")));
    }

    private void rule(RowChange change, List<TopologyChange> out) {
        String group = change.after() != null ? names.intern(change.after().securityGroup()) : groupOfRule.get(change.id());
        if (group == null) return;
        if (change.after() == null) {
            groupOfRule.remove(change.id());
            Map<String, Resource> rules = rulesByGroup.get(group);
            if (rules == null || rules.remove(change.id()) == null) return;
            if (rules.isEmpty()) rulesByGroup.remove(group);
        } else {
            groupOfRule.put(change.id(), group);
            rulesByGroup.computeIfAbsent(group, g -> new HashMap<>()).put(change.id(), ResourceCodec.decode(change.after().doc()));
        }
        out.add(new TopologyChange.RulesChanged(group));
    }

    /** Puts or removes a resource; false when nothing changed (a stale or repeated event). */
    private static boolean replace(Map<String, Resource> copy, RowChange change) {
        Resource held = copy.get(change.id());
        if (change.after() == null) return copy.remove(change.id()) != null;
        Resource next = ResourceCodec.decode(change.after().doc());
        if (held != null && next.revision() != 0 && next.revision() <= held.revision()) return false;
        copy.put(change.id(), next);
        return !next.equals(held);
    }

    Resource network(String id) { return id == null ? null : networks.get(id); }

    Resource subnet(String id) { return id == null ? null : subnets.get(id); }

    List<Resource> rulesOf(String groupId) {
        Map<String, Resource> rules = rulesByGroup.get(groupId);
        return rules == null ? List.of() : List.copyOf(rules.values());
    }

    Resource routerOfSubnet(String subnetId) {
        String router = routerOfSubnet.get(subnetId);
        return router == null ? null : routers.get(router);
    }

    /** A host's tunnel endpoint, or null when the host is not registered. */
    String hostIp(String hostId) {
        Resource host = hosts.get(hostId);
        return host == null ? null : host.string("host_ip");
    }

    PortRecord port(String id) { return ports.get(id); }

    /** The ports bound to a host, in no particular order. */
    Collection<PortRecord> portsOn(String hostId) {
        Set<String> ids = portsByHost.get(hostId);
        if (ids == null) return List.of();
        List<PortRecord> out = new ArrayList<>(ids.size());
        for (String id : ids) out.add(ports.get(id));
        return out;
    }

    int portCount() { return ports.size(); }

    Collection<PortRecord> ports() { return ports.values(); }

    /** Rows that could not be decoded since the load (logged one by one). */
    long undecodable() { return undecodable; }
}
