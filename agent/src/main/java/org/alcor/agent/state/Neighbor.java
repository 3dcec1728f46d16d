package org.alcor.agent.state;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.proto.NeighborState;

import java.util.List;

/**
 * Where one address of a VPC lives: its MAC, the tunnel endpoint of the host holding it and the security groups
 * of its port. Kept compact (a host may hold hundreds of thousands): the MAC and the underlay address as numbers,
 * group lists shared between entries of the same table. {@code hostIpv4} 0: no usable tunnel endpoint;
 * {@code vni} 0: the VPC's; {@code portId} may be empty (the neighbour tables carry none).
 */
public record Neighbor(String vpcId, String ip, long mac, int hostIpv4, int vni, String portId, List<String> securityGroupIds) {

    /** The goal-state key, "<vpc_id>/<address>", shared by the neighbors map and the neighbour tables. */
    public static String key(String vpcId, String ip) { return vpcId + "/" + ip; }

    public String key() { return key(vpcId, ip); }

    public boolean isIpv4() { return ip.indexOf(':') < 0; }

    /**
     * From a NeighborState (the legacy neighbors map, or a LookupNeighbor answer) stored under {@code vpcId} and
     * {@code ip}: the key it was sent or asked under, whatever the message repeats inside.
     *
     * @throws IllegalArgumentException when the MAC is not one
     */
    public static Neighbor of(String vpcId, String ip, NeighborState n) {
        String host = n.getHostUnderlayIp();
        int hostIpv4 = Ipv4.isIpv4(host) && host.indexOf('/') < 0 ? Ipv4.parse(host) : 0;
        return new Neighbor(vpcId, ip, Mac.parse(n.getMac()), hostIpv4, n.getVni(), n.getPortId(), List.copyOf(n.getSecurityGroupIdsList()));
    }
}
