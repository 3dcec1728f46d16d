package org.alcor.controller.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.alcor.controller.core.Resource;

/**
 * A bound port as the engine holds it: only what goal states are made of, decoded once from the stored document.
 * A cloud has tens of millions of ports, so this is kept small: repeated strings (network, host, subnet and group
 * ids, device owners, group lists) are shared instances ({@link Interner}), and status, timestamps, names and
 * tags are not kept at all, which is also why a port turning ACTIVE leaves an equal record and costs no work.
 */
public record PortRecord(String id, String networkId, String hostId, String mac, List<FixedIp> fixedIps,
                         List<String> securityGroups, boolean portSecurity, boolean adminUp, String deviceOwner,
                         List<AddressPair> addressPairs, long revision) {

    public record FixedIp(String subnetId, String ip) {}

    public record AddressPair(String ip, String mac) {}

    /** The port's record, or null when it is bound to no host (an unbound port is in no goal state). */
    static PortRecord of(Resource port, Interner names) {
        String host = port.string("binding:host_id");
        if (host == null || host.isEmpty()) return null;
        List<FixedIp> ips = new ArrayList<>(1);
        for (Map<String, Object> ip : port.<Map<String, Object>>list("fixed_ips")) {
            ips.add(new FixedIp(names.intern((String) ip.get("subnet_id")), (String) ip.get("ip_address")));
        }
        List<AddressPair> pairs = List.of();
        List<Map<String, Object>> rawPairs = port.list("allowed_address_pairs");
        if (!rawPairs.isEmpty()) {
            pairs = new ArrayList<>(rawPairs.size());
            for (Map<String, Object> p : rawPairs) pairs.add(new AddressPair(String.valueOf(p.get("ip_address")), (String) p.get("mac_address")));
            pairs = List.copyOf(pairs);
        }
        return new PortRecord(port.id(), names.intern(port.string("network_id")), names.intern(host), port.string("mac_address"),
                List.copyOf(ips), names.internList(port.list("security_groups")), port.bool("port_security_enabled"),
                port.bool("admin_state_up"), names.intern(port.string("device_owner")), pairs, port.revision());
    }

    /** Whether the port holds the groups' rules on its host (Neutron: groups apply only with port security). */
    boolean holdsGroups() { return portSecurity && !securityGroups.isEmpty(); }

    /** Equal but for the revision: a change that no goal state can see (status, name, tags, timestamps). */
    boolean sameState(PortRecord o) {
        return o != null && id.equals(o.id) && networkId.equals(o.networkId) && hostId.equals(o.hostId)
                && Objects.equals(mac, o.mac) && fixedIps.equals(o.fixedIps) && securityGroups.equals(o.securityGroups)
                && portSecurity == o.portSecurity && adminUp == o.adminUp && Objects.equals(deviceOwner, o.deviceOwner)
                && addressPairs.equals(o.addressPairs);
    }
}
