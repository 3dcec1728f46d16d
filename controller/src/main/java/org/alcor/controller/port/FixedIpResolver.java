package org.alcor.controller.port;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Resource;
import org.alcor.controller.ipam.IpAddress;
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.ipam.SubnetLayout;
import org.alcor.controller.ipam.SubnetLayouts;
import org.alcor.controller.store.StoreTx;

/**
 * Turns a port's requested fixed_ips into allocated addresses, Neutron's way: nothing requested → one address
 * from the network's first IPv4 subnet with room (and one from its first IPv6 subnet); {subnet_id} → any free
 * address of that subnet; {ip_address[, subnet_id]} → exactly that address, refused if taken.
 */
final class FixedIpResolver {
    private final IpAllocator ips;
    private final SubnetLayouts layouts = new SubnetLayouts();

    FixedIpResolver(IpAllocator ips) { this.ips = ips; }

    List<Map<String, Object>> allocate(StoreTx tx, String networkId, Collection<Resource> subnets, List<Map<String, Object>> requested) {
        List<SubnetLayout> parsed = subnets.stream().map(layouts::of).toList();
        if (requested == null) return automatic(tx, networkId, parsed);
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> entry : requested) result.add(allocateOne(tx, networkId, parsed, entry));
        return result;
    }

    private List<Map<String, Object>> automatic(StoreTx tx, String networkId, List<SubnetLayout> subnets) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (int version : new int[] {4, 6}) {
            List<SubnetLayout> candidates = subnets.stream().filter(s -> s.cidr().version() == version).toList();
            if (candidates.isEmpty()) continue;
            Map<String, Object> ip = null;
            for (SubnetLayout s : candidates) {
                Optional<IpAddress> a = ips.allocate(tx, s);
                if (a.isPresent()) { ip = fixedIp(s, a.get()); break; }
            }
            if (ip == null) throw exhausted(networkId);
            result.add(ip);
        }
        return result;
    }

    private Map<String, Object> allocateOne(StoreTx tx, String networkId, List<SubnetLayout> subnets, Map<String, Object> entry) {
        String subnetId = (String) entry.get("subnet_id");
        String ipText = (String) entry.get("ip_address");
        SubnetLayout subnet = subnetId == null ? null : subnets.stream().filter(s -> s.id().equals(subnetId)).findFirst()
                .orElseThrow(() -> AlcorException.invalidOperation("Failed to create port on network " + networkId
                        + ", because fixed_ips included invalid subnet " + subnetId));
        if (ipText == null) {
            if (subnet == null) throw AlcorException.badRequest("Invalid fixed_ips entry: give subnet_id, ip_address or both");
            return fixedIp(subnet, ips.allocate(tx, subnet).orElseThrow(() -> exhausted(networkId)));
        }
        IpAddress ip = IpAddress.parse(ipText).orElseThrow(() -> AlcorException.invalidInput("fixed_ips", "'" + ipText + "' is not a valid IP address"));
        if (subnet == null) {
            subnet = subnets.stream().filter(s -> isHostAddress(s, ip)).findFirst()
                    .orElseThrow(() -> new AlcorException(org.alcor.controller.core.ErrorCode.BAD_REQUEST, "InvalidIpForNetwork",
                            "IP address " + ip + " is not a valid IP for any of the subnets on the specified network."));
        } else if (!isHostAddress(subnet, ip)) {
            throw new AlcorException(org.alcor.controller.core.ErrorCode.BAD_REQUEST, "InvalidIpForSubnet",
                    "IP address " + ip + " is not a valid IP for the specified subnet.");
        }
        if (!ips.claim(tx, subnet, ip)) {
            throw AlcorException.conflict("IpAddressAlreadyAllocated", "IP address " + ip + " already allocated in subnet " + subnet.id());
        }
        return fixedIp(subnet, ip);
    }

    /**
     * Neutron's ipam_utils.check_subnet_ip: an address of the subnet that a port may hold, which in IPv4 excludes the
     * network and broadcast addresses (a /31 or /32 has neither, RFC 3021).
     */
    private static boolean isHostAddress(SubnetLayout subnet, IpAddress ip) {
        var cidr = subnet.cidr();
        if (!cidr.contains(ip)) return false;
        if (cidr.version() != 4 || cidr.prefix() >= 31) return true;
        return !ip.equals(cidr.network()) && !ip.equals(cidr.last());
    }

    void release(StoreTx tx, Map<String, Resource> subnetsById, List<Map<String, Object>> fixedIps) {
        for (Map<String, Object> ip : fixedIps) {
            Resource subnet = subnetsById.get((String) ip.get("subnet_id"));
            if (subnet != null) ips.release(tx, layouts.of(subnet), IpAddress.parse((String) ip.get("ip_address")).orElseThrow());
        }
    }

    private static Map<String, Object> fixedIp(SubnetLayout subnet, IpAddress ip) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subnet_id", subnet.id());
        m.put("ip_address", ip.toString());
        return m;
    }

    private static AlcorException exhausted(String networkId) {
        return AlcorException.conflict("IpAddressGenerationFailure", "No more IP addresses available on network " + networkId + ".");
    }
}
