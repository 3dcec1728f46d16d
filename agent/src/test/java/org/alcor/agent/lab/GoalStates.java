package org.alcor.agent.lab;

import org.alcor.proto.DhcpState;
import org.alcor.proto.Direction;
import org.alcor.proto.FixedIp;
import org.alcor.proto.HostRoute;
import org.alcor.proto.IpVersion;
import org.alcor.proto.NeighborState;
import org.alcor.proto.NeighborType;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.RouterInterface;
import org.alcor.proto.RouterState;
import org.alcor.proto.SecurityGroupRule;
import org.alcor.proto.SecurityGroupState;
import org.alcor.proto.SubnetState;
import org.alcor.proto.VpcState;

import java.util.List;

/** Goal-state building blocks for tests, as the controller would send them. */
public final class GoalStates {
    private GoalStates() {}

    public static VpcState vpc(String id, int vni) {
        return VpcState.newBuilder().setOp(Operation.CREATE).setId(id).setVni(vni).addCidrs("10.0.0.0/8").build();
    }

    public static SubnetState subnet(String id, String vpc, String cidr, String gw) {
        return SubnetState.newBuilder().setOp(Operation.CREATE).setId(id).setVpcId(vpc).setCidr(cidr).setIpVersion(IpVersion.IPV4)
                .setGatewayIp(gw).setDhcpEnabled(true).addDnsNameservers("10.255.255.53").setMtu(1450).build();
    }

    public static PortState port(String id, String vpc, String subnet, String mac, String ip, String host, String... sgs) {
        return PortState.newBuilder().setOp(Operation.CREATE).setId(id).setVpcId(vpc).setMac(mac)
                .addFixedIps(FixedIp.newBuilder().setSubnetId(subnet).setIpAddress(ip)).addAllSecurityGroupIds(List.of(sgs))
                .setPortSecurityEnabled(true).setHostId(host).setAdminStateUp(true).setDeviceOwner("compute:nova").build();
    }

    public static DhcpState dhcp(String port, String subnet, String mac, String ip, String gw) {
        return DhcpState.newBuilder().setOp(Operation.CREATE).setPortId(port).setSubnetId(subnet).setMac(mac).setIp(ip)
                .setGateway(gw).addDns("10.255.255.53").setMtu(1450).setLeaseSeconds(3600)
                .addHostRoutes(HostRoute.newBuilder().setDestination("192.168.77.0/24").setNexthop(gw)).build();
    }

    public static NeighborState neighbor(String vpc, int vni, String subnet, String port, String mac, String ip, String hostIp) {
        return NeighborState.newBuilder().setOp(Operation.CREATE).setVpcId(vpc).setVni(vni).setSubnetId(subnet).setPortId(port)
                .setMac(mac).setIp(ip).setHostUnderlayIp(hostIp).setType(NeighborType.L2).build();
    }

    public static SecurityGroupRule rule(String id, Direction dir, String proto, String remote) {
        return SecurityGroupRule.newBuilder().setId(id).setDirection(dir).setEthertype(IpVersion.IPV4).setProtocol(proto)
                .setRemoteIpPrefix(remote).build();
    }

    public static SecurityGroupState sg(String id, SecurityGroupRule... rules) {
        return SecurityGroupState.newBuilder().setOp(Operation.UPDATE).setId(id).addAllRules(List.of(rules)).build();
    }

    public static RouterState router(String id, RouterInterface... ifs) {
        return RouterState.newBuilder().setOp(Operation.CREATE).setId(id).addAllInterfaces(List.of(ifs)).build();
    }

    public static RouterInterface routerIf(String subnet, String port, String ip, String mac) {
        return RouterInterface.newBuilder().setSubnetId(subnet).setPortId(port).setIp(ip).setMac(mac).build();
    }
}
