package org.alcor.controller.router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.port.PortService;
import org.alcor.controller.store.StoreTx;

/**
 * A router's external gateway: a port on a {@code router:external} network (device_owner network:router_gateway,
 * device_id the router) holding the router's external address. It is created, moved and freed in the transaction
 * that changes {@code external_gateway_info}, so a router never shows a gateway whose address is not held.
 */
final class RouterGateways {
    static final String OWNER = "network:router_gateway";

    private final ResourceRepository networks;
    private final ResourceRepository ports;
    private final PortService portService;
    private final SubnetRouterLinks links;

    RouterGateways(ResourceRepository networks, ResourceRepository ports, PortService portService, SubnetRouterLinks links) {
        this.networks = networks;
        this.ports = ports;
        this.portService = portService;
        this.links = links;
    }

    /** The router with its gateway as requested: null or {} clears it; the same network keeps the port unless addresses are asked for. */
    @SuppressWarnings("unchecked")
    Resource apply(StoreTx tx, Caller caller, Resource router, Map<String, Object> requested) {
        Map<String, Object> current = (Map<String, Object>) router.get("external_gateway_info");
        String wanted = requested == null ? null : (String) requested.get("network_id");
        String currentNetwork = current == null ? null : (String) current.get("network_id");
        if (wanted == null) {
            if (current == null) return router;
            refuseIfFloatingIpsNeedIt(tx, router, currentNetwork);
            release(tx, router);
            return withGatewayNetwork(tx, router, null).with(Map.of("gw_port_id", "")).with("external_gateway_info", null);
        }
        boolean snat = requested.get("enable_snat") instanceof Boolean b ? b
                : current == null || !Boolean.FALSE.equals(current.get("enable_snat"));
        if (wanted.equals(currentNetwork) && !requested.containsKey("external_fixed_ips")) {
            Map<String, Object> info = new LinkedHashMap<>(current);
            info.put("enable_snat", snat);
            return router.with("external_gateway_info", info);
        }
        if (currentNetwork != null && !wanted.equals(currentNetwork)) refuseIfFloatingIpsNeedIt(tx, router, currentNetwork);
        requireExternal(tx, caller, wanted);
        release(tx, router);
        Map<String, Object> port = new LinkedHashMap<>();
        port.put("network_id", wanted);
        port.put("project_id", "");
        port.put("device_id", router.id());
        port.put("device_owner", OWNER);
        if (requested.get("external_fixed_ips") != null) port.put("fixed_ips", requested.get("external_fixed_ips"));
        Resource gw = portService.createIn(tx, Caller.admin(caller.requestId()), port);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("network_id", wanted);
        info.put("enable_snat", snat);
        info.put("external_fixed_ips", gw.list("fixed_ips"));
        Resource changed = router.with(Map.of("gw_port_id", gw.id())).with("external_gateway_info", info);
        return Objects.equals(currentNetwork, wanted) ? changed : withGatewayNetwork(tx, changed, wanted);
    }

    /** Frees the gateway port (router delete, gateway cleared or moved). */
    void release(StoreTx tx, Resource router) {
        String portId = router.string("gw_port_id");
        if (portId == null || portId.isEmpty()) return;
        ports.get(tx, portId).ifPresent(port -> portService.deleteIn(tx, port));
    }

    private void requireExternal(StoreTx tx, Caller caller, String networkId) {
        Resource network = networks.get(tx, networkId).filter(n -> ResourceRepository.visible(caller, n))
                .orElseThrow(() -> AlcorException.notFound("Network", networkId));
        if (!network.bool("router:external")) throw RouterErrors.badRequest("Network " + networkId + " is not an external network");
    }

    /** A floating IP reaches its port through this router's gateway: the gateway must stay where it is. */
    private void refuseIfFloatingIpsNeedIt(StoreTx tx, Resource router, String networkId) {
        for (RouterInterface i : RouterInterface.of(router)) {
            if (links.get(tx, i.subnetId()).map(l -> !l.floatingIpIds().isEmpty()).orElse(false)) {
                throw AlcorException.conflict("RouterExternalGatewayInUseByFloatingIp", "Gateway cannot be updated for router "
                        + router.id() + ", since a gateway to external network " + networkId + " is required by one or more floating IPs.");
            }
        }
    }

    /** The links of the router's subnets carry its external network (floating IP association reads it there). */
    private Resource withGatewayNetwork(StoreTx tx, Resource router, String networkId) {
        for (RouterInterface i : RouterInterface.of(router)) {
            links.get(tx, i.subnetId()).ifPresent(l -> links.put(tx, l.withGatewayNetwork(networkId)));
        }
        return router;
    }
}
