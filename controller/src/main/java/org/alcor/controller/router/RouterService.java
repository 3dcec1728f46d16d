package org.alcor.controller.router;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.NewResources;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.port.PortService;
import org.alcor.controller.store.StoreTx;

/**
 * Routers: an external gateway, interfaces on subnets, extra routes. Every change of one router runs in that
 * router's write lane and one transaction with the ports it creates or frees. The document keeps, beside what the
 * API shows, {@code interfaces} (subnet, port, address, MAC, CIDR each) and {@code gw_port_id}.
 */
public final class RouterService implements CollectionService {
    private final ResourceRepository routers;
    private final ResourceRepository subnets;
    private final WriteBatcher writes;
    private final RouterGateways gateways;
    private final RouterInterfaces interfaces;
    private final QuotaService quotas;

    public RouterService(ResourceRepository routers, ResourceRepository networks, ResourceRepository subnets, ResourceRepository ports,
                         PortService portService, SubnetRouterLinks links, WriteBatcher writes, QuotaService quotas) {
        this.routers = routers;
        this.quotas = quotas;
        this.subnets = subnets;
        this.writes = writes;
        this.gateways = new RouterGateways(networks, ports, portService, links);
        this.interfaces = new RouterInterfaces(networks, subnets, ports, portService, links);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        List<Map<String, Object>> prepared = items.stream().map(item -> prepare(caller, item)).toList();
        var locks = prepared.stream().map(a -> QuotaService.lock((String) a.get("project_id"))).distinct().toList();
        return writes.submit((String) prepared.getFirst().get("id"), prepared.size(), locks, tx -> {
            List<Resource> created = new ArrayList<>();
            for (Map<String, Object> attrs : prepared) {
                quotas.reserve(tx, (String) attrs.get("project_id"), "router", 1);
                Resource router = new Resource(attrs).with("external_gateway_info", null);
                Object gateway = attrs.get("external_gateway_info");
                if (gateway != null) router = gateways.apply(tx, caller, router, (Map<String, Object>) gateway);
                created.add(routers.insert(tx, router));
            }
            return created;
        });
    }

    private static Map<String, Object> prepare(Caller caller, Map<String, Object> item) {
        Map<String, Object> attrs = NewResources.standard(caller, item);
        attrs.put("admin_state_up", true);
        attrs.put("status", "ACTIVE");
        attrs.put("external_gateway_info", null);
        attrs.put("routes", List.of());
        attrs.put("availability_zone_hints", List.of());
        attrs.put("availability_zones", List.of());
        attrs.put("interfaces", List.of());
        attrs.put("gw_port_id", "");
        return NewResources.withRequested(attrs, item);
    }

    @Override public Resource show(Caller caller, String id) { return routers.show(caller, id); }

    @Override public ListPage list(Caller caller, ListQuery query) { return routers.list(caller, query); }

    @Override public Iterator<Resource> listAll(Caller caller, ListQuery query) { return routers.listAll(caller, query); }

    @Override
    @SuppressWarnings("unchecked")
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        return writes.submit(id, 1, tx -> {
            Resource before = routers.requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            Resource after = before;
            for (var change : changes.entrySet()) {
                switch (change.getKey()) {
                    case "external_gateway_info" -> after = gateways.apply(tx, caller, after, (Map<String, Object>) change.getValue());
                    case "routes" -> after = after.with("routes", ExtraRoutes.validated(id, (List<Map<String, Object>>) change.getValue(),
                            RouterInterface.of(after)));
                    default -> after = after.with(change.getKey(), change.getValue());
                }
            }
            return routers.update(tx, before, after);
        });
    }

    /** extraroute-atomic: adds routes (those already present once), validated against the interfaces as a whole. */
    public Resource addRoutes(Caller caller, String id, List<Map<String, Object>> routes) {
        return changeRoutes(caller, id, current -> ExtraRoutes.plus(current, routes));
    }

    /** extraroute-atomic: removes routes; routes the router does not have are ignored. */
    public Resource removeRoutes(Caller caller, String id, List<Map<String, Object>> routes) {
        return changeRoutes(caller, id, current -> ExtraRoutes.minus(current, routes));
    }

    private Resource changeRoutes(Caller caller, String id, UnaryOperator<List<Map<String, Object>>> change) {
        return writes.submit(id, 1, tx -> {
            Resource before = routers.requireOwned(tx, caller, id);
            List<Map<String, Object>> routes = ExtraRoutes.validated(id, change.apply(before.list("routes")), RouterInterface.of(before));
            return routers.update(tx, before, before.with("routes", routes));
        });
    }

    public Map<String, Object> addInterface(Caller caller, String id, String subnetId, String portId) {
        String subnetNetwork = subnetId == null ? null : networkOf(caller, subnetId);
        return writes.submit(id, 1, tx -> apply(tx, caller, id, router -> interfaces.add(tx, caller, router, subnetId, portId, subnetNetwork)));
    }

    /** A committed read outside any transaction (inside one, a read locks): the subnet's network, if it exists. */
    private String networkOf(Caller caller, String subnetId) {
        try {
            return subnets.show(Caller.admin(caller.requestId()), subnetId).string("network_id");
        } catch (AlcorException e) {
            return null;
        }
    }

    public Map<String, Object> removeInterface(Caller caller, String id, String subnetId, String portId) {
        // Removing an interface deletes its port, which gives its project a unit back if it took one (a port made
        // through the API, then taken as the interface): the project's quota row is locked as for any counted write.
        var locks = List.of(QuotaService.lock(routers.show(caller, id).projectId()));
        return writes.submit(id, 1, locks, tx -> apply(tx, caller, id, router -> interfaces.remove(tx, caller, router, subnetId, portId)));
    }

    private Map<String, Object> apply(StoreTx tx, Caller caller, String id, java.util.function.Function<Resource, RouterInterfaces.Change> change) {
        Resource before = routers.requireOwned(tx, caller, id);
        RouterInterfaces.Change done = change.apply(before);
        routers.update(tx, before, done.router());
        return done.response();
    }

    @Override
    public void delete(Caller caller, String id) {
        writes.submit(id, 1, List.of(QuotaService.lock(routers.show(caller, id).projectId())), tx -> {
            Resource router = routers.requireOwned(tx, caller, id);
            if (!RouterInterface.of(router).isEmpty()) throw RouterErrors.routerInUse(id);
            gateways.release(tx, router);
            routers.delete(tx, id);
            quotas.release(tx, router.projectId(), "router", 1);
            return null;
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        return writes.submit(id, 1, tx -> routers.updateTags(tx, caller, id, change));
    }
}
