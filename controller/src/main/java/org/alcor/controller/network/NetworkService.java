package org.alcor.controller.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.NewResources;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.mac.MacAllocator;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.segment.VniAllocator;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.subnet.SubnetDeleteHook;

/** Networks (VPCs): each gets a VXLAN VNI of its own; deleting one frees its subnets, MACs and VNI. */
public final class NetworkService implements CollectionService {
    public static final int VXLAN_MTU = 1450;

    private final ResourceRepository networks;
    private final ResourceRepository subnets;
    private final ResourceRepository ports;
    private final WriteBatcher writes;
    private final VniAllocator vnis;
    private final IpAllocator ips;
    private final MacAllocator macs;
    private final QuotaService quotas;
    private final List<SubnetDeleteHook> subnetDeleteHooks;

    /** subnetDeleteHooks run for each subnet a network delete takes with it, as they do for a subnet delete. */
    public NetworkService(ResourceRepository networks, ResourceRepository subnets, ResourceRepository ports,
                          WriteBatcher writes, VniAllocator vnis, IpAllocator ips, MacAllocator macs, QuotaService quotas,
                          List<SubnetDeleteHook> subnetDeleteHooks) {
        this.quotas = quotas;
        this.subnetDeleteHooks = List.copyOf(subnetDeleteHooks);
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
        this.writes = writes;
        this.vnis = vnis;
        this.ips = ips;
        this.macs = macs;
    }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        List<Map<String, Object>> prepared = new ArrayList<>();
        for (Map<String, Object> item : items) prepared.add(prepare(caller, item));
        var locks = prepared.stream().map(a -> QuotaService.lock((String) a.get("project_id"))).distinct().toList();
        return writes.submit((String) prepared.getFirst().get("id"), prepared.size(), locks, tx -> {
            List<Resource> created = new ArrayList<>();
            for (Map<String, Object> attrs : prepared) {
                quotas.reserve(tx, (String) attrs.get("project_id"), "network", 1);
                created.add(networks.insert(tx, withSegment(tx, attrs)));
            }
            return created;
        });
    }

    private Map<String, Object> prepare(Caller caller, Map<String, Object> item) {
        requireAdminFor(caller, item, "shared", Boolean.TRUE);
        requireAdminFor(caller, item, "router:external", Boolean.TRUE);
        for (String provider : List.of("provider:network_type", "provider:segmentation_id", "provider:physical_network")) {
            requireAdminFor(caller, item, provider, null);
        }
        Object type = item.getOrDefault("provider:network_type", "vxlan");
        if (!"vxlan".equals(type)) {
            throw AlcorException.invalidOperation("network type " + type + " is not supported, only vxlan");
        }
        Map<String, Object> attrs = NewResources.standard(caller, item);
        attrs.put("admin_state_up", true);
        attrs.put("status", "ACTIVE");
        attrs.put("shared", false);
        attrs.put("mtu", VXLAN_MTU);
        attrs.put("subnets", List.of());
        attrs.put("provider:network_type", "vxlan");
        attrs.put("provider:physical_network", null);
        attrs.put("router:external", false);
        attrs.put("port_security_enabled", true);
        attrs.put("availability_zone_hints", List.of());
        attrs.put("availability_zones", List.of());
        attrs.put("ipv4_address_scope", null);
        attrs.put("ipv6_address_scope", null);
        attrs.put("l2_adjacency", true);
        attrs.put("is_default", false);
        NewResources.withRequested(attrs, item);
        checkMtu(attrs.get("mtu"));
        return attrs;
    }

    /** Neutron's policy: only admins may set these attributes (to a non-default value, where one is given). */
    static void requireAdminFor(Caller caller, Map<String, Object> item, String attribute, Object restricted) {
        if (caller.admin() || !item.containsKey(attribute)) return;
        if (restricted == null || restricted.equals(item.get(attribute))) {
            throw AlcorException.forbidden("(rule:create_network and rule:create_network:" + attribute + ") is disallowed by policy");
        }
    }

    private static void checkMtu(Object mtu) {
        int value = ((Number) mtu).intValue();
        if (value > VXLAN_MTU) {
            throw AlcorException.invalidOperation("Requested MTU is too big, maximum is " + VXLAN_MTU);
        }
        if (value < 68) throw AlcorException.invalidOperation("Requested MTU is too small, minimum is 68");
    }

    private Resource withSegment(StoreTx tx, Map<String, Object> attrs) {
        Object requested = attrs.get("provider:segmentation_id");
        long vni;
        if (requested != null) {
            vni = ((Number) requested).longValue();
            if (!vnis.range().contains(vni)) {
                throw AlcorException.invalidOperation("segmentation_id " + vni + " is outside the VXLAN range "
                        + vnis.range().first() + ":" + vnis.range().last());
            }
            if (!vnis.claim(tx, vni)) {
                throw AlcorException.conflict("TunnelIdInUse", "Unable to create the network. The tunnel ID " + vni + " is in use.");
            }
        } else {
            vni = vnis.allocate(tx, (String) attrs.get("project_id")).orElseThrow(() -> new AlcorException(ErrorCode.UNAVAILABLE, "NoNetworkAvailable",
                    "Unable to create the network. No tenant network is available for allocation."));
        }
        var withVni = new LinkedHashMap<>(attrs);
        withVni.put("provider:segmentation_id", vni);
        return new Resource(withVni);
    }

    @Override public Resource show(Caller caller, String id) { return networks.show(caller, id); }

    @Override public ListPage list(Caller caller, ListQuery query) { return networks.list(caller, query); }

    @Override public Iterator<Resource> listAll(Caller caller, ListQuery query) { return networks.listAll(caller, query); }

    @Override
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        requireAdminFor(caller, changes, "shared", null);
        requireAdminFor(caller, changes, "router:external", null);
        if (changes.containsKey("mtu")) checkMtu(changes.get("mtu"));
        return writes.submit(id, 1, tx -> {
            Resource before = networks.requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            Resource after = networks.update(tx, before, before.with(changes));
            if (before.bool("router:external") && !after.bool("router:external")) requireNoGatewayPorts(tx, before);
            if (before.bool("shared") != after.bool("shared")) {
                if (!after.bool("shared")) requireUsedByOwnerOnly(tx, before);
                mirrorSharedToSubnets(tx, after);
            }
            return after;
        });
    }

    /**
     * Neutron's InvalidSharedSetting: a network stays shared while another project has a port or subnet on it,
     * or that project would hold resources on a network it can no longer see.
     */
    private void requireUsedByOwnerOnly(StoreTx tx, Resource network) {
        String owner = network.projectId();
        boolean others = ports.findInTx(tx, Column.NETWORK, network.id()).stream().anyMatch(p -> !owner.equals(p.projectId()))
                || subnets.getAll(tx, network.list("subnets")).values().stream().anyMatch(s -> !owner.equals(s.projectId()));
        if (others) {
            throw AlcorException.conflict("InvalidSharedSetting", "Unable to reconfigure sharing settings for network "
                    + network.string("name") + ". Multiple tenants are using it.");
        }
    }

    /** Neutron's ExternalNetworkInUse: router gateways and floating IPs need the network to stay external. */
    private void requireNoGatewayPorts(StoreTx tx, Resource network) {
        boolean used = ports.findInTx(tx, Column.NETWORK, network.id()).stream()
                .anyMatch(p -> List.of("network:router_gateway", "network:floatingip").contains(p.string("device_owner")));
        if (used) {
            throw AlcorException.conflict("ExternalNetworkInUse", "External network " + network.id()
                    + " cannot be updated to be made non-external, since it has existing gateway ports.");
        }
    }

    /** Subnets of a shared network are visible to every project: their rows carry the flag for the index. */
    private void mirrorSharedToSubnets(StoreTx tx, Resource network) {
        subnets.getAll(tx, network.list("subnets")).values()
                .forEach(s -> subnets.update(tx, s, s.with("shared", network.bool("shared"))));
    }

    @Override
    public void delete(Caller caller, String id) {
        Resource current = networks.show(caller, id);
        writes.submit(id, 1, List.of(QuotaService.lock(current.projectId())), tx -> {
            Resource network = networks.requireOwned(tx, caller, id);
            quotas.release(tx, network.projectId(), "network", 1);
            if (!ports.findInTx(tx, Column.NETWORK, id).isEmpty()) {
                throw AlcorException.conflict("NetworkInUse", "Unable to complete operation on network " + id
                        + ". There are one or more ports still in use on the network.");
            }
            for (Resource subnet : subnets.getAll(tx, network.list("subnets")).values()) {
                // An admin's subnet on another project's network counts against its own project (rare: locked late).
                quotas.release(tx, subnet.projectId(), "subnet", 1);
            }
            for (String subnetId : network.<String>list("subnets")) {
                subnets.get(tx, subnetId).ifPresent(s -> subnetDeleteHooks.forEach(hook -> hook.beforeDelete(tx, s)));
                ips.releaseAll(tx, subnetId);
                subnets.delete(tx, subnetId);
            }
            macs.releaseAll(tx, id);
            Object vni = network.get("provider:segmentation_id");
            if (vni != null) vnis.release(tx, ((Number) vni).longValue());
            networks.delete(tx, id);
            return null;
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        return writes.submit(id, 1, tx -> networks.updateTags(tx, caller, id, change));
    }
}
