package org.alcor.agent.state;

import com.google.protobuf.Message;
import java.util.Map;
import java.util.TreeMap;
import org.alcor.proto.GroupDigest;
import org.alcor.proto.ResourceType;
import org.alcor.proto.StateDigest;
import org.alcor.southbound.digest.StateDigests;

/**
 * What the host holds, as reconciliation compares it with what the controller sent (StateDigest): a count and an
 * order-free hash per resource type and per VPC's neighbours, computed the way the controller computes its side
 * ({@link StateDigests}). Neighbours of an ON_DEMAND VPC are a cache here, not pushed state, and are left out.
 */
public final class HostDigest {
    private HostDigest() {}

    public static StateDigest of(HostState s, long flowRepairs) {
        StateDigest.Builder d = StateDigest.newBuilder().setVersion(s.version()).setEpoch(s.epoch()).setFlowRepairs(flowRepairs);
        local(d, ResourceType.VPC, s.vpcs);
        local(d, ResourceType.SUBNET, s.subnets);
        local(d, ResourceType.PORT, s.ports);
        local(d, ResourceType.SECURITY_GROUP, s.securityGroups);
        local(d, ResourceType.DHCP, s.dhcp);
        local(d, ResourceType.ROUTER, s.routers);
        local(d, ResourceType.GATEWAY, s.gateways);
        Map<String, StateDigests.Sum> byVpc = new TreeMap<>();
        for (Neighbor n : s.neighbors.values()) {
            if (s.isOnDemand(n.vpcId())) continue;
            long[] a = StateDigests.address(n.ip());
            if (a == null) continue;   // no entry the controller sends has such a key: it shows as a count that differs
            byVpc.computeIfAbsent(n.vpcId(), v -> new StateDigests.Sum()).add(StateDigests.neighbor(a[0], a[1], n.mac(), n.hostIpv4(), n.securityGroupIds()));
        }
        byVpc.forEach((vpc, sum) -> d.addGroups(GroupDigest.newBuilder().setType(ResourceType.NEIGHBOR).setVpcId(vpc)
                .setCount(sum.count()).setHash(sum.hash())));
        return d.build();
    }

    private static void local(StateDigest.Builder d, ResourceType type, Map<String, ? extends Message> states) {
        if (states.isEmpty()) return;
        StateDigests.Sum sum = new StateDigests.Sum();
        states.forEach((id, state) -> sum.add(StateDigests.member(id, StateDigests.fingerprint(state))));
        d.addGroups(GroupDigest.newBuilder().setType(type).setCount(sum.count()).setHash(sum.hash()));
    }
}
