package org.alcor.controller.port;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
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
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.mac.MacAddress;
import org.alcor.controller.mac.MacAllocator;
import org.alcor.controller.node.HostService;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.securitygroup.PortSecurityGroups;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.StoreTx;

/**
 * Ports: a MAC and fixed IPs in a network, bound to a host. Every create, single or bulk, is one transaction
 * that allocates and writes; concurrent single creates on a VPC share transactions through the batcher.
 * A port stays DOWN until its host has programmed it.
 */
public final class PortService implements CollectionService {
    /** Ports that belong to a router or floating IP: only removing the interface, gateway or floating IP frees them. */
    private static final Set<String> SERVICE_OWNERS = Set.of("network:router_interface", "network:router_gateway", "network:floatingip");
    /**
     * Whether the port took one of its project's port quota, kept in its row (not a declared attribute: never shown,
     * never filtered on) so that its deletion gives back exactly what its creation took, whatever owner it has by then
     * (a port made through the API and then taken as a router interface was counted; one a router made was not).
     */
    private static final String QUOTA_COUNTED = "alcor:quota_counted";

    private final ResourceRepository ports;
    private final ResourceRepository networks;
    private final ResourceRepository subnets;
    private final WriteBatcher writes;
    private final MacAllocator macs;
    private final FixedIpResolver fixedIps;
    private final HostService hosts;
    private final List<PortDeleteHook> deleteHooks;
    private final QuotaService quotas;
    private final PortSecurityGroups securityGroups;

    public PortService(ResourceRepository ports, ResourceRepository networks, ResourceRepository subnets,
                       WriteBatcher writes, IpAllocator ips, MacAllocator macs, HostService hosts, List<PortDeleteHook> deleteHooks,
                       QuotaService quotas, PortSecurityGroups securityGroups) {
        this.hosts = hosts;
        this.deleteHooks = List.copyOf(deleteHooks);
        this.quotas = quotas;
        this.securityGroups = securityGroups;
        this.ports = ports;
        this.networks = networks;
        this.subnets = subnets;
        this.writes = writes;
        this.macs = macs;
        this.fixedIps = new FixedIpResolver(ips);
    }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        List<Map<String, Object>> prepared = new ArrayList<>();
        Set<LockKey> locks = new HashSet<>();
        List<Map<String, Object>> requested = new ArrayList<>();
        for (Map<String, Object> item : items) {
            Map<String, Object> attrs = prepare(caller, item);
            requested.add(item);
            locks.add(QuotaService.lock((String) attrs.get("project_id")));
            locks.addAll(PortSecurityGroups.locks((String) attrs.get("project_id"), requestedGroups(attrs)));
            prepared.add(attrs);
        }
        prepared.stream().map(p -> (String) p.get("binding:host_id")).distinct().forEach(hosts::requireRegistered);
        return writes.submit((String) prepared.getFirst().get("network_id"), prepared.size(), locks, tx -> {
            List<Resource> created = new ArrayList<>(prepared.size());
            for (int i = 0; i < prepared.size(); i++) created.add(insert(tx, caller, prepared.get(i), requested.get(i)));
            return created;
        });
    }

    /**
     * Creates a port inside a transaction another service runs (router interfaces and gateways, floating IPs), with
     * the same defaults and allocation as a POST, so the port and what owns it commit together or not at all.
     */
    public Resource createIn(StoreTx tx, Caller caller, Map<String, Object> item) {
        // The owning service decided (a router's interface, a floating IP's port): the request policy is not the user's.
        return insert(tx, caller, prepare(caller, new LinkedHashMap<>(item)), null);
    }

    /** Deletes a port inside another service's transaction, freeing its addresses and MAC. */
    public void deleteIn(StoreTx tx, Resource port) {
        if (countedAgainstQuota(port)) quotas.release(tx, port.projectId(), "port", 1);
        securityGroups.leave(tx, port);
        var networkSubnets = subnets.getAll(tx, port.<Map<String, Object>>list("fixed_ips").stream()
                .map(ip -> (String) ip.get("subnet_id")).distinct().toList());
        fixedIps.release(tx, networkSubnets, port.list("fixed_ips"));
        macs.release(tx, port.string("network_id"), MacAddress.parse(port.string("mac_address")).orElseThrow());
        ports.delete(tx, port.id());
    }

    private static Map<String, Object> prepare(Caller caller, Map<String, Object> item) {
        if (item.get("network_id") == null) throw AlcorException.badRequest("Failed to parse request. Required attribute 'network_id' not specified");
        Map<String, Object> attrs = NewResources.standard(caller, item);
        attrs.put("network_id", item.get("network_id"));
        attrs.put("admin_state_up", true);
        attrs.put("status", "DOWN");
        attrs.put("device_id", "");
        attrs.put("device_owner", "");
        attrs.put("binding:host_id", "");
        attrs.put("binding:profile", Map.of());
        attrs.put("binding:vnic_type", "normal");
        attrs.put("binding:vif_type", "unbound");
        attrs.put("binding:vif_details", Map.of());
        attrs.put("allowed_address_pairs", List.of());
        attrs.put("extra_dhcp_opts", List.of());
        attrs.put("dns_name", "");
        return NewResources.withRequested(attrs, item);
    }

    @SuppressWarnings("unchecked")
    private Resource insert(StoreTx tx, Caller caller, Map<String, Object> attrs, Map<String, Object> requested) {
        String networkId = (String) attrs.get("network_id");
        Resource network = networks.require(tx, caller, networkId);
        if (!caller.canSee(network.projectId()) && !network.bool("shared")) {
            // Visible is not usable: every project sees external networks, but only the owner (or admin) puts ports on them.
            throw AlcorException.forbidden("(rule:create_port and rule:create_port:network_id) is disallowed by policy");
        }
        if (requested != null) PortPolicy.check(caller, "create_port", network, requested);
        var networkSubnets = subnets.getAll(tx, network.list("subnets"));
        attrs.put("fixed_ips", fixedIps.allocate(tx, networkId, networkSubnets.values(), (List<Map<String, Object>>) attrs.get("fixed_ips")));
        attrs.put("mac_address", macFor(tx, networkId, (String) attrs.get("mac_address")).toString());
        attrs.putIfAbsent("port_security_enabled", network.bool("port_security_enabled"));
        List<String> requestedGroups = requestedGroups(attrs);
        attrs.put("security_groups", List.of());
        checkPortSecurity(new Resource(attrs).with("security_groups", requestedGroups == null ? List.of() : requestedGroups));
        attrs.put("security_groups", securityGroups.forNewPort(tx, caller, new Resource(attrs), requestedGroups));
        // Ports that routers and floating IPs make inside their transactions (which hold no quota lock) belong to the
        // service, as their empty project shows for gateways: they count against no port quota. A port made through
        // the API counts, whatever device owner it claims (an admin may give one of the services').
        boolean counted = requested != null || !SERVICE_OWNERS.contains(attrs.get("device_owner"));
        attrs.put(QUOTA_COUNTED, counted);
        Resource port = new Resource(attrs);
        if (counted) quotas.reserve(tx, port.projectId(), "port", 1);
        Resource inserted = ports.insert(tx, withPairMacs(port));
        securityGroups.join(tx, inserted);
        return inserted;
    }

    /** The groups a create asked for, or null when it named none (and the default group may apply). */
    @SuppressWarnings("unchecked")
    private static List<String> requestedGroups(Map<String, Object> attrs) {
        return (List<String>) attrs.get("security_groups");
    }

    private MacAddress macFor(StoreTx tx, String networkId, String requested) {
        if (requested == null) {
            return new MacAddress(macs.allocate(tx, networkId).orElseThrow(() -> AlcorException.conflict("MacAddressGenerationFailure",
                    "Unable to generate unique mac on network " + networkId + ".")));
        }
        MacAddress mac = MacAddress.parse(requested).orElseThrow();
        if (!macs.claim(tx, networkId, mac)) {
            throw AlcorException.conflict("MacAddressInUse", "Unable to complete operation for network " + networkId
                    + ". The mac address " + mac + " is in use.");
        }
        return mac;
    }

    private static boolean isServicePort(Resource port) { return SERVICE_OWNERS.contains(port.string("device_owner")); }

    /** Rows written before the marker existed were counted unless they had a service owner, as then decided. */
    private static boolean countedAgainstQuota(Resource port) {
        Object counted = port.get(QUOTA_COUNTED);
        return counted instanceof Boolean b ? b : !isServicePort(port);
    }

    /** Security groups and address pairs filter traffic, so they need port security on. */
    private static void checkPortSecurity(Resource port) {
        if (port.bool("port_security_enabled")) return;
        if (!port.list("security_groups").isEmpty()) {
            throw AlcorException.conflict("PortSecurityAndIPRequiredForSecurityGroups",
                    "Port security must be enabled and port must have an IP address in order to use security groups.");
        }
        if (!port.list("allowed_address_pairs").isEmpty()) {
            throw AlcorException.conflict("AddressPairAndPortSecurityRequired",
                    "Port Security must be enabled in order to have allowed address pairs on a port.");
        }
    }

    /** An address pair without a MAC means the port's own MAC. */
    private static Resource withPairMacs(Resource port) {
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (Map<String, Object> pair : port.<Map<String, Object>>list("allowed_address_pairs")) {
            Map<String, Object> p = new LinkedHashMap<>(pair);
            p.putIfAbsent("mac_address", port.string("mac_address"));
            pairs.add(p);
        }
        return port.with("allowed_address_pairs", pairs);
    }

    @Override public Resource show(Caller caller, String id) { return ports.show(caller, id); }

    @Override public ListPage list(Caller caller, ListQuery query) { return ports.list(caller, query); }

    @Override public Iterator<Resource> listAll(Caller caller, ListQuery query) { return ports.listAll(caller, query); }

    @Override
    @SuppressWarnings("unchecked")
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        Resource current = ports.show(caller, id);
        String networkId = current.string("network_id");
        List<String> groups = (List<String>) changes.get("security_groups");
        List<LockKey> locks = groups == null ? List.of() : PortSecurityGroups.locks(current.projectId(), groups);
        return writes.submit(networkId, 1, locks, tx -> {
            Resource before = ports.requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            PortPolicy.check(caller, "update_port", networks.require(tx, caller, networkId), changes);
            refuseServicePortChange(before, changes);
            Resource after = before.with(changes);
            if (groups != null) after = after.with("security_groups", securityGroups.validated(tx, caller, before, groups));
            if (changes.containsKey("fixed_ips")) {
                after = after.with("fixed_ips", reallocate(tx, caller, before, (List<Map<String, Object>>) changes.get("fixed_ips")));
            }
            if (changes.containsKey("mac_address") && !before.string("mac_address").equals(changes.get("mac_address"))) {
                macs.release(tx, networkId, MacAddress.parse(before.string("mac_address")).orElseThrow());
                after = after.with("mac_address", macFor(tx, networkId, (String) changes.get("mac_address")).toString());
            }
            checkPortSecurity(after);
            if (!before.string("binding:host_id").equals(after.string("binding:host_id"))) {
                hosts.requireRegistered(after.string("binding:host_id"));
                after = PortStatus.unbound(after);
            }
            securityGroups.move(tx, before, after);
            return ports.update(tx, before, withPairMacs(after));
        });
    }

    /** A router's or floating IP's port mirrors state kept by its owner: its owner, device and addresses change only through it. */
    private static void refuseServicePortChange(Resource port, Map<String, Object> changes) {
        if (!SERVICE_OWNERS.contains(port.string("device_owner"))) return;
        for (String key : List.of("device_id", "device_owner", "fixed_ips", "mac_address")) {
            if (changes.containsKey(key) && !java.util.Objects.equals(changes.get(key), port.get(key))) {
                throw AlcorException.conflict("ServicePortInUse", "Port " + port.id() + " has device owner " + port.string("device_owner")
                        + ": its " + key + " changes only through the router or floating IP that owns it.");
            }
        }
    }

    /** Keeps requested addresses the port already has, releases the rest, then allocates what is new. */
    private List<Map<String, Object>> reallocate(StoreTx tx, Caller caller, Resource port, List<Map<String, Object>> requested) {
        Resource network = networks.require(tx, caller, port.string("network_id"));
        var networkSubnets = subnets.getAll(tx, network.list("subnets"));
        List<Map<String, Object>> old = port.list("fixed_ips");
        List<Map<String, Object>> kept = new ArrayList<>(), released = new ArrayList<>(old), wanted = new ArrayList<>();
        for (Map<String, Object> entry : requested) {
            Map<String, Object> match = released.stream().filter(ip -> sameAddress(ip, entry)).findFirst().orElse(null);
            if (match != null) {
                released.remove(match);
                kept.add(match);
            } else {
                wanted.add(entry);
            }
        }
        fixedIps.release(tx, networkSubnets, released);
        kept.addAll(fixedIps.allocate(tx, port.string("network_id"), networkSubnets.values(), wanted));
        return kept;
    }

    /** A requested entry matches an existing address when its given ip (or, with no ip, its subnet) agrees. */
    private static boolean sameAddress(Map<String, Object> existing, Map<String, Object> requested) {
        Object ip = requested.get("ip_address"), subnet = requested.get("subnet_id");
        if (ip != null) return ip.equals(existing.get("ip_address")) && (subnet == null || subnet.equals(existing.get("subnet_id")));
        return subnet != null && subnet.equals(existing.get("subnet_id"));
    }

    @Override
    public void delete(Caller caller, String id) {
        Resource current = ports.show(caller, id);
        String networkId = current.string("network_id");
        writes.submit(networkId, 1, List.of(QuotaService.lock(current.projectId())), tx -> {
            Resource port = ports.requireOwned(tx, caller, id);
            if (SERVICE_OWNERS.contains(port.string("device_owner")) && !port.string("device_id").isEmpty()) {
                throw AlcorException.conflict("ServicePortInUse", "Port " + id + " cannot be deleted directly via the port API: has device owner "
                        + port.string("device_owner") + ".");
            }
            for (PortDeleteHook hook : deleteHooks) hook.beforeDelete(tx, port);
            deleteIn(tx, port);
            return null;
        });
    }

    /**
     * Applies what hosts reported about their ports, in one transaction per network. A report counts only while
     * the port is still bound to the reporting host: a late ack from the host a port left must not mark it ACTIVE.
     */
    public void applyReports(List<PortReport> reports) {
        Map<String, List<PortReport>> byNetwork = new LinkedHashMap<>();
        for (PortReport r : reports) {
            ports.committed(r.portId()).ifPresent(p -> byNetwork.computeIfAbsent(p.string("network_id"), k -> new ArrayList<>()).add(r));
        }
        byNetwork.forEach((networkId, group) -> writes.submit(networkId, group.size(), tx -> {
            for (PortReport r : group) {
                ports.get(tx, r.portId()).filter(p -> r.hostId().equals(p.string("binding:host_id")))
                        .ifPresent(p -> ports.update(tx, p, PortStatus.reported(p, r)));
            }
            return null;
        }));
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        String networkId = ports.show(caller, id).string("network_id");
        return writes.submit(networkId, 1, tx -> ports.updateTags(tx, caller, id, change));
    }
}
