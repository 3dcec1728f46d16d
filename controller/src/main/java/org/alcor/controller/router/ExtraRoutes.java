package org.alcor.controller.router;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.ipam.Cidr;
import org.alcor.controller.ipam.IpAddress;

/**
 * A router's extra routes ({destination, nexthop}), validated as Neutron's extraroute does: a nexthop must be on
 * one of the router's interface subnets (else the router could not reach it) and must not be the router's own
 * address; at most {@link #MAX_ROUTES} routes (Neutron's max_routes default).
 */
final class ExtraRoutes {
    static final int MAX_ROUTES = 30;

    private ExtraRoutes() {}

    static List<Map<String, Object>> validated(String routerId, List<Map<String, Object>> routes, List<RouterInterface> interfaces) {
        List<Map<String, Object>> unique = List.copyOf(new LinkedHashSet<>(routes.stream().map(ExtraRoutes::canonical).toList()));
        if (unique.size() > MAX_ROUTES) {
            throw new AlcorException(ErrorCode.BAD_REQUEST, "RoutesExhausted", "Unable to complete operation for " + routerId
                    + ". The number of routes exceeds the maximum " + MAX_ROUTES + ".");
        }
        for (Map<String, Object> route : unique) {
            Cidr destination = Cidr.tryParse((String) route.get("destination")).orElseThrow();
            IpAddress nexthop = IpAddress.parse((String) route.get("nexthop")).orElseThrow();
            if (destination.version() != nexthop.version()) throw invalid(unique, "the nexthop is not of the destination's IP version");
            boolean connected = false;
            for (RouterInterface i : interfaces) {
                if (nexthop.toString().equals(i.ipAddress())) throw invalid(unique, "the nexthop is used by router");
                connected |= Cidr.tryParse(i.cidr()).map(c -> c.contains(nexthop)).orElse(false);
            }
            if (!connected) throw invalid(unique, "the nexthop is not connected with router");
        }
        return unique;
    }

    /** The routes with additions appended (duplicates once). */
    static List<Map<String, Object>> plus(List<Map<String, Object>> current, List<Map<String, Object>> added) {
        var all = new LinkedHashSet<Map<String, Object>>();
        current.forEach(r -> all.add(canonical(r)));
        added.forEach(r -> all.add(canonical(r)));
        return new ArrayList<>(all);
    }

    /** The routes without the removed ones; removing a route the router does not have is not an error (as Neutron). */
    static List<Map<String, Object>> minus(List<Map<String, Object>> current, List<Map<String, Object>> removed) {
        var gone = removed.stream().map(ExtraRoutes::canonical).toList();
        return current.stream().map(ExtraRoutes::canonical).filter(r -> !gone.contains(r)).toList();
    }

    /** True when a route of the list goes through an address of the cidr: that interface cannot be removed. */
    static boolean anyNexthopIn(List<Map<String, Object>> routes, String cidr) {
        Cidr c = Cidr.tryParse(cidr).orElseThrow();
        return routes.stream().anyMatch(r -> IpAddress.parse((String) r.get("nexthop")).map(c::contains).orElse(false));
    }

    private static Map<String, Object> canonical(Map<String, Object> route) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("destination", route.get("destination"));
        m.put("nexthop", route.get("nexthop"));
        return m;
    }

    private static AlcorException invalid(List<Map<String, Object>> routes, String reason) {
        return new AlcorException(ErrorCode.BAD_REQUEST, "InvalidRoutes", "Invalid format for routes: " + routes + ", " + reason + ".");
    }
}
