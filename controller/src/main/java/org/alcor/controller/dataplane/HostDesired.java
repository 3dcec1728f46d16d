package org.alcor.controller.dataplane;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.alcor.controller.core.Resource;
import org.alcor.proto.ResourceType;

/**
 * desired(host) for the host's own resources (OVN northd style: a pure function of a snapshot, no I/O): its
 * ports, their VPCs, every subnet of those VPCs and a DHCP lease per port. Neighbors are VPC-wide and come from
 * {@link VpcNeighbors}. Its cost is the host's port count, never a VPC's size.
 */
public final class HostDesired {
    private HostDesired() {}

    /** The local state and the VPCs it spans. A port whose network or subnets are gone is left out until they return. */
    public record Local(Map<StateKey, Message> states, Set<String> vpcs) {}

    public static Local compute(Collection<Resource> hostPorts, Function<String, Resource> networks, Function<String, Resource> subnets) {
        Map<StateKey, Message> states = new LinkedHashMap<>();
        Set<String> vpcs = new LinkedHashSet<>();
        Map<String, Map<String, Resource>> subnetsOfVpc = new HashMap<>();
        for (Resource port : hostPorts) {
            Resource network = networks.apply(port.string("network_id"));
            if (network == null) continue;
            Map<String, Resource> vpcSubnets = subnetsOfVpc.computeIfAbsent(network.id(), id -> subnetsOf(network, subnets));
            if (vpcs.add(network.id())) {
                states.put(new StateKey(ResourceType.VPC, network.id()), ResourceStates.vpc(network, vpcSubnets.values()));
                for (Resource s : vpcSubnets.values()) {
                    states.put(new StateKey(ResourceType.SUBNET, s.id()), ResourceStates.subnet(s, network));
                }
            }
            states.putAll(portStates(port, network, vpcSubnets));
        }
        return new Local(states, vpcs);
    }

    /** The states one port contributes on its own host: the port and its DHCP lease. */
    public static Map<StateKey, Message> portStates(Resource port, Resource network, Map<String, Resource> vpcSubnets) {
        Map<StateKey, Message> states = new LinkedHashMap<>();
        states.put(portKey(port.id()), ResourceStates.port(port));
        ResourceStates.dhcp(port, vpcSubnets, network).ifPresent(d -> states.put(dhcpKey(port.id()), d));
        return states;
    }

    public static StateKey portKey(String portId) { return new StateKey(ResourceType.PORT, portId); }

    public static StateKey dhcpKey(String portId) { return new StateKey(ResourceType.DHCP, portId); }

    static Map<String, Resource> subnetsOf(Resource network, Function<String, Resource> subnets) {
        Map<String, Resource> out = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(network.list("subnets"));
        for (String id : ids) {
            Resource s = subnets.apply(id);
            if (s != null) out.put(id, s);
        }
        return out;
    }
}
