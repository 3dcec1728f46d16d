package org.alcor.controller.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.Resource;

/**
 * One interface of a router on one subnet: kept inside the router's document (attribute {@code interfaces}, not
 * rendered by the API) so that a router's interfaces are one key read for the goal-state builder.
 */
public record RouterInterface(String subnetId, String portId, String networkId, String ipAddress, String macAddress, String cidr) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subnet_id", subnetId);
        m.put("port_id", portId);
        m.put("network_id", networkId);
        m.put("ip_address", ipAddress);
        m.put("mac_address", macAddress);
        m.put("cidr", cidr);
        return m;
    }

    static RouterInterface fromMap(Map<String, Object> m) {
        return new RouterInterface((String) m.get("subnet_id"), (String) m.get("port_id"), (String) m.get("network_id"),
                (String) m.get("ip_address"), (String) m.get("mac_address"), (String) m.get("cidr"));
    }

    /** The interfaces stored in a router document. */
    public static List<RouterInterface> of(Resource router) {
        return router.<Map<String, Object>>list("interfaces").stream().map(RouterInterface::fromMap).toList();
    }

    static List<Map<String, Object>> toMaps(List<RouterInterface> interfaces) { return interfaces.stream().map(RouterInterface::toMap).toList(); }
}
