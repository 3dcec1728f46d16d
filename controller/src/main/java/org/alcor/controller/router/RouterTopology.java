package org.alcor.controller.router;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.Table;

/**
 * What the data plane needs of routers, read from committed state by key (never a scan): a router's gateway,
 * interfaces and routes in one read of its document, and a subnet's router in one read of its link.
 */
public final class RouterTopology {
    /** An extra route of a router. */
    public record Route(String destination, String nexthop) {}

    /** The external gateway: the port holding the router's external address(es) on the external network. */
    public record Gateway(String networkId, String portId, boolean enableSnat, List<Map<String, Object>> fixedIps) {}

    /** A router as the data plane sees it. */
    public record RouterState(String id, String projectId, boolean adminStateUp, Optional<Gateway> gateway,
                              List<RouterInterface> interfaces, List<Route> routes) {}

    private final Store store;
    private final SubnetRouterLinks links;

    public RouterTopology(Store store) {
        this.store = store;
        this.links = new SubnetRouterLinks(store);
    }

    public Optional<RouterState> router(String routerId) {
        return store.get(Table.ROUTERS, routerId).map(ResourceRepository::decode).map(RouterTopology::state);
    }

    /** The router a subnet is attached to, with its interface port and the router's external network. */
    public Optional<SubnetRouterLink> routerOfSubnet(String subnetId) { return links.get(subnetId); }

    @SuppressWarnings("unchecked")
    private static RouterState state(Resource r) {
        Optional<Gateway> gateway = Optional.ofNullable((Map<String, Object>) r.get("external_gateway_info"))
                .map(g -> new Gateway((String) g.get("network_id"), r.string("gw_port_id"), !Boolean.FALSE.equals(g.get("enable_snat")),
                        (List<Map<String, Object>>) g.getOrDefault("external_fixed_ips", List.of())));
        List<Route> routes = r.<Map<String, Object>>list("routes").stream()
                .map(m -> new Route((String) m.get("destination"), (String) m.get("nexthop"))).toList();
        return new RouterState(r.id(), r.projectId(), r.bool("admin_state_up"), gateway, RouterInterface.of(r), routes);
    }
}
