package org.alcor.controller.securitygroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.alcor.controller.ControllerApp;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.api.ApiSettings;
import org.alcor.controller.config.ControllerConfig;
import org.alcor.controller.store.StoreSettings;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.NeutronClient;
import org.alcor.controller.testing.TestController;
import org.junit.jupiter.api.Test;

/**
 * A controller stopped and started again on its data directory (same node identity): groups, rules,
 * memberships and quota counters are what they were, and the default group is not created a second time.
 */
class SecurityGroupRestartTest {

    private static ControllerConfig config(Path dir, int api, int discovery, int comm) {
        var store = new StoreSettings(dir, true, 256, "alcor-sg-restart-" + discovery, List.of("127.0.0.1:" + discovery),
                "127.0.0.1", discovery, comm, 0, 10_000);
        return new ControllerConfig(new ApiSettings("127.0.0.1", api, 16 << 20), store,
                org.alcor.controller.southbound.SouthboundSettings.defaults("127.0.0.1", 0), new ValueRange(1, 16_777_215),
                "fa:16:3e", 4, 1024, "noauth");
    }

    @Test
    void groupsMembershipsAndQuotaCountersSurviveARestart() {
        Path dir = TestController.createTempDir();
        ControllerConfig config = config(dir, FreePorts.next(), FreePorts.next(), FreePorts.next());
        String base = "http://127.0.0.1:" + config.api().port();
        NeutronClient client = new NeutronClient(base, "restart-project");
        try {
            String groupId, portId, defaultId;
            try (ControllerApp app = ControllerApp.start(config)) {
                String net = (String) client.createNetwork(Map.of("name", "restart-net")).get("id");
                client.createSubnet(net, "10.90.0.0/24");
                portId = (String) client.createPort(Map.of("network_id", net)).get("id");
                groupId = (String) client.post("/v2.0/security-groups", Map.of("security_group", Map.of("name", "kept")))
                        .member("security_group").get("id");
                defaultId = (String) client.get("/v2.0/security-groups?name=default").list("security_groups").getFirst().get("id");
            }
            try (ControllerApp app = ControllerApp.start(config)) {
                assertEquals(2, client.get("/v2.0/security-groups").list("security_groups").size());
                assertEquals(6, client.get("/v2.0/security-group-rules").list("security_group_rules").size());
                assertEquals(List.of(portId), app.securityGroupMembers().portsOf(defaultId));
                assertEquals(2, app.securityGroups().rulesOf(groupId).size());
                @SuppressWarnings("unchecked")
                var quota = (Map<String, Map<String, Object>>) (Map<?, ?>) client.get("/v2.0/quotas/restart-project/details").member("quota");
                assertEquals(1, quota.get("port").get("used"));
                assertEquals(2, quota.get("security_group").get("used"));
                assertEquals(6, quota.get("security_group_rule").get("used"));
                // The port counter came back too: the default group is still held by the project's port.
                assertEquals("SecurityGroupInUse", new NeutronClient(base, null).delete("/v2.0/security-groups/" + defaultId).errorType());
            }
        } finally {
            TestController.deleteRecursively(dir);
        }
    }
}
