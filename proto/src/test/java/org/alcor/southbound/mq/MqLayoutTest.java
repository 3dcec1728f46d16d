package org.alcor.southbound.mq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqLayoutTest {
    @Test
    void theHashIsTheContractsFnv1a() {
        // FNV-1a 64 test vectors (the empty string is the offset basis; "a" from the reference tables)
        assertEquals(0xcbf29ce484222325L, MqLayout.hash(""));
        assertEquals(0xaf63dc4c8601ec8cL, MqLayout.hash("a"));
        assertEquals(0x85944171f73967e8L, MqLayout.hash("foobar"));
    }

    @Test
    void hostsSpreadEvenlyOverClustersTopicsAndPartitions() {
        MqLayout layout = new MqLayout(List.of("a:9092", "b:9092"), 10, 5);
        Map<String, Integer> perPartition = new HashMap<>();
        int[] perCluster = new int[2];
        int hosts = 100_000;
        for (int i = 0; i < hosts; i++) {
            MqLayout.Place p = layout.of("compute-" + i);
            perCluster[p.cluster()]++;
            perPartition.merge(p.cluster() + "/" + p.topic() + "/" + p.partition(), 1, Integer::sum);
            assertEquals(p.topic().replace(MqLayout.HOST_TOPIC, MqLayout.AGENTS_TOPIC), p.agentsTopic());
            assertEquals(p.cluster() == 0 ? "a:9092" : "b:9092", p.bootstrapServers());
        }
        assertEquals(100, perPartition.size(), "every partition of every topic of every cluster serves hosts");
        double even = hosts / 100.0;
        perPartition.values().forEach(n -> assertTrue(Math.abs(n - even) < even * 0.2, "a partition holds " + n + ", even is " + even));
        assertTrue(Math.abs(perCluster[0] - hosts / 2) < hosts * 0.02, "clusters: " + perCluster[0] + " / " + perCluster[1]);
    }

    @Test
    void theSameConfigurationGivesTheSamePlace() {
        MqLayout a = MqLayout.parse("k1:9092,k2:9092; k3:9092", 200, 50);
        MqLayout b = MqLayout.parse("k1:9092,k2:9092;k3:9092", 200, 50);
        assertEquals(a.of("host-42"), b.of("host-42"));
        assertEquals(List.of("k1:9092,k2:9092", "k3:9092"), a.clusters());
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MqLayout.parse(" ", 4, 8));
        assertThrows(IllegalArgumentException.class, () -> MqLayout.parse("a:1", 0, 8));
        assertThrows(IllegalArgumentException.class, () -> MqLayout.parse("a:1", 4, 0));
    }
}
