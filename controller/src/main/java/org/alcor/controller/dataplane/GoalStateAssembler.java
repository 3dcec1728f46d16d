package org.alcor.controller.dataplane;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Map;
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

/**
 * Collects one host's changes until they are sent as one GoalState: a later change of the same resource replaces
 * an earlier one, so a burst of commits for a host becomes one message with the latest state of each resource.
 */
public final class GoalStateAssembler {
    private final GoalState.Builder builder = GoalState.newBuilder();
    private int count;

    /** Nothing to send. A full snapshot is never empty in this sense: an empty host still learns its version. */
    public boolean isEmpty() { return count == 0 && !builder.getFullSnapshot(); }

    public int size() { return count; }

    public GoalStateAssembler fullSnapshot() {
        builder.setFullSnapshot(true);
        return this;
    }

    /** Adds a state with its operation; for DELETE the state may be the last one sent (only its key matters). */
    public void put(StateKey key, Message state, Operation op) {
        count++;
        // A state computed as INFO (another host's port) stays INFO when it is new or changed; only a DELETE replaces it.
        Message withOp = op != Operation.DELETE && isInfo(state) ? state : withOp(state, op);
        switch (key.type()) {
            case VPC -> builder.putVpcs(key.id(), (VpcState) withOp);
            case SUBNET -> builder.putSubnets(key.id(), (SubnetState) withOp);
            case PORT -> builder.putPorts(key.id(), (PortState) withOp);
            case NEIGHBOR -> builder.putNeighbors(key.id(), (NeighborState) withOp);
            case SECURITY_GROUP -> builder.putSecurityGroups(key.id(), (SecurityGroupState) withOp);
            case DHCP -> builder.putDhcp(key.id(), (DhcpState) withOp);
            case ROUTER -> builder.putRouters(key.id(), (RouterState) withOp);
            case GATEWAY -> builder.putGateways(key.id(), (GatewayState) withOp);
            default -> throw new IllegalArgumentException("no map for " + key.type());
        }
    }

    /** Neighbors go to many hosts at once: they arrive with their operation set, built once for all of them. */
    public void putNeighbor(String key, NeighborState neighbor) {
        count++;
        builder.putNeighbors(key, neighbor);
    }

    public GoalState.Builder builder() { return builder; }

    private static final Map<Class<?>, FieldDescriptor> OP_FIELDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static boolean isInfo(Message state) {
        FieldDescriptor field = OP_FIELDS.computeIfAbsent(state.getClass(), c -> state.getDescriptorForType().findFieldByName("op"));
        return state.getField(field) == Operation.INFO.getValueDescriptor();
    }

    static Message withOp(Message state, Operation op) {
        FieldDescriptor field = OP_FIELDS.computeIfAbsent(state.getClass(), c -> state.getDescriptorForType().findFieldByName("op"));
        return state.toBuilder().setField(field, op.getValueDescriptor()).build();
    }
}
