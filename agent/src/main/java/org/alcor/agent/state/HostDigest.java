package org.alcor.agent.state;

import com.google.protobuf.Message;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.alcor.proto.GroupDigest;
import org.alcor.proto.HeldState;
import org.alcor.proto.Inventory;
import org.alcor.proto.ResourceType;
import org.alcor.proto.StateDigest;
import org.alcor.southbound.digest.StateDigests;

/**
 * What the host holds, as the controller compares it with what it sent, computed the way the controller computes its
 * side ({@link StateDigests}): a StateDigest for reconciliation (a count and an order-free hash per resource type and
 * per PROACTIVE VPC's neighbours; an ON_DEMAND VPC's are a cache here, not pushed state) and an Inventory for a Hello
 * (every local state's fingerprint, every VPC's neighbour sum), from which a replica that did not send this host
 * its state can go on with a delta.
 */
public final class HostDigest {
    private HostDigest() {}

    public static StateDigest of(HostState s, long flowRepairs) {
        StateDigest.Builder d = StateDigest.newBuilder().setVersion(s.version()).setEpoch(s.epoch()).setFlowRepairs(flowRepairs);
        eachLocal(s, (type, states) -> {
            if (states.isEmpty()) return;
            StateDigests.Sum sum = new StateDigests.Sum();
            states.forEach((id, state) -> sum.add(StateDigests.member(id, StateDigests.fingerprint(state))));
            d.addGroups(GroupDigest.newBuilder().setType(type).setCount(sum.count()).setHash(sum.hash()));
        });
        neighborSums(s, false).forEach((vpc, sum) -> d.addGroups(neighbors(vpc, sum)));
        return d.build();
    }

    public static Inventory inventory(HostState s) {
        Inventory.Builder inv = Inventory.newBuilder();
        eachLocal(s, (type, states) -> states.forEach((id, state) ->
                inv.addStates(HeldState.newBuilder().setType(type).setId(id).setFingerprint(StateDigests.fingerprint(state)))));
        neighborSums(s, true).forEach((vpc, sum) -> inv.addNeighbors(neighbors(vpc, sum)));
        return inv.build();
    }

    private static void eachLocal(HostState s, BiConsumer<ResourceType, Map<String, ? extends Message>> f) {
        f.accept(ResourceType.VPC, s.vpcs);
        f.accept(ResourceType.SUBNET, s.subnets);
        f.accept(ResourceType.PORT, s.ports);
        f.accept(ResourceType.SECURITY_GROUP, s.securityGroups);
        f.accept(ResourceType.DHCP, s.dhcp);
        f.accept(ResourceType.ROUTER, s.routers);
        f.accept(ResourceType.GATEWAY, s.gateways);
    }

    private static Map<String, StateDigests.Sum> neighborSums(HostState s, boolean onDemandToo) {
        Map<String, StateDigests.Sum> byVpc = new TreeMap<>();
        for (Neighbor n : s.neighbors.values()) {
            if (!onDemandToo && s.isOnDemand(n.vpcId())) continue;
            long[] a = StateDigests.address(n.ip());
            if (a == null) continue;   // no entry the controller sends has such a key: it shows as a count that differs
            byVpc.computeIfAbsent(n.vpcId(), v -> new StateDigests.Sum()).add(StateDigests.neighbor(a[0], a[1], n.mac(), n.hostIpv4(), n.securityGroupIds()));
        }
        return byVpc;
    }

    private static GroupDigest neighbors(String vpc, StateDigests.Sum sum) {
        return GroupDigest.newBuilder().setType(ResourceType.NEIGHBOR).setVpcId(vpc).setCount(sum.count()).setHash(sum.hash()).build();
    }
}
