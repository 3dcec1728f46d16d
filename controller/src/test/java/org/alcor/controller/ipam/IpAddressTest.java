package org.alcor.controller.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
    private static IpAddress ip(String text) { return IpAddress.parse(text).orElseThrow(() -> new AssertionError("rejected " + text)); }

    @Test
    void anIpv4AddressParsesToItsNumber() {
        var a = ip("10.1.2.3");
        assertEquals(4, a.version());
        assertEquals(BigInteger.valueOf(0x0A010203L), a.value());
        assertEquals(32, a.bits());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.168.0.1", "10.0.0.10"})
    void anIpv4AddressRendersAsItWasWritten(String text) {
        assertEquals(text, ip(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"010.0.0.1", "10.00.0.1", "10.0.0.01", "00.0.0.0"})
    void ipv4LeadingZerosAreRejectedBecauseSomeParsersReadThemAsOctal(String text) {
        assertTrue(IpAddress.parse(text).isEmpty(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", "a.b.c.d",
            "+1.2.3.4", "1.2.3.0x4", "1234.1.1.1", "1.2.3.4/24"})
    void malformedIpv4IsRejected(String text) {
        assertTrue(IpAddress.parse(text).isEmpty(), "'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0661.2.3.4", "1.2.3.\uFF14", "10.0.0.\u0967"})
    void ipv4WithNonAsciiDigitsIsRejected(String text) {
        assertTrue(IpAddress.parse(text).isEmpty(), text);
    }

    @Test
    void nullIsRejected() {
        assertTrue(IpAddress.parse(null).isEmpty());
    }

    @Test
    void theUnspecifiedIpv6AddressParses() {
        var a = ip("::");
        assertEquals(6, a.version());
        assertEquals(BigInteger.ZERO, a.value());
        assertEquals("::", a.toString());
    }

    @Test
    void theIpv6LoopbackParses() {
        assertEquals(BigInteger.ONE, ip("::1").value());
        assertEquals("::1", ip("::1").toString());
        assertEquals(ip("::1"), ip("0:0:0:0:0:0:0:1"));
    }

    @Test
    void aFullIpv6AddressParsesToItsNumber() {
        assertEquals(new BigInteger("20010db8000000000000000000000001", 16), ip("2001:db8:0:0:0:0:0:1").value());
    }

    @Test
    void anEmbeddedIpv4FillsTheLastTwoGroups() {
        assertEquals(ip("::ffff:c000:201"), ip("::ffff:192.0.2.1"));
        assertEquals(ip("64:ff9b::c000:201"), ip("64:ff9b::192.0.2.1"));
        assertEquals(ip("1:2:3:4:5:6:c000:201"), ip("1:2:3:4:5:6:192.0.2.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:192.0.2", "::ffff:192.0.2.256", "::ffff:192.0.02.1", "::192.0.2.1:ffff", "1.2.3.4::",
            "1:2:3:4:5:6:7:192.0.2.1"})
    void aMalformedOrMisplacedEmbeddedIpv4IsRejected(String text) {
        assertTrue(IpAddress.parse(text).isEmpty(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", ":1::", "1::2:",
            "1:2:3:4:5:6:7:8::", "fe80::1%eth0", "[::1]", "2001:db8::/64"})
    void malformedIpv6IsRejected(String text) {
        assertTrue(IpAddress.parse(text).isEmpty(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFF11::", "::\u0661", "2001:db8::\uFF41"})
    void ipv6WithNonAsciiDigitsIsRejected(String text) {
        assertTrue(IpAddress.parse(text).isEmpty(), text);
    }

    @Test
    void aTooLongTextIsRejected() {
        assertTrue(IpAddress.parse("0000:0000:0000:0000:0000:0000:0000:0000:0000:0000").isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0db8::0001, 2001:db8::1",
            "2001:DB8::ABCD, 2001:db8::abcd",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::",
            "1:0:0:0:0:0:0:0, 1::",
            "0:0:0:0:0:0:0:0, ::",
            "2001:db8::0:1, 2001:db8::1",
            "fe80:0:0:0:200:5eff:fe00:5301, fe80::200:5eff:fe00:5301",
            "0:0:1:0:0:0:0:1, 0:0:1::1"})
    void ipv6RendersInRfc5952CanonicalForm(String input, String canonical) {
        assertEquals(canonical, ip(input).toString());
    }

    @Test
    void plusMovesAlongTheAddressSpace() {
        assertEquals(ip("10.0.1.0"), ip("10.0.0.255").plus(1));
        assertEquals(ip("10.0.0.254"), ip("10.0.0.255").plus(-1));
        assertEquals(ip("2001:db8::1:0"), ip("2001:db8::ffff").plus(1));
    }

    @Test
    void addressesOrderByVersionThenValue() {
        assertTrue(ip("10.0.0.2").compareTo(ip("10.0.0.10")) < 0);
        assertTrue(ip("255.255.255.255").compareTo(ip("::")) < 0);
        assertEquals(0, ip("::1").compareTo(ip("0::1")));
    }
}
