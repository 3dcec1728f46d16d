package org.alcor.controller.ipavailability;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.ipam.IpRange;
import org.alcor.controller.store.Store;

/**
 * Neutron's network-ip-availability (admin only): per network and per subnet, the addresses of the allocation
 * pools and how many are allocated. "Used" is the population count of the subnet's allocation bitmaps (read by
 * their scope index), so no port is read; "total" is the pools' size.
 */
public final class IpAvailabilityService {
    private final ResourceRepository networks;
    private final ResourceRepository subnets;
    private final IpAllocator ips;
    private final Store store;

    public IpAvailabilityService(ResourceRepository networks, ResourceRepository subnets, IpAllocator ips, Store store) {
        this.networks = networks;
        this.subnets = subnets;
        this.ips = ips;
        this.store = store;
    }

    /**
     * The availability of every network matching the filters (network_id, network_name, project_id, tenant_id,
     * ip_version). As Neutron's admin-only policy does on a list, a non-admin gets an empty list, not an error.
     */
    public List<Map<String, Object>> list(Caller caller, Map<String, List<String>> filters) {
        Map<String, List<String>> networkFilters = new LinkedHashMap<>();
        filters.forEach((k, v) -> {
            switch (k) {
                case "network_id" -> networkFilters.put("id", v);
                case "network_name" -> networkFilters.put("name", v);
                case "project_id", "tenant_id" -> networkFilters.put("project_id", v);
                case "ip_version" -> { }
                default -> throw AlcorException.badRequest("[" + k + "] is invalid attribute for filtering");
            }
        });
        if (!caller.admin()) return List.of();
        List<String> versions = filters.getOrDefault("ip_version", List.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Resource network : networks.list(caller, new ListQuery(networkFilters, List.of(), null, null, false)).items()) {
            Map<String, Object> availability = availability(network, versions);
            if (versions.isEmpty() || !((List<?>) availability.get("subnet_ip_availability")).isEmpty()) out.add(availability);
        }
        return out;
    }

    /** One network's availability; for a non-admin it does not exist (404), as with Neutron's policy. */
    public Map<String, Object> show(Caller caller, String networkId) {
        if (!caller.admin()) throw AlcorException.notFound("NetworkIPAvailability", networkId);
        Resource network = networks.committed(networkId)
                .orElseThrow(() -> AlcorException.notFound("Network", networkId));
        return availability(network, List.of());
    }

    private Map<String, Object> availability(Resource network, List<String> versions) {
        List<Map<String, Object>> perSubnet = new ArrayList<>();
        BigInteger total = BigInteger.ZERO;
        long used = 0;
        for (String subnetId : network.<String>list("subnets")) {
            Resource subnet = subnets.committed(subnetId).orElse(null);
            if (subnet == null) continue;
            if (!versions.isEmpty() && !versions.contains(subnet.string("ip_version"))) continue;
            BigInteger subnetTotal = BigInteger.ZERO;
            for (Map<String, Object> pool : subnet.<Map<String, Object>>list("allocation_pools")) {
                IpRange range = IpRange.fromAttribute(pool);
                subnetTotal = subnetTotal.add(range.end().value().subtract(range.start().value()).add(BigInteger.ONE));
            }
            long subnetUsed = ips.committedCount(store, subnetId);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("subnet_id", subnetId);
            entry.put("subnet_name", subnet.string("name"));
            entry.put("cidr", subnet.string("cidr"));
            entry.put("ip_version", subnet.get("ip_version"));
            entry.put("total_ips", subnetTotal);
            entry.put("used_ips", subnetUsed);
            perSubnet.add(entry);
            total = total.add(subnetTotal);
            used += subnetUsed;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("network_id", network.id());
        out.put("network_name", network.string("name"));
        out.put("tenant_id", network.projectId());
        out.put("project_id", network.projectId());
        out.put("total_ips", total);
        out.put("used_ips", used);
        out.put("subnet_ip_availability", perSubnet);
        return out;
    }
}
