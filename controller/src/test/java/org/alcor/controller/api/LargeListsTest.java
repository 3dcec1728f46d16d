package org.alcor.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lists longer than what the API answers in one buffer (10,000 items) are streamed: the same items in the same
 * order as the pages a client follows, and filters still apply. 10,500 ports in two networks.
 */
class LargeListsTest {
    private static final int BIG = 10_000, SMALL = 500;
    private static TestController controller;
    private static NeutronClient admin;
    private static String big, small;

    @BeforeAll
    static void start() {
        controller = TestController.start();
        admin = controller.admin();
        assertEquals(200, admin.put("/v2.0/quotas/" + "fake_project_id", Map.of("quota", Map.of("port", -1))).status());
        big = network("big", "10.1.0.0/16", BIG);
        small = network("small", "10.2.0.0/16", SMALL);
    }

    @AfterAll
    static void stop() { if (controller != null) controller.close(); }

    private static String network(String name, String cidr, int ports) {
        String id = (String) admin.createNetwork(Map.of("name", name)).get("id");
        admin.createSubnet(id, cidr);
        for (int done = 0; done < ports; done += 1_000) {
            var batch = IntStream.range(done, Math.min(ports, done + 1_000))
                    .mapToObj(i -> Map.<String, Object>of("network_id", id, "name", name + "-" + i, "device_id", name + "-vm-" + (i % 7)))
                    .toList();
            var r = admin.post("/v2.0/ports", Map.of("ports", batch));
            assertEquals(201, r.status(), r.raw());
        }
        return id;
    }

    private static List<String> ids(NeutronClient.Response r) {
        assertEquals(200, r.status(), r.raw());
        return r.list("ports").stream().map(p -> (String) p.get("id")).toList();
    }

    /** Every page of limit items, following the "next" links as a client does. */
    @SuppressWarnings("unchecked")
    private static List<String> paged(String query, int limit) {
        List<String> all = new ArrayList<>();
        String path = "/v2.0/ports?limit=" + limit + query;
        while (path != null) {
            var r = admin.get(path);
            all.addAll(ids(r));
            path = null;
            for (Map<String, Object> link : (List<Map<String, Object>>) r.json().getOrDefault("ports_links", List.of())) {
                if ("next".equals(link.get("rel"))) path = ((String) link.get("href")).replaceFirst("^http://[^/]+", "");
            }
        }
        return all;
    }

    @Test
    void theWholeListIsStreamedInIdOrderAndEqualsThePages() {
        var r = admin.get("/v2.0/ports");
        List<String> all = ids(r);
        assertEquals(BIG + SMALL, all.size());
        assertEquals(all.stream().sorted().toList(), all, "id order");
        assertFalse(r.http().headers().firstValue("content-length").isPresent(), "streamed: no length known in advance");
        assertEquals(all, paged("", 1_000));
    }

    @Test
    void filtersApplyToAStreamedListAndShortListsAreAnsweredWhole() {
        var byNetwork = admin.get("/v2.0/ports?network_id=" + big);
        assertEquals(BIG, ids(byNetwork).size());
        var byDevice = admin.get("/v2.0/ports?device_id=big-vm-3&network_id=" + big);
        List<String> device = ids(byDevice);
        assertEquals((BIG + 3) / 7, device.size());
        assertTrue(byDevice.http().headers().firstValue("content-length").isPresent(), "under 10,000 items: one body");
        assertEquals(device, paged("&device_id=big-vm-3&network_id=" + big, 100));
        assertEquals(SMALL, ids(admin.get("/v2.0/ports?network_id=" + small)).size());
        assertEquals(List.of(), ids(admin.get("/v2.0/ports?network_id=" + small + "&device_id=big-vm-3")));
    }

    @Test
    void fieldsSelectAttributesOfAStreamedList() {
        var r = admin.get("/v2.0/ports?fields=id&fields=network_id");
        assertEquals(200, r.status());
        List<Map<String, Object>> ports = r.list("ports");
        assertEquals(BIG + SMALL, ports.size());
        assertEquals(java.util.Set.of("id", "network_id"), ports.getFirst().keySet());
    }
}
