package org.alcor.controller.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.alcor.controller.alloc.ValueRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAllocatorTest {
    private static long mac(String text) { return MacAddress.parse(text).orElseThrow().value(); }

    @Test
    void theSpaceOfAThreeBytePrefixIsEveryMacStartingWithIt() {
        var space = MacAllocator.spaceOf("fa:16:3e");
        assertEquals(new ValueRange(mac("fa:16:3e:00:00:00"), mac("fa:16:3e:ff:ff:ff")), space);
        assertEquals(1L << 24, space.size());
    }

    @Test
    void dashesAndUpperCaseNameTheSamePrefix() {
        assertEquals(MacAllocator.spaceOf("fa:16:3e"), MacAllocator.spaceOf("FA-16-3E"));
    }

    @Test
    void aFiveBytePrefixLeavesTheLastByte() {
        assertEquals(new ValueRange(mac("fa:16:3e:12:34:00"), mac("fa:16:3e:12:34:ff")), MacAllocator.spaceOf("fa:16:3e:12:34"));
    }

    @Test
    void aOneBytePrefixLeavesFiveBytes() {
        assertEquals(new ValueRange(mac("02:00:00:00:00:00"), mac("02:ff:ff:ff:ff:ff")), MacAllocator.spaceOf("02"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01:00:5e", "ff:ff:ff", "03", "fb:16:3e"})
    void aMulticastPrefixIsRejected(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> MacAllocator.spaceOf(prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fa:16:3", "fa:16:3e:00:00:00", "zz:16:3e", "fa16 3e", "fa:16:3g"})
    void aMalformedPrefixIsRejected(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> MacAllocator.spaceOf(prefix));
    }
}
