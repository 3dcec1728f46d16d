package org.alcor.controller.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    private static Cidr cidr(String text) { return Cidr.tryParse(text).orElseThrow(() -> new AssertionError("rejected " + text)); }

    private static IpAddress ip(String text) { return IpAddress.parse(text).orElseThrow(); }

    @Test
    void anIpv4CidrParsesToNetworkAndPrefix() {
        var c = cidr("10.1.0.0/16");
        assertEquals(ip("10.1.0.0"), c.network());
        assertEquals(16, c.prefix());
        assertEquals(4, c.version());
        assertEquals("10.1.0.0/16", c.toString());
    }

    @Test
    void aCidrWithHostBitsIsRejectedNamingTheNetworkMeant() {
        var e = assertThrows(Cidr.InvalidCidrException.class, () -> Cidr.parse("10.1.2.3/16"));
        assertTrue(e.getMessage().contains("'10.1.0.0/16'"), e.getMessage());
    }

    @Test
    void anIpv6CidrWithHostBitsIsRejectedNamingTheNetworkMeant() {
        var e = assertThrows(Cidr.InvalidCidrException.class, () -> Cidr.parse("2001:db8::1/64"));
        assertTrue(e.getMessage().contains("'2001:db8::/64'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "abc", "10.0.0.256/24", "10.0.0.0", "10.0.0.0/", "/24", "10.0.0.0/-1", "10.0.0.0/2a",
            "10.0.0.0/24/1", "2001:db8::/129", "10.0.0.0/0024", "10.0.0.0/\u0662\u0664"})
    void malformedCidrsAreRejected(String text) {
        assertTrue(Cidr.tryParse(text).isEmpty(), text);
    }

    @Test
    void nullIsRejected() {
        assertTrue(Cidr.tryParse(null).isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0/0, 0.0.0.0/0", "10.0.0.1/32, 10.0.0.1/32", "2001:0DB8:0000::/48, 2001:db8::/48", "::/0, ::/0",
            "fe80::/10, fe80::/10"})
    void aCidrRendersCanonically(String input, String canonical) {
        assertEquals(canonical, cidr(input).toString());
    }

    @Test
    void ofClearsTheHostBits() {
        assertEquals(cidr("192.168.4.0/22"), Cidr.of(ip("192.168.7.200"), 22));
        assertEquals(cidr("2001:db8::/32"), Cidr.of(ip("2001:db8:ffff::1"), 32));
    }

    @Test
    void sizeAndLastCoverTheWholeBlock() {
        assertEquals(BigInteger.valueOf(256), cidr("10.0.0.0/24").size());
        assertEquals(ip("10.0.0.255"), cidr("10.0.0.0/24").last());
        assertEquals(ip("10.0.0.7"), cidr("10.0.0.0/29").last());
        assertEquals(BigInteger.ONE, cidr("10.0.0.9/32").size());
        assertEquals(BigInteger.ONE.shiftLeft(64), cidr("2001:db8::/64").size());
        assertEquals(ip("2001:db8::ffff:ffff:ffff:ffff"), cidr("2001:db8::/64").last());
    }

    @Test
    void containsIncludesBothEnds() {
        var c = cidr("10.0.0.0/24");
        assertTrue(c.contains(ip("10.0.0.0")));
        assertTrue(c.contains(ip("10.0.0.255")));
        assertTrue(c.contains(ip("10.0.0.77")));
        assertFalse(c.contains(ip("10.0.1.0")));
        assertFalse(c.contains(ip("9.255.255.255")));
    }

    @Test
    void anAddressOfTheOtherVersionIsNeverContained() {
        assertFalse(cidr("0.0.0.0/0").contains(ip("::1")));
        assertFalse(cidr("::/0").contains(ip("10.0.0.1")));
        assertTrue(cidr("::/0").contains(ip("::1")));
    }

    @Test
    void anIpv6CidrContainsItsAddresses() {
        var c = cidr("2001:db8:1::/64");
        assertTrue(c.contains(ip("2001:db8:1::abcd")));
        assertTrue(c.contains(ip("2001:db8:1:0:ffff:ffff:ffff:ffff")));
        assertFalse(c.contains(ip("2001:db8:1:1::")));
    }

    @Test
    void nestedCidrsOverlapBothWays() {
        assertTrue(cidr("10.0.0.0/16").overlaps(cidr("10.0.4.0/24")));
        assertTrue(cidr("10.0.4.0/24").overlaps(cidr("10.0.0.0/16")));
        assertTrue(cidr("10.0.4.0/24").overlaps(cidr("10.0.4.0/24")));
        assertTrue(cidr("2001:db8::/32").overlaps(cidr("2001:db8:5::/64")));
    }

    @Test
    void adjacentOrDisjointCidrsDoNotOverlap() {
        assertFalse(cidr("10.0.0.0/24").overlaps(cidr("10.0.1.0/24")));
        assertFalse(cidr("10.0.0.0/25").overlaps(cidr("10.0.0.128/25")));
        assertFalse(cidr("2001:db8::/64").overlaps(cidr("2001:db8:0:1::/64")));
    }

    @Test
    void cidrsOfDifferentVersionsNeverOverlap() {
        assertFalse(cidr("0.0.0.0/0").overlaps(cidr("::/0")));
        assertFalse(cidr("::/0").overlaps(cidr("0.0.0.0/0")));
    }

    @Test
    void offsetOfCountsFromTheNetworkAddress() {
        assertEquals(BigInteger.valueOf(258), cidr("10.0.0.0/16").offsetOf(ip("10.0.1.2")));
        assertEquals(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), cidr("2001:db8::/64").offsetOf(ip("2001:db8::ffff:ffff:ffff:ffff")));
    }
}
