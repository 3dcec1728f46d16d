package org.alcor.controller.dataplane;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.alcor.controller.core.Resource;
import org.alcor.proto.AllowedAddressPair;
import org.alcor.proto.Direction;
import org.alcor.proto.RouterInterface;
import org.alcor.proto.RouterState;
import org.alcor.proto.Route;
import org.alcor.proto.SecurityGroupRule;
import org.alcor.proto.SecurityGroupState;
import org.alcor.proto.DhcpState;
import org.alcor.proto.FixedIp;
import org.alcor.proto.HostRoute;
import org.alcor.proto.IpVersion;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.PortState;
import org.alcor.proto.SubnetState;
import org.alcor.proto.VpcState;

/**
 * Pure translation of stored resources into the southbound contract's resource states: no I/O, no clock, so the
 * same inputs always give equal messages and a diff of two computations is exactly what changed. The states carry
 * no operation: the diff adds it.
 */
public final class ResourceStates {
    /** What the DHCP responder hands out as lease time (Neutron's default dhcp_lease_duration). */
    static final int LEASE_SECONDS = 86_400;

    private ResourceStates() {}

    static long vni(Resource network) {
        Object v = network.get("provider:segmentation_id");
        return v == null ? 0 : ((Number) v).longValue();
    }

    static VpcState vpc(Resource network, Collection<Resource> subnets, NeighborPolicy policy) {
        var b = VpcState.newBuilder().setId(network.id()).setProjectId(network.projectId()).setVni((int) vni(network))
                .setNeighborPolicy(policy);
        for (Resource s : subnets) b.addCidrs(s.string("cidr"));
        return b.build();
    }

    static SubnetState subnet(Resource subnet, Resource network) {
        var b = SubnetState.newBuilder().setId(subnet.id()).setVpcId(subnet.string("network_id"))
                .setCidr(subnet.string("cidr")).setIpVersion(ipVersion(subnet))
                .setGatewayIp(orEmpty(subnet.string("gateway_ip"))).setDhcpEnabled(subnet.bool("enable_dhcp"))
                .setMtu(mtu(network));
        for (Object dns : subnet.list("dns_nameservers")) b.addDnsNameservers(dns.toString());
        for (Map<String, Object> r : subnet.<Map<String, Object>>list("host_routes")) b.addHostRoutes(route(r));
        return b.build();
    }

    static PortState port(PortRecord port) {
        var b = PortState.newBuilder().setId(port.id()).setVpcId(port.networkId())
                .setMac(orEmpty(port.mac())).setPortSecurityEnabled(port.portSecurity())
                .setHostId(port.hostId()).setAdminStateUp(port.adminUp())
                .setDeviceOwner(orEmpty(port.deviceOwner()));
        for (PortRecord.FixedIp ip : port.fixedIps()) {
            b.addFixedIps(FixedIp.newBuilder().setSubnetId(ip.subnetId()).setIpAddress(ip.ip()));
        }
        b.addAllSecurityGroupIds(port.securityGroups());
        for (PortRecord.AddressPair pair : port.addressPairs()) {
            b.addAllowedAddressPairs(AllowedAddressPair.newBuilder().setIpAddress(pair.ip()).setMacAddress(orEmpty(pair.mac())));
        }
        return b.build();
    }

    /** The lease the host's DHCP responder gives the port: its first IPv4 address on a DHCP-enabled subnet. */
    static Optional<DhcpState> dhcp(PortRecord port, Map<String, Resource> subnetsById, Resource network) {
        for (PortRecord.FixedIp ip : port.fixedIps()) {
            Resource subnet = subnetsById.get(ip.subnetId());
            if (subnet == null || !subnet.bool("enable_dhcp") || ipVersion(subnet) != IpVersion.IPV4) continue;
            var b = DhcpState.newBuilder().setPortId(port.id()).setMac(orEmpty(port.mac()))
                    .setIp(ip.ip()).setSubnetId(subnet.id())
                    .setGateway(orEmpty(subnet.string("gateway_ip"))).setMtu(mtu(network)).setLeaseSeconds(LEASE_SECONDS);
            for (Object dns : subnet.list("dns_nameservers")) b.addDns(dns.toString());
            for (Map<String, Object> r : subnet.<Map<String, Object>>list("host_routes")) b.addHostRoutes(route(r));
            return Optional.of(b.build());
        }
        return Optional.empty();
    }

    /** A security group with all its rules: the agent replaces the group's flows as a whole. */
    static SecurityGroupState securityGroup(String groupId, List<Resource> rules) {
        var b = SecurityGroupState.newBuilder().setId(groupId);
        rules.stream().sorted(java.util.Comparator.comparing(Resource::id)).forEach(r -> {
            var rule = SecurityGroupRule.newBuilder().setId(r.id())
                    .setDirection("ingress".equals(r.string("direction")) ? Direction.INGRESS : Direction.EGRESS)
                    .setEthertype("IPv6".equals(r.string("ethertype")) ? IpVersion.IPV6 : IpVersion.IPV4)
                    .setProtocol(orEmpty(r.string("protocol"))).setRemoteIpPrefix(orEmpty(r.string("remote_ip_prefix")))
                    .setRemoteGroupId(orEmpty(r.string("remote_group_id")));
            if (r.get("port_range_min") instanceof Number n) rule.setPortRangeMin(n.intValue());
            if (r.get("port_range_max") instanceof Number n) rule.setPortRangeMax(n.intValue());
            b.addRules(rule);
        });
        return b.build();
    }

    /** A distributed router: every host of its subnets routes between them itself. */
    static RouterState router(Resource router) {
        var b = RouterState.newBuilder().setId(router.id());
        for (Map<String, Object> i : router.<Map<String, Object>>list("interfaces")) {
            b.addInterfaces(RouterInterface.newBuilder().setSubnetId(String.valueOf(i.get("subnet_id")))
                    .setPortId(String.valueOf(i.get("port_id"))).setIp(String.valueOf(i.get("ip_address")))
                    .setMac(String.valueOf(i.get("mac_address"))));
        }
        for (Map<String, Object> r : router.<Map<String, Object>>list("routes")) {
            b.addRoutes(Route.newBuilder().setDestination(String.valueOf(r.get("destination"))).setNexthop(String.valueOf(r.get("nexthop"))));
        }
        return b.build();
    }


    private static IpVersion ipVersion(Resource subnet) {
        return ((Number) subnet.get("ip_version")).intValue() == 6 ? IpVersion.IPV6 : IpVersion.IPV4;
    }

    private static int mtu(Resource network) {
        Object mtu = network == null ? null : network.get("mtu");
        return mtu == null ? 1450 : ((Number) mtu).intValue();
    }

    private static HostRoute route(Map<String, Object> r) {
        return HostRoute.newBuilder().setDestination(String.valueOf(r.get("destination"))).setNexthop(String.valueOf(r.get("nexthop"))).build();
    }

    private static String orEmpty(String s) { return s == null ? "" : s; }
}
