package org.alcor.controller.subnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.ipam.Cidr;
import org.alcor.controller.ipam.IpAddress;
import org.alcor.controller.ipam.IpRange;
import org.junit.jupiter.api.Test;

class SubnetPlanTest {
    private static Cidr cidr(String text) { return Cidr.tryParse(text).orElseThrow(); }

    private static IpAddress ip(String text) { return IpAddress.parse(text).orElseThrow(); }

    private static IpRange range(String start, String end) { return new IpRange(ip(start), ip(end)); }

    private static Map<String, Object> pool(String start, String end) { return Map.of("start", start, "end", end); }

    /** No gateway_ip and no allocation_pools in the request. */
    private static SubnetPlan defaults(String cidr) { return SubnetPlan.of(cidr(cidr), null, false, null); }

    private static AlcorException rejected(String cidr, Object gateway, boolean gatewayGiven, Object pools) {
        return assertThrows(AlcorException.class, () -> SubnetPlan.of(cidr(cidr), gateway, gatewayGiven, pools));
    }

    @Test
    void aSlash24DefaultsToGatewayDotOneAndTheRestAsPool() {
        var plan = defaults("10.0.0.0/24");
        assertEquals(ip("10.0.0.1"), plan.gateway());
        assertEquals(List.of(range("10.0.0.2", "10.0.0.254")), plan.pools());
        assertEquals(BigInteger.valueOf(253), plan.poolSize());
    }

    @Test
    void aNullGatewayLeavesEveryHostAddressInThePool() {
        var plan = SubnetPlan.of(cidr("10.0.0.0/24"), null, true, null);
        assertNull(plan.gateway());
        assertEquals(List.of(range("10.0.0.1", "10.0.0.254")), plan.pools());
    }

    @Test
    void aGatewayInTheMiddleSplitsTheDefaultPool() {
        var plan = SubnetPlan.of(cidr("10.0.0.0/24"), "10.0.0.100", true, null);
        assertEquals(List.of(range("10.0.0.1", "10.0.0.99"), range("10.0.0.101", "10.0.0.254")), plan.pools());
    }

    @Test
    void aGatewayAtTheTopLeavesOnePoolBelowIt() {
        var plan = SubnetPlan.of(cidr("10.0.0.0/24"), "10.0.0.254", true, null);
        assertEquals(List.of(range("10.0.0.1", "10.0.0.253")), plan.pools());
    }

    @Test
    void aSlash30HasTwoHostsOneOfThemTheGateway() {
        var plan = defaults("10.0.0.0/30");
        assertEquals(ip("10.0.0.1"), plan.gateway());
        assertEquals(List.of(range("10.0.0.2", "10.0.0.2")), plan.pools());
    }

    /** RFC 3021: both addresses of a /31 are hosts, there is no network or broadcast address. */
    @Test
    void aSlash31UsesBothAddresses() {
        var plan = defaults("10.0.0.0/31");
        assertEquals(ip("10.0.0.1"), plan.gateway());
        assertEquals(List.of(range("10.0.0.0", "10.0.0.0")), plan.pools());
        var noGateway = SubnetPlan.of(cidr("10.0.0.0/31"), null, true, null);
        assertEquals(List.of(range("10.0.0.0", "10.0.0.1")), noGateway.pools());
    }

    @Test
    void aSlash32HasNoGatewayAndItsOneAddressAsPool() {
        var plan = defaults("10.0.0.9/32");
        assertNull(plan.gateway());
        assertEquals(List.of(range("10.0.0.9", "10.0.0.9")), plan.pools());
    }

    @Test
    void anIpv6Slash64DefaultsToGatewayOneAndEverythingAfterIt() {
        var plan = defaults("2001:db8::/64");
        assertEquals(ip("2001:db8::1"), plan.gateway());
        assertEquals("2001:db8::1", plan.gateway().toString());
        assertEquals(List.of(range("2001:db8::2", "2001:db8::ffff:ffff:ffff:ffff")), plan.pools());
    }

    @Test
    void explicitPoolsAreSortedByStart() {
        var plan = SubnetPlan.of(cidr("10.0.0.0/24"), null, false, List.of(pool("10.0.0.100", "10.0.0.110"), pool("10.0.0.10", "10.0.0.20")));
        assertEquals(List.of(range("10.0.0.10", "10.0.0.20"), range("10.0.0.100", "10.0.0.110")), plan.pools());
        assertEquals(ip("10.0.0.1"), plan.gateway());
        assertEquals(BigInteger.valueOf(22), plan.poolSize());
    }

    @Test
    void aPoolBeyondTheCidrIsABadRequest() {
        var e = rejected("10.0.0.0/24", null, false, List.of(pool("10.0.0.10", "10.0.1.10")));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("OutOfBoundsAllocationPool", e.type());
    }

    @Test
    void aPoolHoldingTheNetworkOrBroadcastAddressIsABadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", null, true, List.of(pool("10.0.0.0", "10.0.0.10"))).code());
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", null, true, List.of(pool("10.0.0.250", "10.0.0.255"))).code());
    }

    @Test
    void anIpv6PoolHoldingTheSubnetRouterAnycastAddressIsABadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST, rejected("2001:db8::/64", null, true, List.of(pool("2001:db8::", "2001:db8::10"))).code());
    }

    @Test
    void aPoolThatEndsBeforeItStartsIsABadRequest() {
        var e = rejected("10.0.0.0/24", null, false, List.of(pool("10.0.0.20", "10.0.0.10")));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("InvalidAllocationPool", e.type());
    }

    @Test
    void aPoolOfTheOtherIpVersionIsABadRequest() {
        var e = rejected("10.0.0.0/24", null, false, List.of(pool("::1", "::2")));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("InvalidAllocationPool", e.type());
    }

    @Test
    void aPoolWithAnInvalidAddressIsABadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", null, false, List.of(pool("10.0.0.x", "10.0.0.9"))).code());
    }

    /** As neutron-lib's OverlappingAllocationPools, a Conflict. */
    @Test
    void overlappingPoolsAreAConflict() {
        var e = rejected("10.0.0.0/24", null, false, List.of(pool("10.0.0.10", "10.0.0.20"), pool("10.0.0.20", "10.0.0.30")));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("OverlappingAllocationPools", e.type());
    }

    @Test
    void aPoolInsideAnotherOverlapsIt() {
        var e = rejected("10.0.0.0/24", null, false, List.of(pool("10.0.0.10", "10.0.0.100"), pool("10.0.0.20", "10.0.0.30")));
        assertEquals("OverlappingAllocationPools", e.type());
    }

    @Test
    void adjacentPoolsAreAllowed() {
        var plan = SubnetPlan.of(cidr("10.0.0.0/24"), null, false, List.of(pool("10.0.0.10", "10.0.0.20"), pool("10.0.0.21", "10.0.0.30")));
        assertEquals(2, plan.pools().size());
    }

    @Test
    void aGatewayInsideAPoolIsAConflict() {
        var e = rejected("10.0.0.0/24", "10.0.0.15", true, List.of(pool("10.0.0.10", "10.0.0.20")));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("GatewayConflictWithAllocationPools", e.type());
    }

    @Test
    void theDefaultGatewayInsideAnExplicitPoolIsAConflict() {
        assertEquals(ErrorCode.CONFLICT, rejected("10.0.0.0/24", null, false, List.of(pool("10.0.0.1", "10.0.0.10"))).code());
    }

    @Test
    void aGatewayOutsideTheCidrIsABadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", "10.0.1.1", true, null).code());
    }

    @Test
    void theNetworkOrBroadcastAddressCannotBeTheGateway() {
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", "10.0.0.0", true, null).code());
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", "10.0.0.255", true, null).code());
    }

    @Test
    void aGatewayOfTheOtherVersionIsABadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", "::1", true, null).code());
    }

    @Test
    void aMalformedGatewayIsABadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST, rejected("10.0.0.0/24", "10.0.0", true, null).code());
    }
}
