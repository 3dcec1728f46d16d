package org.alcor.controller.dataplane;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * ports, their VPCs, every subnet and router of those VPCs, a DHCP lease per port, the security groups of its
 * ports, and (as INFO ports) the members elsewhere of groups its rules admit. Neighbors are VPC-wide and come
 * from {@link VpcNeighbors}. Its cost is the host's port count (plus remote-group members), never a VPC's size.
 */
public final class HostDesired {
    private HostDesired() {}

    /**
     * The local state, the VPCs it spans, the groups whose rules it holds and the groups whose members it holds:
     * the engine's indexes of which hosts a change of each touches.
     */
    public record Local(Map<StateKey, Message> states, Set<String> vpcs, Set<String> groups, Set<String> remoteGroups) {}

    /**
     * memberLimit: a remote group with more members than this sends none (as neighbors past the push limit): every
     * member to every host that holds the group is members × hosts entries.
     */
    static Local compute(String hostId, Collection<Resource> hostPorts, Topology t, int memberLimit) {
        Map<StateKey, Message> states = new LinkedHashMap<>();
        Set<String> vpcs = new LinkedHashSet<>(), groups = new LinkedHashSet<>(), remoteGroups = new LinkedHashSet<>();
        Map<String, Map<String, Resource>> subnetsOfVpc = new HashMap<>();
        Set<String> local = new HashSet<>();
        for (Resource port : hostPorts) {
            Resource network = t.network(port.string("network_id"));
            if (network == null) continue;
            local.add(port.id());
            Map<String, Resource> vpcSubnets = subnetsOfVpc.computeIfAbsent(network.id(), id -> subnetsOf(network, t::subnet));
            if (vpcs.add(network.id())) vpcStates(network, vpcSubnets, t, states);
            states.putAll(portStates(port, network, vpcSubnets));
            if (!port.bool("port_security_enabled")) continue;
            for (String group : port.<String>list("security_groups")) {
                if (!groups.add(group)) continue;
                List<Resource> rules = t.rulesOf(group);
                states.put(new StateKey(ResourceType.SECURITY_GROUP, group), ResourceStates.securityGroup(group, rules));
                for (Resource rule : rules) if (rule.string("remote_group_id") != null) remoteGroups.add(rule.string("remote_group_id"));
            }
        }
        for (String group : remoteGroups) {
            Collection<Resource> members = t.membersOf(group);
            if (members.size() > memberLimit) continue;
            for (Resource member : members) {
                String host = member.string("binding:host_id");
                // Bound here but not among the host's ports yet: its port event is still queued, and it will be local.
                if (local.contains(member.id()) || host == null || host.isEmpty() || host.equals(hostId)) continue;
                states.put(portKey(member.id()), ResourceStates.remoteMember(member));
            }
        }
        return new Local(states, vpcs, groups, remoteGroups);
    }

    private static void vpcStates(Resource network, Map<String, Resource> vpcSubnets, Topology t, Map<StateKey, Message> states) {
        states.put(new StateKey(ResourceType.VPC, network.id()), ResourceStates.vpc(network, vpcSubnets.values()));
        for (Resource s : vpcSubnets.values()) {
            states.put(new StateKey(ResourceType.SUBNET, s.id()), ResourceStates.subnet(s, network));
            Resource router = t.routerOfSubnet(s.id());
            if (router != null) states.put(new StateKey(ResourceType.ROUTER, router.id()), ResourceStates.router(router));
        }
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
