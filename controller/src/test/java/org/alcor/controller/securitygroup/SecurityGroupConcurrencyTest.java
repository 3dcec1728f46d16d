package org.alcor.controller.securitygroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Port creates racing a group delete, on several networks (so several write lanes) at once: the delete either
 * fails as in use or wins, and then no acknowledged port names the deleted group.
 */
class SecurityGroupConcurrencyTest {
    static TestController controller;

    @BeforeAll static void start() { controller = TestController.start(); }

    @AfterAll static void stop() { controller.close(); }

    @Test
    void aGroupDeletedWhilePortsJoinItIsNeverLeftReferencedByAPort() throws Exception {
        NeutronClient client = controller.project("sg-race");
        List<String> networks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = (String) client.createNetwork(Map.of("name", "race-" + i)).get("id");
            client.createSubnet(id, "10.4" + i + ".0.0/24");
            networks.add(id);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 5; round++) {
                String group = (String) client.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "race-" + round)))
                        .member("security_group").get("id");
                List<Future<NeutronClient.Response>> creates = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    String net = networks.get(i % networks.size());
                    creates.add(pool.submit(() -> client.post("/v2.0/ports", Map.of("port",
                            Map.of("network_id", net, "security_groups", List.of(group))))));
                }
                Future<NeutronClient.Response> delete = pool.submit(() -> client.delete("/v2.0/security-groups/" + group));
                List<String> created = new ArrayList<>();
                for (var f : creates) {
                    var r = f.get();
                    assertTrue(r.status() == 201 || "SecurityGroupNotFound".equals(r.errorType()), r.raw());
                    if (r.status() == 201) created.add((String) r.member("port").get("id"));
                }
                var deleted = delete.get();
                assertTrue(deleted.status() == 204 || "SecurityGroupInUse".equals(deleted.errorType()), deleted.raw());
                if (deleted.status() == 204) {
                    assertEquals(List.of(), created, "ports were acknowledged with a group that is gone");
                } else {
                    assertEquals(created.stream().sorted().toList(),
                            controller.app().securityGroupMembers().portsOf(group).stream().sorted().toList());
                }
                for (String port : created) assertEquals(204, client.delete("/v2.0/ports/" + port).status());
            }
        } finally {
            pool.shutdown();
        }
    }
}
