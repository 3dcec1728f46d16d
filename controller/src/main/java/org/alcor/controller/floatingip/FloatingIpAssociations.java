package org.alcor.controller.floatingip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.router.SubnetRouterLink;
import org.alcor.controller.router.SubnetRouterLinks;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.StoreTx;

/**
 * Associating a floating IP with one fixed IP of a port, Neutron's way: the fixed IP's subnet must be attached to a
 * router whose gateway is on the floating IP's network, and a fixed IP has at most one floating IP per external
 * network. The subnet's router link records the floating IP, so its router interface and gateway stay while it is used.
 */
public final class FloatingIpAssociations {
    private final ResourceRepository floatingIps;
    private final ResourceRepository ports;
    private final SubnetRouterLinks links;

    public FloatingIpAssociations(ResourceRepository floatingIps, ResourceRepository ports, SubnetRouterLinks links) {
        this.floatingIps = floatingIps;
        this.ports = ports;
        this.links = links;
    }

    /** The floating IP associated with the port's fixed IP (the only IPv4 one when fixedIp is null). */
    Resource associate(StoreTx tx, Caller caller, Resource fip, String portId, String fixedIp) {
        Resource port = ports.requireOwned(tx, caller, portId);
        if (port.string("device_owner").startsWith("network:")) {
            throw badRequest("Port " + portId + " has owner " + port.string("device_owner") + " and therefore cannot be associated with a floating IP");
        }
        Map<String, Object> address = fixedAddress(port, fixedIp);
        String subnetId = (String) address.get("subnet_id"), ip = (String) address.get("ip_address");
        String network = fip.string("floating_network_id");
        SubnetRouterLink link = links.get(tx, subnetId).filter(l -> network.equals(l.gatewayNetworkId()))
                .orElseThrow(() -> new AlcorException(ErrorCode.NOT_FOUND, "ExternalGatewayForFloatingIPNotFound", "External network "
                        + network + " is not reachable from subnet " + subnetId + ".  Therefore, cannot associate Port " + portId
                        + " with a Floating IP."));
        for (Resource other : floatingIps.findInTx(tx, Column.DEVICE, portId)) {
            if (!other.id().equals(fip.id()) && ip.equals(other.string("fixed_ip_address")) && network.equals(other.string("floating_network_id"))) {
                throw AlcorException.conflict("FloatingIPPortAlreadyAssociated", "Cannot associate floating IP " + fip.string("floating_ip_address")
                        + " (" + fip.id() + ") with port " + portId + " using fixed IP " + ip + ", as that fixed IP already has a floating IP on external network "
                        + network + ".");
            }
        }
        Resource unlinked = disassociate(tx, fip);
        links.put(tx, links.get(tx, subnetId).orElse(link).withFloatingIp(fip.id(), true));
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("port_id", portId);
        changes.put("fixed_ip_address", ip);
        changes.put("fixed_subnet_id", subnetId);
        changes.put("router_id", link.routerId());
        // No southbound yet: ACTIVE means "associated"; it will mean "programmed on the host" once acks exist.
        changes.put("status", "ACTIVE");
        return unlinked.with(changes);
    }

    /** The floating IP with no port; its subnet's router link forgets it. */
    Resource disassociate(StoreTx tx, Resource fip) {
        String subnetId = fip.string("fixed_subnet_id");
        if (subnetId != null) links.get(tx, subnetId).ifPresent(l -> links.put(tx, l.withFloatingIp(fip.id(), false)));
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("port_id", null);
        changes.put("fixed_ip_address", null);
        changes.put("fixed_subnet_id", null);
        changes.put("router_id", null);
        changes.put("status", "DOWN");
        return fip.with(changes);
    }

    /** A deleted port takes its floating IPs' associations with it (Neutron disassociates them). */
    public void portDeleted(StoreTx tx, Resource port) {
        for (Resource found : floatingIps.findInTx(tx, Column.DEVICE, port.id())) {
            Optional<Resource> fip = floatingIps.get(tx, found.id());
            fip.ifPresent(f -> floatingIps.update(tx, f, disassociate(tx, f)));
        }
    }

    private static Map<String, Object> fixedAddress(Resource port, String fixedIp) {
        List<Map<String, Object>> v4 = port.<Map<String, Object>>list("fixed_ips").stream()
                .filter(ip -> !((String) ip.get("ip_address")).contains(":")).toList();
        if (fixedIp != null) {
            return v4.stream().filter(ip -> fixedIp.equals(ip.get("ip_address"))).findFirst()
                    .orElseThrow(() -> badRequest("Port " + port.id() + " does not have fixed ip " + fixedIp));
        }
        if (v4.isEmpty()) throw badRequest("Port " + port.id() + " does not have any IPv4 address");
        if (v4.size() > 1) {
            throw badRequest("Port " + port.id() + " has multiple fixed IPv4 addresses. Must provide a specific IPv4 address when assigning a floating IP");
        }
        return v4.getFirst();
    }

    static AlcorException badRequest(String message) {
        return new AlcorException(ErrorCode.BAD_REQUEST, "BadRequest", "Bad floatingip request: " + message + ".");
    }
}
