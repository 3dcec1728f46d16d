package org.alcor.controller.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subnet's attachment to a router, stored under the subnet's id: the router, the interface port, the router's
 * external network (copied here so that associating a floating IP reads this row, not the router: one fewer lock)
 * and the floating IPs whose fixed address is on this subnet (so an interface in use is refused without a search).
 */
public record SubnetRouterLink(String subnetId, String networkId, String routerId, String projectId, String portId,
                               String gatewayNetworkId, List<String> floatingIpIds) {

    public SubnetRouterLink withGatewayNetwork(String networkId) {
        return new SubnetRouterLink(subnetId, this.networkId, routerId, projectId, portId, networkId, floatingIpIds);
    }

    public SubnetRouterLink withFloatingIp(String fipId, boolean present) {
        List<String> ids = new ArrayList<>(floatingIpIds);
        ids.remove(fipId);
        if (present) ids.add(fipId);
        return new SubnetRouterLink(subnetId, networkId, routerId, projectId, portId, gatewayNetworkId, List.copyOf(ids));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", subnetId);
        m.put("network_id", networkId);
        m.put("router_id", routerId);
        m.put("project_id", projectId);
        m.put("port_id", portId);
        m.put("gateway_network_id", gatewayNetworkId);
        m.put("floatingip_ids", floatingIpIds);
        return m;
    }

    @SuppressWarnings("unchecked")
    static SubnetRouterLink fromMap(Map<String, Object> m) {
        return new SubnetRouterLink((String) m.get("id"), (String) m.get("network_id"), (String) m.get("router_id"),
                (String) m.get("project_id"), (String) m.get("port_id"), (String) m.get("gateway_network_id"),
                List.copyOf((List<String>) m.getOrDefault("floatingip_ids", List.of())));
    }
}
