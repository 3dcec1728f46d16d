package org.alcor.agent.state;

import org.alcor.proto.DhcpState;
import org.alcor.proto.GatewayState;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborState;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.ResourceType;
import org.alcor.proto.RouterState;
import org.alcor.proto.SecurityGroupState;
import org.alcor.proto.SubnetState;
import org.alcor.proto.VpcState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's goal state as applied so far: a full snapshot replaces everything, a delta creates, updates or
 * deletes single resources. Sorted maps keep the flow computation deterministic. Owned by the apply thread.
 */
public final class HostState {
    public final Map<String, VpcState> vpcs = new TreeMap<>();
    public final Map<String, SubnetState> subnets = new TreeMap<>();
    public final Map<String, PortState> ports = new TreeMap<>();
    public final Map<String, NeighborState> neighbors = new TreeMap<>();
    public final Map<String, SecurityGroupState> securityGroups = new TreeMap<>();
    public final Map<String, DhcpState> dhcp = new TreeMap<>();
    public final Map<String, RouterState> routers = new TreeMap<>();
    /** Kept and acked, but not programmed yet (north-south gateways are not part of this pipeline). */
    public final Map<String, GatewayState> gateways = new TreeMap<>();
    private long version;

    public record Touched(ResourceType type, String id) {}

    public long version() { return version; }

    /** Applies one message and returns the resources it named, for the per-resource results of the ack. */
    public List<Touched> apply(GoalState gs) {
        if (gs.getFullSnapshot()) {
            vpcs.clear(); subnets.clear(); ports.clear(); neighbors.clear();
            securityGroups.clear(); dhcp.clear(); routers.clear(); gateways.clear();
        }
        List<Touched> touched = new ArrayList<>();
        merge(gs.getVpcsMap(), vpcs, ResourceType.VPC, VpcState::getOp, touched);
        merge(gs.getSubnetsMap(), subnets, ResourceType.SUBNET, SubnetState::getOp, touched);
        merge(gs.getPortsMap(), ports, ResourceType.PORT, PortState::getOp, touched);
        merge(gs.getNeighborsMap(), neighbors, ResourceType.NEIGHBOR, NeighborState::getOp, touched);
        merge(gs.getSecurityGroupsMap(), securityGroups, ResourceType.SECURITY_GROUP, SecurityGroupState::getOp, touched);
        merge(gs.getDhcpMap(), dhcp, ResourceType.DHCP, DhcpState::getOp, touched);
        merge(gs.getRoutersMap(), routers, ResourceType.ROUTER, RouterState::getOp, touched);
        merge(gs.getGatewaysMap(), gateways, ResourceType.GATEWAY, GatewayState::getOp, touched);
        // a snapshot defines the version; a late or replayed delta (re-applied idempotently) never moves it back
        version = gs.getFullSnapshot() ? gs.getVersion() : Math.max(version, gs.getVersion());
        return touched;
    }

    /** Adds one neighbor learnt on demand (LookupNeighbor), under the goal-state key "<vpc_id>/<ip>". */
    public void learnNeighbor(NeighborState n) { neighbors.put(n.getVpcId() + "/" + n.getIp(), n); }

    private static <T> void merge(Map<String, T> in, Map<String, T> into, ResourceType type,
                                  java.util.function.Function<T, Operation> op, List<Touched> touched) {
        for (Map.Entry<String, T> e : in.entrySet()) {
            if (op.apply(e.getValue()) == Operation.DELETE) into.remove(e.getKey());
            else into.put(e.getKey(), e.getValue());
            touched.add(new Touched(type, e.getKey()));
        }
    }
}
