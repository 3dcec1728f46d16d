package org.alcor.agent.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AddressParsingTest {
    @Test
    void macsParseAndFormatBothWays() {
        assertEquals(0xfa163e000102L, Mac.parse("fa:16:3e:00:01:02"));
        assertEquals(0x0a0b0c0d0e0fL, Mac.parse("A-B-C-D-E-F"));
        assertEquals("fa:16:3e:00:01:02", Mac.format(Mac.parse("FA:16:3E:00:01:02")));
        for (String bad : new String[] {"", "fa:16:3e:00:01", "fa:16:3e:00:01:02:03", "fa:16:3e:00:01:0g", "fa:16:3e:000:01:02"}) {
            assertThrows(IllegalArgumentException.class, () -> Mac.parse(bad), bad);
        }
    }

    @Test
    void ipv4AddressesAndPrefixesParse() {
        assertEquals(0x0a01000b, Ipv4.parse("10.1.0.11"));
        assertEquals("255.255.255.255", Ipv4.format(Ipv4.parse("255.255.255.255")));
        assertEquals(new Ipv4.Prefix(0x0a010000, 16), Ipv4.prefix("10.1.2.3/16"));
        assertTrue(Ipv4.isIpv4("10.0.0.0/8"));
        for (String bad : new String[] {"", "10.1.0", "10.1.0.256", "10.1.0.1.2", "fe80::1", "10..0.1", "10.1.0.1/33"}) {
            assertFalse(Ipv4.isIpv4(bad), bad);
        }
    }

    @Test
    void ipv6AddressesFormatInTheCanonicalFormTheControllerUsesForKeys() {
        String[][] cases = {
                {"fd00:0:0:0:0:0:0:5", "fd00::5"}, {"0:0:0:0:0:0:0:1", "::1"}, {"0:0:0:0:0:0:0:0", "::"},
                {"fd00:0:0:0:0:0:0:0", "fd00::"}, {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},
                {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"2001:DB8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6"},
                {"fe80:0:1:0:0:0:0:0", "fe80:0:1::"}};
        for (String[] c : cases) {
            assertEquals(c[1], Ipv6.format(org.alcor.agent.lab.NeighborTables.bytes(c[0]), 0), c[0]);
        }
    }
}
