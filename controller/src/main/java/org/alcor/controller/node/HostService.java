package org.alcor.controller.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
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

/**
 * Compute hosts (Alcor's node registration): the id is the name ports bind to ({@code binding:host_id}), with
 * the host's underlay (tunnel endpoint) address that other hosts' neighbor entries point at. Admin only.
 * Agents also register themselves when they connect ({@link #registerFromAgent}).
 */
public final class HostService implements CollectionService {
    /** Host writes are rare and touch no VPC: one lane key for all of them keeps them ordered. */
    private static final String LANE = "hosts";

    private final ResourceRepository hosts;
    private final ResourceRepository ports;
    private final WriteBatcher writes;

    public HostService(ResourceRepository hosts, ResourceRepository ports, WriteBatcher writes) {
        this.hosts = hosts;
        this.ports = ports;
        this.writes = writes;
    }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        requireAdmin(caller);
        List<Map<String, Object>> prepared = new ArrayList<>();
        for (Map<String, Object> item : items) prepared.add(prepare(caller, item));
        return writes.submit(LANE, prepared.size(), tx -> {
            List<Resource> created = new ArrayList<>();
            for (Map<String, Object> attrs : prepared) {
                String id = (String) attrs.get("id");
                if (hosts.get(tx, id).isPresent()) throw AlcorException.conflict("HostExists", "Host " + id + " is already registered.");
                created.add(hosts.insert(tx, new Resource(attrs)));
            }
            return created;
        });
    }

    private static Map<String, Object> prepare(Caller caller, Map<String, Object> item) {
        if (item.get("id") == null) throw AlcorException.badRequest("Failed to parse request. Required attribute 'id' not specified");
        if (item.get("host_ip") == null) throw AlcorException.badRequest("Failed to parse request. Required attribute 'host_ip' not specified");
        return NewResources.withRequested(defaults(caller, item), item);
    }

    /** A new host's attributes before what was asked: no MAC, no agent endpoint, zone "nova" (Nova's default). */
    private static Map<String, Object> defaults(Caller caller, Map<String, Object> item) {
        Map<String, Object> attrs = NewResources.standard(caller, item);
        attrs.put("host_mac", null);
        attrs.put("agent_endpoint", "");
        attrs.put("availability_zone", "nova");
        return attrs;
    }

    /** Registers a connecting agent's host, or updates its underlay address; returns nothing when nothing changed. */
    public Optional<Resource> registerFromAgent(String hostId, String underlayIp) {
        return writes.submit(LANE, 1, tx -> {
            Optional<Resource> existing = hosts.get(tx, hostId);
            if (existing.isEmpty()) {
                Map<String, Object> attrs = defaults(Caller.admin("agent-" + hostId), Map.of());
                attrs.put("id", hostId);
                attrs.put("host_ip", underlayIp);
                return Optional.of(hosts.insert(tx, new Resource(attrs)));
            }
            Resource before = existing.get();
            if (underlayIp.isEmpty() || underlayIp.equals(before.string("host_ip"))) return Optional.empty();
            return Optional.of(hosts.update(tx, before, before.with("host_ip", underlayIp)));
        });
    }

    /**
     * A port may bind only to a registered host. A committed read, not a locked one: every port create of every
     * VPC on a host would otherwise queue on the host's row lock.
     */
    public void requireRegistered(String hostId) {
        if (hostId == null || hostId.isEmpty()) return;
        if (hosts.committed(hostId).isEmpty()) {
            throw AlcorException.invalidOperation("binding:host_id " + hostId + " is not a registered host");
        }
    }

    @Override
    public Resource show(Caller caller, String id) {
        requireAdmin(caller);
        return hosts.show(caller, id);
    }

    @Override
    public ListPage list(Caller caller, ListQuery query) {
        requireAdmin(caller);
        return hosts.list(caller, query);
    }

    @Override
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        requireAdmin(caller);
        return writes.submit(LANE, 1, tx -> {
            Resource before = hosts.requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            return hosts.update(tx, before, before.with(new LinkedHashMap<>(changes)));
        });
    }

    @Override
    public void delete(Caller caller, String id) {
        requireAdmin(caller);
        writes.submit(LANE, 1, tx -> {
            hosts.requireOwned(tx, caller, id);
            if (!ports.findInTx(tx, Column.HOST, id).isEmpty()) {
                throw AlcorException.conflict("HostInUse", "Host " + id + " still has ports bound to it.");
            }
            hosts.delete(tx, id);
            return null;
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        requireAdmin(caller);
        return writes.submit(LANE, 1, tx -> hosts.updateTags(tx, caller, id, change));
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.admin()) throw AlcorException.forbidden("rule:admin_only is disallowed by policy");
    }
}
