package org.alcor.controller.dataplane;

import com.google.protobuf.Message;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.alcor.controller.core.Resource;
import org.alcor.proto.ResourceType;

/**
 * desired(host) for the host's own resources (OVN northd style: a pure function of a snapshot, no I/O): its
 * ports, their VPCs, every subnet and router of those VPCs, a DHCP lease per port, and the security groups of its
 * ports that have port security. Neighbours are VPC-wide and come from {@link NeighborTable}. Its cost is the
 * host's port count, never a VPC's size.
 */
public final class HostDesired {
    private HostDesired() {}

    static Map<StateKey, Message> compute(Collection<PortRecord> hostPorts, Topology t) {
        Map<StateKey, Message> states = new LinkedHashMap<>();
        Map<String, Map<String, Resource>> subnetsOfVpc = new HashMap<>();
        for (PortRecord port : hostPorts) {
            Resource network = t.network(port.networkId());
            if (network == null) continue;
            Map<String, Resource> vpcSubnets = subnetsOfVpc.get(network.id());
            if (vpcSubnets == null) {
                vpcSubnets = subnetsOf(network, t::subnet);
                subnetsOfVpc.put(network.id(), vpcSubnets);
                vpcStates(network, vpcSubnets, t, states);
            }
            portStates(port, network, vpcSubnets, states);
            if (!port.portSecurity()) continue;
            for (String group : port.securityGroups()) {
                StateKey key = groupKey(group);
                if (!states.containsKey(key)) states.put(key, ResourceStates.securityGroup(group, t.rulesOf(group)));
            }
        }
        return states;
    }

    private static void vpcStates(Resource network, Map<String, Resource> vpcSubnets, Topology t, Map<StateKey, Message> states) {
        states.put(vpcKey(network.id()), ResourceStates.vpc(network, vpcSubnets.values(), t.neighborPolicy(network.id())));
        for (Resource s : vpcSubnets.values()) {
            states.put(new StateKey(ResourceType.SUBNET, s.id()), ResourceStates.subnet(s, network));
            Resource router = t.routerOfSubnet(s.id());
            if (router != null) states.put(new StateKey(ResourceType.ROUTER, router.id()), ResourceStates.router(router));
        }
    }

    /** The states one port contributes on its own host: the port and its DHCP lease. */
    static void portStates(PortRecord port, Resource network, Map<String, Resource> vpcSubnets, Map<StateKey, Message> into) {
        into.put(portKey(port.id()), ResourceStates.port(port));
        ResourceStates.dhcp(port, vpcSubnets, network).ifPresent(d -> into.put(dhcpKey(port.id()), d));
    }

    static StateKey portKey(String portId) { return new StateKey(ResourceType.PORT, portId); }

    static StateKey dhcpKey(String portId) { return new StateKey(ResourceType.DHCP, portId); }

    static StateKey vpcKey(String vpcId) { return new StateKey(ResourceType.VPC, vpcId); }

    static StateKey groupKey(String groupId) { return new StateKey(ResourceType.SECURITY_GROUP, groupId); }

    static Map<String, Resource> subnetsOf(Resource network, Function<String, Resource> subnets) {
        Map<String, Resource> out = new LinkedHashMap<>();
        for (String id : network.<String>list("subnets")) {
            Resource s = subnets.apply(id);
            if (s != null) out.put(id, s);
        }
        return out;
    }

    /** The subnets of the port's network as {@link #compute} sees them, for computing one port alone. */
    static Map<String, Resource> subnetsOf(Resource network, Topology t) { return subnetsOf(network, (Function<String, Resource>) t::subnet); }

    static List<StateKey> portKeys(String portId) { return List.of(portKey(portId), dhcpKey(portId)); }
}
