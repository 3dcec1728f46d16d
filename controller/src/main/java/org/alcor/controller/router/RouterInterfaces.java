package org.alcor.controller.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.ipam.Cidr;
import org.alcor.controller.port.PortService;
import org.alcor.controller.store.StoreTx;

/**
 * add_router_interface / remove_router_interface. By subnet, a new port holds the subnet's gateway_ip; by port, an
 * unattached port of the caller's is taken over. Either way, in one transaction: the port, the router's interface
 * list and the subnet → router link, which is one key per subnet and so what keeps a subnet on one router.
 */
final class RouterInterfaces {
    static final String OWNER = "network:router_interface";

    /** What changed: the router document after the change, and Neutron's response body. */
    record Change(Resource router, Map<String, Object> response) {}

    private final ResourceRepository networks;
    private final ResourceRepository subnets;
    private final ResourceRepository ports;
    private final PortService portService;
    private final SubnetRouterLinks links;

    RouterInterfaces(ResourceRepository networks, ResourceRepository subnets, ResourceRepository ports, PortService portService,
                     SubnetRouterLinks links) {
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
        this.portService = portService;
        this.links = links;
    }

    /**
     * subnetNetwork: the subnet's network as read before the transaction (null if unknown). It is locked before the
     * subnet, in a port create's lock order (network, then subnets): the other order deadlocks with port creates.
     */
    Change add(StoreTx tx, Caller caller, Resource router, String subnetId, String portId, String subnetNetwork) {
        requireOneOf(subnetId, portId);
        if (subnetNetwork != null) networks.get(tx, subnetNetwork);
        return subnetId != null ? addBySubnet(tx, caller, router, subnetId) : addByPort(tx, caller, router, portId);
    }

    private Change addBySubnet(StoreTx tx, Caller caller, Resource router, String subnetId) {
        Resource subnet = subnets.requireOwned(tx, caller, subnetId);
        if (subnet.get("gateway_ip") == null) throw RouterErrors.badRequest("Subnet for router interface must have a gateway IP");
        checkRouterTakes(router, subnet);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("network_id", subnet.string("network_id"));
        attrs.put("project_id", subnet.projectId());
        attrs.put("device_id", router.id());
        attrs.put("device_owner", OWNER);
        attrs.put("fixed_ips", List.of(Map.of("subnet_id", subnetId, "ip_address", subnet.string("gateway_ip"))));
        // As Neutron, a gateway address another router holds is IpAddressAlreadyAllocated, found by the port create.
        Resource port = portService.createIn(tx, Caller.admin(caller.requestId()), attrs);
        checkNotOnAnotherRouter(tx, subnet);
        return attach(tx, router, port, List.of(subnet));
    }

    private Change addByPort(StoreTx tx, Caller caller, Resource router, String portId) {
        Resource port = ports.requireOwned(tx, caller, portId);
        if (!port.string("device_id").isEmpty()) {
            throw AlcorException.conflict("PortInUse", "Unable to complete operation on port " + portId + " for network "
                    + port.string("network_id") + ". Port already has an attached device " + port.string("device_id") + ".");
        }
        List<Map<String, Object>> fixedIps = port.list("fixed_ips");
        if (fixedIps.isEmpty()) throw RouterErrors.badRequest("Router port must have at least one fixed IP");
        List<String> subnetIds = fixedIps.stream().map(ip -> (String) ip.get("subnet_id")).distinct().toList();
        List<Resource> attached = new ArrayList<>(subnets.getAll(tx, subnetIds).values());
        if (attached.stream().filter(s -> ((Number) s.get("ip_version")).intValue() == 4).count() > 1) {
            throw RouterErrors.badRequest("Cannot have multiple IPv4 subnets on router port");
        }
        for (Resource subnet : attached) {
            checkRouterTakes(router, subnet);
            checkNotOnAnotherRouter(tx, subnet);
        }
        Resource taken = ports.update(tx, port, port.with(Map.of("device_id", router.id(), "device_owner", OWNER)));
        return attach(tx, router, taken, attached);
    }

    /** Neutron refuses a second interface on one subnet and overlapping subnets on one router (it could not route them). */
    private static void checkRouterTakes(Resource router, Resource subnet) {
        Cidr cidr = Cidr.tryParse(subnet.string("cidr")).orElseThrow();
        for (RouterInterface i : RouterInterface.of(router)) {
            if (i.subnetId().equals(subnet.id())) throw RouterErrors.badRequest("Router already has a port on subnet " + subnet.id());
            if (Cidr.tryParse(i.cidr()).orElseThrow().overlaps(cidr)) {
                throw RouterErrors.badRequest("Cidr " + cidr + " of subnet " + subnet.id() + " overlaps with cidr " + i.cidr()
                        + " of subnet " + i.subnetId());
            }
        }
    }

    /** One subnet, one router: its link row is the lock that makes two concurrent attachments meet. */
    private void checkNotOnAnotherRouter(StoreTx tx, Resource subnet) {
        links.get(tx, subnet.id()).ifPresent(l -> { throw RouterErrors.attachedElsewhere(subnet.id(), l.routerId()); });
    }

    @SuppressWarnings("unchecked")
    private Change attach(StoreTx tx, Resource router, Resource port, List<Resource> attached) {
        List<RouterInterface> interfaces = new ArrayList<>(RouterInterface.of(router));
        String gatewayNetwork = router.get("external_gateway_info") instanceof Map<?, ?> gw ? (String) ((Map<String, Object>) gw).get("network_id") : null;
        for (Resource subnet : attached) {
            String ip = port.<Map<String, Object>>list("fixed_ips").stream().filter(f -> subnet.id().equals(f.get("subnet_id")))
                    .map(f -> (String) f.get("ip_address")).findFirst().orElseThrow();
            interfaces.add(new RouterInterface(subnet.id(), port.id(), subnet.string("network_id"), ip, port.string("mac_address"), subnet.string("cidr")));
            links.put(tx, new SubnetRouterLink(subnet.id(), subnet.string("network_id"), router.id(), router.projectId(), port.id(),
                    gatewayNetwork, List.of()));
        }
        Resource changed = router.with("interfaces", RouterInterface.toMaps(interfaces));
        return new Change(changed, response(router, port.id(), port.string("network_id"), attached.stream().map(Resource::id).toList()));
    }

    Change remove(StoreTx tx, Caller caller, Resource router, String subnetId, String portId) {
        if (subnetId == null && portId == null) throw RouterErrors.badRequest("Either subnet_id or port_id must be specified");
        List<RouterInterface> all = RouterInterface.of(router);
        String port = portId;
        if (port == null) {
            port = all.stream().filter(i -> i.subnetId().equals(subnetId)).map(RouterInterface::portId).findFirst()
                    .orElseThrow(() -> RouterErrors.noInterfaceForSubnet(router.id(), subnetId));
        }
        final String removedPort = port;
        List<RouterInterface> removed = all.stream().filter(i -> i.portId().equals(removedPort)).toList();
        if (removed.isEmpty()) throw RouterErrors.noInterfaceWithPort(router.id(), removedPort);
        if (subnetId != null && removed.stream().noneMatch(i -> i.subnetId().equals(subnetId))) {
            throw RouterErrors.noInterfaceForSubnet(router.id(), subnetId);
        }
        // Port before links: a floating IP association locks them in that order.
        var held = ports.get(tx, removedPort);
        for (RouterInterface i : removed) {
            if (links.get(tx, i.subnetId()).map(l -> !l.floatingIpIds().isEmpty()).orElse(false)) {
                throw RouterErrors.interfaceInUse("RouterInterfaceInUseByFloatingIP", i.subnetId(), router.id(), "floating IPs");
            }
            if (ExtraRoutes.anyNexthopIn(router.list("routes"), i.cidr())) {
                throw RouterErrors.interfaceInUse("RouterInterfaceInUseByRoute", i.subnetId(), router.id(), "routes");
            }
        }
        held.ifPresent(p -> portService.deleteIn(tx, p));
        removed.forEach(i -> links.remove(tx, i.subnetId()));
        List<RouterInterface> kept = all.stream().filter(i -> !i.portId().equals(removedPort)).toList();
        Resource changed = router.with("interfaces", RouterInterface.toMaps(kept));
        return new Change(changed, response(router, removedPort, removed.getFirst().networkId(),
                removed.stream().map(RouterInterface::subnetId).toList()));
    }

    private static void requireOneOf(String subnetId, String portId) {
        if (subnetId == null && portId == null) throw RouterErrors.badRequest("Either subnet_id or port_id must be specified");
        if (subnetId != null && portId != null) throw RouterErrors.badRequest("Cannot specify both subnet-id and port-id");
    }

    /** Neutron's body for both actions. */
    private static Map<String, Object> response(Resource router, String portId, String networkId, List<String> subnetIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", router.id());
        body.put("tenant_id", router.projectId());
        body.put("project_id", router.projectId());
        body.put("port_id", portId);
        body.put("network_id", networkId);
        body.put("subnet_id", subnetIds.getFirst());
        body.put("subnet_ids", subnetIds);
        return body;
    }
}
