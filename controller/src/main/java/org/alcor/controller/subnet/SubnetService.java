package org.alcor.controller.subnet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.NewResources;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.ipam.Cidr;
import org.alcor.controller.ipam.IpAddress;
import org.alcor.controller.ipam.IpAllocator;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.ipam.IpRange;
import org.alcor.controller.store.StoreTx;

/**
 * Subnets: a CIDR inside a network, its gateway and allocation pools. Creating one writes one row (no
 * per-address state); overlapping CIDRs are refused inside a network and allowed across networks.
 */
public final class SubnetService implements CollectionService {
    private final ResourceRepository subnets;
    private final ResourceRepository networks;
    private final WriteBatcher writes;
    private final IpAllocator ips;
    private final QuotaService quotas;
    private final List<SubnetDeleteHook> deleteHooks;

    public SubnetService(ResourceRepository subnets, ResourceRepository networks, WriteBatcher writes, IpAllocator ips,
                         QuotaService quotas, List<SubnetDeleteHook> deleteHooks) {
        this.quotas = quotas;
        this.deleteHooks = List.copyOf(deleteHooks);
        this.subnets = subnets;
        this.networks = networks;
        this.writes = writes;
        this.ips = ips;
    }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        List<Map<String, Object>> prepared = new ArrayList<>();
        for (Map<String, Object> item : items) prepared.add(prepare(caller, item));
        var locks = prepared.stream().map(a -> QuotaService.lock((String) a.get("project_id"))).distinct().toList();
        return writes.submit((String) prepared.getFirst().get("network_id"), prepared.size(), locks, tx -> {
            List<Resource> created = new ArrayList<>();
            for (Map<String, Object> attrs : prepared) {
                quotas.reserve(tx, (String) attrs.get("project_id"), "subnet", 1);
                created.add(insert(tx, caller, attrs));
            }
            return created;
        });
    }

    private Map<String, Object> prepare(Caller caller, Map<String, Object> item) {
        if (item.get("network_id") == null) throw AlcorException.badRequest("Failed to parse request. Required attribute 'network_id' not specified");
        if (item.get("subnetpool_id") != null) throw AlcorException.badRequest("Subnet pools are not supported; give a cidr");
        if (item.get("cidr") == null) throw AlcorException.badRequest("Bad subnets request: a cidr must be specified.");
        Cidr cidr = (Cidr) item.get("cidr");
        Object version = item.get("ip_version");
        if (version == null) throw AlcorException.badRequest("Failed to parse request. Required attribute 'ip_version' not specified");
        if (((Number) version).intValue() != cidr.version()) {
            throw AlcorException.invalidOperation("Cidr " + cidr + " does not match ip_version " + version);
        }
        checkIpv6Modes(item, cidr);
        SubnetPlan plan = SubnetPlan.of(cidr, item.get("gateway_ip"), item.containsKey("gateway_ip"), item.get("allocation_pools"));
        Map<String, Object> attrs = NewResources.standard(caller, item);
        attrs.put("network_id", item.get("network_id"));
        attrs.put("ip_version", cidr.version());
        attrs.put("enable_dhcp", true);
        attrs.put("dns_nameservers", List.of());
        attrs.put("host_routes", List.of());
        attrs.put("ipv6_ra_mode", null);
        attrs.put("ipv6_address_mode", null);
        attrs.put("subnetpool_id", null);
        attrs.put("segment_id", null);
        attrs.put("service_types", List.of());
        attrs.put("dns_publish_fixed_ip", false);
        NewResources.withRequested(attrs, item);
        attrs.put("cidr", cidr.toString());
        attrs.put("gateway_ip", plan.gateway() == null ? null : plan.gateway().toString());
        attrs.put("allocation_pools", plan.pools().stream().map(IpRange::toAttribute).toList());
        checkDnsAndRoutes(attrs, cidr);
        return attrs;
    }

    static final int MAX_DNS_NAMESERVERS = 5, MAX_HOST_ROUTES = 20;

    private static void checkIpv6Modes(Map<String, Object> item, Cidr cidr) {
        if (cidr.version() == 4 && (item.get("ipv6_ra_mode") != null || item.get("ipv6_address_mode") != null)) {
            throw AlcorException.invalidOperation("ipv6_ra_mode or ipv6_address_mode cannot be set when ip_version is 4");
        }
        Object ra = item.get("ipv6_ra_mode"), addr = item.get("ipv6_address_mode");
        if (ra != null && addr != null && !ra.equals(addr)) {
            throw AlcorException.invalidOperation("ipv6_ra_mode set to '" + ra + "' with ipv6_address_mode set to '" + addr + "' is not valid");
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkDnsAndRoutes(Map<String, Object> attrs, Cidr cidr) {
        // Neutron's max_dns_nameservers and max_subnet_host_routes defaults: every host's DHCP reply carries them.
        int dnsCount = ((List<?>) attrs.get("dns_nameservers")).size(), routeCount = ((List<?>) attrs.get("host_routes")).size();
        if (dnsCount > MAX_DNS_NAMESERVERS) {
            throw AlcorException.badRequest("Unable to complete operation for subnet. The number of DNS nameservers exceeds the limit "
                    + MAX_DNS_NAMESERVERS + ".");
        }
        if (routeCount > MAX_HOST_ROUTES) {
            throw AlcorException.badRequest("Unable to complete operation for subnet. The number of host routes exceeds the limit "
                    + MAX_HOST_ROUTES + ".");
        }
        var seen = new HashSet<String>();
        for (String dns : (List<String>) attrs.get("dns_nameservers")) {
            if (!seen.add(dns)) throw AlcorException.badRequest("Duplicate nameserver '" + dns + "'.");
        }
        for (Map<String, Object> route : (List<Map<String, Object>>) attrs.get("host_routes")) {
            IpAddress nexthop = IpAddress.parse((String) route.get("nexthop")).orElseThrow();
            if (nexthop.version() != cidr.version()) {
                throw AlcorException.invalidOperation("host route nexthop " + nexthop + " is not IPv" + cidr.version());
            }
        }
    }

    private Resource insert(StoreTx tx, Caller caller, Map<String, Object> attrs) {
        String networkId = (String) attrs.get("network_id");
        Resource network = networks.requireOwned(tx, caller, networkId);
        Cidr cidr = Cidr.tryParse((String) attrs.get("cidr")).orElseThrow();
        for (Resource other : subnets.getAll(tx, network.list("subnets")).values()) {
            if (Cidr.tryParse(other.string("cidr")).orElseThrow().overlaps(cidr)) {
                throw AlcorException.invalidOperation("Requested subnet with cidr: " + cidr + " for network: " + networkId
                        + " overlaps with another subnet");
            }
        }
        attrs.put("shared", network.bool("shared"));
        Resource subnet = subnets.insert(tx, new Resource(attrs));
        List<String> ids = new ArrayList<>(network.list("subnets"));
        ids.add(subnet.id());
        networks.update(tx, network, network.with("subnets", ids));
        return subnet;
    }

    @Override public Resource show(Caller caller, String id) { return subnets.show(caller, id); }

    @Override public ListPage list(Caller caller, ListQuery query) { return subnets.list(caller, query); }

    @Override public Iterator<Resource> listAll(Caller caller, ListQuery query) { return subnets.listAll(caller, query); }

    @Override
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        Resource current = subnets.show(caller, id);
        return writes.submit(current.string("network_id"), 1, tx -> {
            Resource before = subnets.requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            Cidr cidr = Cidr.tryParse(before.string("cidr")).orElseThrow();
            Map<String, Object> after = new LinkedHashMap<>(before.attrs());
            after.putAll(changes);
            if (changes.containsKey("gateway_ip") || changes.containsKey("allocation_pools")) {
                SubnetPlan plan = SubnetPlan.of(cidr, after.get("gateway_ip"), true, after.get("allocation_pools"));
                after.put("gateway_ip", plan.gateway() == null ? null : plan.gateway().toString());
                after.put("allocation_pools", plan.pools().stream().map(IpRange::toAttribute).toList());
            }
            checkDnsAndRoutes(after, cidr);
            return subnets.update(tx, before, new Resource(after));
        });
    }

    @Override
    public void delete(Caller caller, String id) {
        Resource current = subnets.show(caller, id);
        writes.submit(current.string("network_id"), 1, List.of(QuotaService.lock(current.projectId())), tx -> {
            Resource subnet = subnets.requireOwned(tx, caller, id);
            quotas.release(tx, subnet.projectId(), "subnet", 1);
            if (ips.allocatedCount(tx, id) > 0) {
                throw AlcorException.conflict("SubnetInUse", "Unable to complete operation on subnet " + id
                        + ": One or more ports have an IP allocation from this subnet.");
            }
            for (SubnetDeleteHook hook : deleteHooks) hook.beforeDelete(tx, subnet);
            ips.releaseAll(tx, id);
            subnets.delete(tx, id);
            networks.get(tx, subnet.string("network_id")).ifPresent(network -> {
                List<String> ids = new ArrayList<>(network.list("subnets"));
                ids.remove(id);
                networks.update(tx, network, network.with("subnets", ids));
            });
            return null;
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        Resource current = subnets.show(caller, id);
        return writes.submit(current.string("network_id"), 1, tx -> subnets.updateTags(tx, caller, id, change));
    }
}
