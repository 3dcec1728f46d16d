package org.alcor.controller.dataplane;

import java.util.List;
import org.alcor.controller.ipam.IpAddress;
import org.alcor.controller.mac.MacAddress;
import org.alcor.proto.NeighborState;
import org.alcor.proto.NeighborType;

/**
 * Where one address of a VPC lives: its port, MAC, the tunnel endpoint of the port's host and the port's security
 * groups (a remote-group rule admits it). Immutable, so a lookup from a gRPC thread reads a consistent one while
 * the engine replaces it. IPv4 addresses, MACs and endpoints are packed numbers, as the goal state sends them.
 */
record Neighbor(String portId, String subnetId, String ip, boolean ipv6, int ipv4, long v6high, long v6low, long mac,
                int hostIpv4, List<String> groups) {

    /** The entry for one fixed IP of a port, or null when the address, MAC or the host's endpoint is unusable. */
    static Neighbor of(PortRecord port, PortRecord.FixedIp fixedIp, String hostIp) {
        var address = IpAddress.parse(fixedIp.ip()).orElse(null);
        var endpoint = hostIp == null ? null : IpAddress.parse(hostIp).orElse(null);
        var mac = port.mac() == null ? null : MacAddress.parse(port.mac()).orElse(null);
        // The overlay runs on an IPv4 underlay (the agent tunnels over IPv4 only).
        if (address == null || endpoint == null || endpoint.version() != 4 || mac == null) return null;
        int host = endpoint.value().intValue();
        if (address.version() == 4) {
            return new Neighbor(port.id(), fixedIp.subnetId(), fixedIp.ip(), false, address.value().intValue(), 0, 0, mac.value(), host,
                    port.securityGroups());
        }
        return new Neighbor(port.id(), fixedIp.subnetId(), fixedIp.ip(), true, 0, address.value().shiftRight(64).longValue(),
                address.value().longValue(), mac.value(), host, port.securityGroups());
    }

    /** This entry's member hash in a reconciliation digest, as the agent computes it from what it was sent. */
    long digest() {
        return org.alcor.southbound.digest.StateDigests.neighbor(ipv6 ? v6high : 0, ipv6 ? v6low : ipv4 & 0xffffffffL, mac, hostIpv4, groups);
    }

    /** As an on-demand lookup answers it. */
    NeighborState toState(String vpcId, long vni) {
        return NeighborState.newBuilder().setVpcId(vpcId).setIp(ip).setMac(new MacAddress(mac).toString()).setVni((int) vni)
                .setSubnetId(subnetId).setHostUnderlayIp(ipv4Text(hostIpv4)).setType(NeighborType.L2).setPortId(portId)
                .addAllSecurityGroupIds(groups).build();
    }

    static String ipv4Text(int v) { return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff); }
}
