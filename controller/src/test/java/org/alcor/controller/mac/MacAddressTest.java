package org.alcor.controller.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {
    @Test
    void aMacRendersInLowerCaseWithColons() {
        assertEquals("fa:16:3e:0a:bb:01", MacAddress.parse("FA-16-3E-0A-BB-01").orElseThrow().toString());
        assertEquals(0xfa163e0abb01L, MacAddress.parse("fa:16:3e:0a:bb:01").orElseThrow().value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fa:16:3e:aa:bb", "fa:16:3e:aa:bb:cc:dd", "fa:16:3e:aa:bb:zz", "fa163eaabbcc", "fa16.3eaa.bbcc",
            "fa:16:3e:a:bb:cc", " fa:16:3e:aa:bb:cc", "fa:16:3e:aa:bb:cc\n"})
    void malformedMacsAreRejected(String text) {
        assertTrue(MacAddress.parse(text).isEmpty(), text);
    }

    @Test
    void theGroupBitOfTheFirstByteMarksMulticast() {
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").orElseThrow().isMulticast());
        assertTrue(MacAddress.parse("ff:ff:ff:ff:ff:ff").orElseThrow().isMulticast());
        assertFalse(MacAddress.parse("fa:16:3e:00:00:01").orElseThrow().isMulticast());
        assertFalse(MacAddress.parse("00:01:00:00:00:00").orElseThrow().isMulticast());
    }
}
