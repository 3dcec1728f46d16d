package org.alcor.controller.subnet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.ipam.Cidr;
import org.alcor.controller.ipam.IpAddress;
import org.alcor.controller.ipam.IpRange;

/**
 * The address layout of a subnet: gateway and allocation pools, defaulted and validated as Neutron does.
 * Pure: no store access, so every rule is tested without one.
 */
public record SubnetPlan(Cidr cidr, IpAddress gateway, List<IpRange> pools) {

    public static SubnetPlan of(Cidr cidr, Object gatewayAttr, boolean gatewayGiven, Object poolsAttr) {
        IpAddress gateway = gatewayGiven ? parseGateway(cidr, gatewayAttr) : defaultGateway(cidr);
        List<IpRange> pools = poolsAttr == null ? defaultPools(cidr, gateway) : parsePools(cidr, poolsAttr);
        if (gateway != null) {
            for (IpRange pool : pools) {
                if (pool.contains(gateway)) {
                    throw AlcorException.conflict("GatewayConflictWithAllocationPools", "Gateway ip " + gateway
                            + " conflicts with allocation pool " + pool.start() + "-" + pool.end());
                }
            }
        }
        return new SubnetPlan(cidr, gateway, pools);
    }

    /** The first address after the network address, when the subnet has room for one. */
    static IpAddress defaultGateway(Cidr cidr) {
        IpAddress first = cidr.network().plus(1);
        return cidr.contains(first) && usable(cidr).contains(first) ? first : null;
    }

    private static IpAddress parseGateway(Cidr cidr, Object attr) {
        if (attr == null) return null;
        IpAddress gw = IpAddress.parse(attr.toString())
                .orElseThrow(() -> AlcorException.invalidInput("gateway_ip", "'" + attr + "' is not a valid IP address"));
        if (!cidr.contains(gw) || !usable(cidr).contains(gw)) {
            throw AlcorException.invalidOperation("Gateway is not valid on subnet " + cidr + ": " + gw);
        }
        return gw;
    }

    /** Addresses a host may hold: IPv4 excludes the network and broadcast addresses (except /31 and /32). */
    static IpRange usable(Cidr cidr) {
        if (cidr.version() == 4 && cidr.prefix() < 31) return new IpRange(cidr.network().plus(1), cidr.last().plus(-1));
        if (cidr.version() == 6 && cidr.prefix() < 127) return new IpRange(cidr.network().plus(1), cidr.last());
        return new IpRange(cidr.network(), cidr.last());
    }

    static List<IpRange> defaultPools(Cidr cidr, IpAddress gateway) {
        IpRange all = usable(cidr);
        if (gateway == null || !all.contains(gateway)) return List.of(all);
        List<IpRange> pools = new ArrayList<>();
        if (gateway.compareTo(all.start()) > 0) pools.add(new IpRange(all.start(), gateway.plus(-1)));
        if (gateway.compareTo(all.end()) < 0) pools.add(new IpRange(gateway.plus(1), all.end()));
        return pools;
    }

    @SuppressWarnings("unchecked")
    private static List<IpRange> parsePools(Cidr cidr, Object attr) {
        List<IpRange> pools = new ArrayList<>();
        for (Object o : (List<Object>) attr) {
            Map<String, Object> pool = (Map<String, Object>) o;
            IpAddress start = poolAddress(pool.get("start")), end = poolAddress(pool.get("end"));
            // Types and statuses as neutron-lib's exceptions: InvalidAllocationPool and OutOfBoundsAllocationPool
            // are BadRequest (400), OverlappingAllocationPools is Conflict (409).
            if (start.version() != cidr.version() || end.version() != cidr.version() || start.compareTo(end) > 0) {
                throw new AlcorException(ErrorCode.BAD_REQUEST, "InvalidAllocationPool", "The allocation pool " + start + "-" + end + " is not valid.");
            }
            IpRange range = new IpRange(start, end);
            IpRange usable = usable(cidr);
            if (!usable.contains(start) || !usable.contains(end)) {
                throw new AlcorException(ErrorCode.BAD_REQUEST, "OutOfBoundsAllocationPool",
                        "The allocation pool " + start + "-" + end + " spans beyond the subnet cidr " + cidr + ".");
            }
            pools.add(range);
        }
        pools.sort(Comparator.comparing(IpRange::start));
        for (int i = 1; i < pools.size(); i++) {
            if (pools.get(i - 1).overlaps(pools.get(i))) {
                throw AlcorException.conflict("OverlappingAllocationPools", "Found overlapping allocation pools: " + pools.get(i - 1).start() + "-"
                        + pools.get(i - 1).end() + " and " + pools.get(i).start() + "-" + pools.get(i).end() + " for subnet " + cidr + ".");
            }
        }
        return pools;
    }

    private static IpAddress poolAddress(Object v) {
        return IpAddress.parse(v == null ? null : v.toString())
                .orElseThrow(() -> AlcorException.invalidInput("allocation_pools", "'" + v + "' is not a valid IP address"));
    }

    public BigInteger poolSize() {
        BigInteger n = BigInteger.ZERO;
        for (IpRange p : pools) n = n.add(p.end().value().subtract(p.start().value()).add(BigInteger.ONE));
        return n;
    }
}
