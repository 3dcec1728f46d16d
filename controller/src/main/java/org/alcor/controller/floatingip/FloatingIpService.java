package org.alcor.controller.floatingip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.NewResources;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.port.PortService;
import org.alcor.controller.store.StoreTx;

/**
 * Floating IPs: an address of an external network, held (as in Neutron) by a port with device_owner
 * network:floatingip, so the subnet's allocation state is the one place that says an address is taken. Writes run
 * in the external network's lane. The document keeps, beside what the API shows, {@code floating_port_id} and
 * {@code fixed_subnet_id} (the subnet of the associated fixed IP, whose router link records the association).
 */
public final class FloatingIpService implements CollectionService {
    static final String OWNER = "network:floatingip";

    private final ResourceRepository floatingIps;
    private final ResourceRepository networks;
    private final ResourceRepository subnets;
    private final ResourceRepository ports;
    private final PortService portService;
    private final FloatingIpAssociations associations;
    private final WriteBatcher writes;
    private final QuotaService quotas;

    public FloatingIpService(ResourceRepository floatingIps, ResourceRepository networks, ResourceRepository subnets, ResourceRepository ports,
                             PortService portService, FloatingIpAssociations associations, WriteBatcher writes, QuotaService quotas) {
        this.floatingIps = floatingIps;
        this.quotas = quotas;
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
        this.portService = portService;
        this.associations = associations;
        this.writes = writes;
    }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        List<Map<String, Object>> prepared = items.stream().map(item -> prepare(caller, item)).toList();
        var locks = prepared.stream().map(a -> QuotaService.lock((String) a.get("project_id"))).distinct().toList();
        return writes.submit((String) prepared.getFirst().get("floating_network_id"), prepared.size(), locks, tx -> {
            List<Resource> created = new ArrayList<>();
            for (Map<String, Object> attrs : prepared) {
                quotas.reserve(tx, (String) attrs.get("project_id"), "floatingip", 1);
                created.add(insert(tx, caller, attrs));
            }
            return created;
        });
    }

    private static Map<String, Object> prepare(Caller caller, Map<String, Object> item) {
        Map<String, Object> attrs = NewResources.standard(caller, item);
        for (String key : List.of("floating_ip_address", "subnet_id", "port_id", "fixed_ip_address", "fixed_subnet_id", "router_id")) attrs.put(key, null);
        attrs.put("status", "DOWN");
        return NewResources.withRequested(attrs, item);
    }

    private Resource insert(StoreTx tx, Caller caller, Map<String, Object> attrs) {
        String networkId = (String) attrs.get("floating_network_id");
        Resource network = networks.get(tx, networkId).filter(n -> ResourceRepository.visible(caller, n))
                .orElseThrow(() -> AlcorException.notFound("Network", networkId));
        if (!network.bool("router:external")) {
            throw FloatingIpAssociations.badRequest("The network " + networkId + " is not a valid external network");
        }
        Resource port = allocate(tx, caller, network, attrs);
        Resource fip = new Resource(attrs).with(Map.of("floating_port_id", port.id(),
                "floating_ip_address", port.<Map<String, Object>>list("fixed_ips").getFirst().get("ip_address")));
        fip = fip.with("subnet_id", null);
        if (attrs.get("port_id") != null) {
            fip = associations.associate(tx, caller, fip.with("port_id", null), (String) attrs.get("port_id"), (String) attrs.get("fixed_ip_address"));
        } else {
            fip = fip.with("fixed_ip_address", null);
        }
        return floatingIps.insert(tx, fip);
    }

    /** The port that holds the address: the requested one, or one from the requested subnet, or the first IPv4 subnet with room. */
    private Resource allocate(StoreTx tx, Caller caller, Resource network, Map<String, Object> attrs) {
        Map<String, Object> port = new LinkedHashMap<>();
        port.put("network_id", network.id());
        port.put("project_id", "");
        port.put("device_id", attrs.get("id"));
        port.put("device_owner", OWNER);
        Caller system = Caller.admin(caller.requestId());
        Object address = attrs.get("floating_ip_address"), subnet = attrs.get("subnet_id");
        if (address != null || subnet != null) {
            Map<String, Object> fixed = new LinkedHashMap<>();
            if (address != null) fixed.put("ip_address", address);
            if (subnet != null) fixed.put("subnet_id", subnet);
            port.put("fixed_ips", List.of(fixed));
            return portService.createIn(tx, system, port);
        }
        List<Resource> v4 = subnets.getAll(tx, network.list("subnets")).values().stream()
                .filter(s -> ((Number) s.get("ip_version")).intValue() == 4).toList();
        if (v4.isEmpty()) throw FloatingIpAssociations.badRequest("Network " + network.id() + " does not contain any IPv4 subnet");
        AlcorException last = null;
        for (Resource s : v4) {
            StoreTx attempt = tx.savepoint();
            try {
                port.put("fixed_ips", List.of(Map.of("subnet_id", s.id())));
                Resource created = portService.createIn(attempt, system, port);
                tx.release(attempt);
                return created;
            } catch (AlcorException e) {
                if (!e.type().equals("IpAddressGenerationFailure")) throw e;
                last = e;
            }
        }
        throw last;
    }

    @Override public Resource show(Caller caller, String id) { return floatingIps.show(caller, id); }

    @Override public ListPage list(Caller caller, ListQuery query) { return floatingIps.list(caller, query); }

    @Override public Iterator<Resource> listAll(Caller caller, ListQuery query) { return floatingIps.listAll(caller, query); }

    /** port_id null disassociates; a port_id (with or without fixed_ip_address) associates or moves the floating IP. */
    @Override
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        String networkId = floatingIps.show(caller, id).string("floating_network_id");
        return writes.submit(networkId, 1, tx -> {
            // Lock order port, then floating IP, as a port delete takes them (it disassociates the port's floating IPs).
            if (changes.get("port_id") instanceof String portId) ports.get(tx, portId);
            Resource before = floatingIps.requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            Resource after = before;
            if (changes.containsKey("description")) after = after.with("description", changes.get("description"));
            if (changes.containsKey("port_id") || changes.containsKey("fixed_ip_address")) {
                String portId = changes.containsKey("port_id") ? (String) changes.get("port_id") : before.string("port_id");
                if (portId == null && changes.get("fixed_ip_address") != null) {
                    throw FloatingIpAssociations.badRequest("fixed_ip_address cannot be specified without a port_id");
                }
                after = portId == null ? associations.disassociate(tx, after)
                        : associations.associate(tx, caller, after, portId, (String) changes.get("fixed_ip_address"));
            }
            return floatingIps.update(tx, before, after);
        });
    }

    @Override
    public void delete(Caller caller, String id) {
        Resource shown = floatingIps.show(caller, id);
        String networkId = shown.string("floating_network_id");
        writes.submit(networkId, 1, List.of(QuotaService.lock(shown.projectId())), tx -> {
            Resource fip = floatingIps.requireOwned(tx, caller, id);
            associations.disassociate(tx, fip);
            ports.get(tx, fip.string("floating_port_id")).ifPresent(p -> portService.deleteIn(tx, p));
            floatingIps.delete(tx, id);
            quotas.release(tx, fip.projectId(), "floatingip", 1);
            return null;
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        String networkId = floatingIps.show(caller, id).string("floating_network_id");
        return writes.submit(networkId, 1, tx -> floatingIps.updateTags(tx, caller, id, change));
    }
}
