package org.alcor.controller.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RouterExtraRoutesTest {
    static TestController controller;
    static NeutronClient admin;

    @BeforeAll static void start() {
        controller = TestController.start();
        admin = controller.admin();
    }

    @AfterAll static void stop() { controller.close(); }

    /** A router with an interface on a new subnet of the given cidr. */
    private static String routerOn(String cidr) {
        String networkId = (String) admin.createNetwork(Map.of("name", "n")).get("id");
        String subnetId = (String) admin.createSubnet(networkId, cidr).get("id");
        String id = (String) admin.post("/v2.0/routers", Map.of("router", Map.of("name", "r"))).member("router").get("id");
        assertEquals(200, admin.put("/v2.0/routers/" + id + "/add_router_interface", Map.of("subnet_id", subnetId)).status());
        return id;
    }

    private static Map<String, Object> route(String destination, String nexthop) { return Map.of("destination", destination, "nexthop", nexthop); }

    private static NeutronClient.Response setRoutes(String id, List<Map<String, Object>> routes) {
        return admin.put("/v2.0/routers/" + id, Map.of("router", Map.of("routes", routes)));
    }

    private static NeutronClient.Response action(String id, String action, List<Map<String, Object>> routes) {
        return admin.put("/v2.0/routers/" + id + "/" + action, Map.of("router", Map.of("routes", routes)));
    }

    @Test
    void routesWhoseNexthopIsOnAnInterfaceSubnetAreStored() {
        String id = routerOn("10.90.0.0/24");

        var r = setRoutes(id, List.of(route("192.168.0.0/16", "10.90.0.10")));

        assertEquals(200, r.status(), r.raw());
        assertEquals(List.of(route("192.168.0.0/16", "10.90.0.10")), r.member("router").get("routes"));
    }

    @Test
    void aNexthopOutsideEveryInterfaceSubnetIsInvalidRoutes() {
        String id = routerOn("10.91.0.0/24");

        var r = setRoutes(id, List.of(route("192.168.0.0/16", "10.99.0.10")));

        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidRoutes", r.errorType());
        assertEquals(List.of(), admin.get("/v2.0/routers/" + id).member("router").get("routes"));
    }

    @Test
    void theRoutersOwnInterfaceAddressIsNotANexthop() {
        var r = setRoutes(routerOn("10.92.0.0/24"), List.of(route("192.168.0.0/16", "10.92.0.1")));

        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidRoutes", r.errorType());
    }

    @Test
    void aDestinationThatIsNotACidrIsABadRequest() {
        String id = routerOn("10.93.0.0/24");

        var notCidr = setRoutes(id, List.of(route("192.168.0.0", "10.93.0.10")));
        var hostBits = setRoutes(id, List.of(route("192.168.0.1/16", "10.93.0.10")));
        var noNexthop = setRoutes(id, List.of(Map.of("destination", "192.168.0.0/16")));

        assertEquals(400, notCidr.status(), notCidr.raw());
        assertEquals(400, hostBits.status(), hostBits.raw());
        assertEquals(400, noNexthop.status(), noNexthop.raw());
    }

    @Test
    void aRouterWithoutInterfacesTakesNoRoutes() {
        String id = (String) admin.post("/v2.0/routers", Map.of("router", Map.of())).member("router").get("id");

        var r = setRoutes(id, List.of(route("192.168.0.0/16", "10.94.0.10")));

        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidRoutes", r.errorType());
    }

    @Test
    void moreThanThirtyRoutesAreRoutesExhausted() {
        String id = routerOn("10.95.0.0/24");
        List<Map<String, Object>> many = new java.util.ArrayList<>();
        for (int i = 0; i < 31; i++) many.add(route("192.168." + i + ".0/24", "10.95.0.10"));

        var r = setRoutes(id, many);

        assertEquals(400, r.status(), r.raw());
        assertEquals("RoutesExhausted", r.errorType());
    }

    @Test
    void addExtraroutesAppendsAndRemoveExtraroutesRemovesOnlyTheGivenRoutes() {
        String id = routerOn("10.96.0.0/24");
        setRoutes(id, List.of(route("192.168.1.0/24", "10.96.0.10")));

        var added = action(id, "add_extraroutes", List.of(route("192.168.2.0/24", "10.96.0.11"), route("192.168.1.0/24", "10.96.0.10")));
        assertEquals(200, added.status(), added.raw());
        assertEquals(List.of(route("192.168.1.0/24", "10.96.0.10"), route("192.168.2.0/24", "10.96.0.11")), added.member("router").get("routes"));

        var removed = action(id, "remove_extraroutes", List.of(route("192.168.1.0/24", "10.96.0.10"), route("172.16.0.0/12", "10.96.0.12")));
        assertEquals(200, removed.status(), removed.raw());
        assertEquals(List.of(route("192.168.2.0/24", "10.96.0.11")), removed.member("router").get("routes"));
    }

    @Test
    void addExtraroutesWithAnUnreachableNexthopChangesNothing() {
        String id = routerOn("10.97.0.0/24");
        setRoutes(id, List.of(route("192.168.1.0/24", "10.97.0.10")));

        var r = action(id, "add_extraroutes", List.of(route("192.168.2.0/24", "10.1.1.1")));

        assertEquals(400, r.status(), r.raw());
        assertEquals("InvalidRoutes", r.errorType());
        assertEquals(List.of(route("192.168.1.0/24", "10.97.0.10")), admin.get("/v2.0/routers/" + id).member("router").get("routes"));
    }

    @Test
    void anExtraroutesBodyMustBeARouterWithRoutes() {
        String id = routerOn("10.98.0.0/24");

        var flat = admin.put("/v2.0/routers/" + id + "/add_extraroutes", Map.of("routes", List.of()));
        var extra = admin.put("/v2.0/routers/" + id + "/add_extraroutes", Map.of("router", Map.of("routes", List.of(), "name", "x")));

        assertEquals(400, flat.status(), flat.raw());
        assertEquals(400, extra.status(), extra.raw());
    }

    @Test
    void anInterfaceThatARouteGoesThroughCannotBeRemoved() {
        String networkId = (String) admin.createNetwork(Map.of("name", "n")).get("id");
        String subnetId = (String) admin.createSubnet(networkId, "10.99.0.0/24").get("id");
        String id = (String) admin.post("/v2.0/routers", Map.of("router", Map.of())).member("router").get("id");
        admin.put("/v2.0/routers/" + id + "/add_router_interface", Map.of("subnet_id", subnetId));
        setRoutes(id, List.of(route("192.168.0.0/16", "10.99.0.10")));

        var r = admin.put("/v2.0/routers/" + id + "/remove_router_interface", Map.of("subnet_id", subnetId));

        assertEquals(409, r.status(), r.raw());
        assertEquals("RouterInterfaceInUseByRoute", r.errorType());
        setRoutes(id, List.of());
        assertTrue(admin.put("/v2.0/routers/" + id + "/remove_router_interface", Map.of("subnet_id", subnetId)).status() == 200);
    }
}
