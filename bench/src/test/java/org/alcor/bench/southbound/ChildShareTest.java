package org.alcor.bench.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildShareTest {
    @Test
    void aChildRunsWithThisJvmsFlagsAndClassPathButNoDebugger() {
        List<String> c = ChildShare.command(List.of("-Xmx3g", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005"), List.of("southbound-agents", "--channels", "2"));
        assertTrue(c.getFirst().endsWith("java"), c.toString());
        assertEquals(List.of("-Xmx3g", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.alcor.bench.Main", "southbound-agents", "--channels", "2"), c.subList(1, c.size()));
        assertFalse(c.stream().anyMatch(f -> f.contains("jdwp")), c.toString());
    }
}
