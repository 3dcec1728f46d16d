package org.alcor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SouthboundOptionsTest {
    @Test
    void defaultsRunEveryAgentInThisJvmWithNoSlowOrStuckHosts() throws Exception {
        SouthboundOptions o = SouthboundOptions.parse(new String[] {"--hosts", "10", "--ports-per-host", "3"});
        assertEquals(URI.create("http://127.0.0.1:9696"), o.url());
        assertEquals("127.0.0.1:9697", o.southbound());
        assertEquals(1, o.processes());
        assertEquals(0, o.slowAgents());
        assertEquals(0, o.stuckAgents());
        assertEquals(0, o.controllerPid());
        assertEquals(10, o.normalHosts());
        assertEquals(1000, o.bulk());
    }

    @Test
    void processesSlowAndStuckAgentsAndTheControllerPidAreParsed() throws Exception {
        SouthboundOptions o = SouthboundOptions.parse(new String[] {"--hosts", "10", "--ports-per-host", "3", "--processes", "3",
                "--slow-agents", "2", "--stuck-agents", "1", "--controller-pid", "4242", "--bulk", "500"});
        assertEquals(3, o.processes());
        assertEquals(2, o.slowAgents());
        assertEquals(1, o.stuckAgents());
        assertEquals(7, o.normalHosts());
        assertEquals(4242, o.controllerPid());
        assertEquals(500, o.bulk());
    }

    @Test
    void slowAndStuckAgentsMustLeaveANormalHost() {
        var e = assertThrows(UsageException.class, () -> SouthboundOptions.parse(new String[] {"--hosts", "2", "--ports-per-host", "1",
                "--slow-agents", "1", "--stuck-agents", "1"}));
        assertTrue(e.getMessage().contains("no normal host"), e.getMessage());
    }

    @Test
    void moreProcessesThanHostsIsAnError() {
        assertThrows(UsageException.class, () -> SouthboundOptions.parse(new String[] {"--hosts", "2", "--ports-per-host", "1", "--processes", "3"}));
    }

    @Test
    void aMillionPortsFitButMoreThanASlashEightDoNot() throws Exception {
        SouthboundOptions.parse(new String[] {"--hosts", "10000", "--ports-per-host", "100"});
        assertThrows(UsageException.class, () -> SouthboundOptions.parse(new String[] {"--hosts", "10000", "--ports-per-host", "1700"}));
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThrows(UsageException.class, () -> SouthboundOptions.parse(new String[] {"--hosts", "2", "--ports-per-host", "1", "--southbound", "nohost"}));
        assertThrows(UsageException.class, () -> SouthboundOptions.parse(new String[] {"--hosts", "2", "--ports-per-host", "1", "--url", "ftp://x/"}));
        assertThrows(UsageException.class, () -> SouthboundOptions.parse(new String[] {"--hosts", "2", "--ports-per-host", "1", "--slow-agents", "-1"}));
        assertThrows(UsageException.class, () -> SouthboundOptions.parse(new String[] {"--hosts", "2", "--ports-per-host", "1", "--processes", "0"}));
    }

    @Test
    void underlayAddressesAreDistinctAcrossTheSlash15() {
        assertEquals("198.18.0.0", SouthboundBench.underlay(0));
        assertEquals("198.18.255.255", SouthboundBench.underlay(65_535));
        assertEquals("198.19.0.0", SouthboundBench.underlay(65_536));
        assertEquals("198.19.255.255", SouthboundBench.underlay(SouthboundOptions.MAX_HOSTS - 1));
    }
}
