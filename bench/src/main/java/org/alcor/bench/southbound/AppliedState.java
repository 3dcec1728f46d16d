package org.alcor.bench.southbound;

import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.alcor.proto.GoalState;
import org.alcor.proto.Operation;

/**
 * A host's goal state as an agent holds it after applying messages: a full snapshot replaces everything, a delta
 * patches (DELETE removes, anything else stores); a deleted VPC takes its neighbors with it. States are kept
 * without their operation (but INFO), so two views compare equal when they describe the same configuration.
 */
public final class AppliedState {
    private final Map<String, Map<String, Message>> maps = new HashMap<>();

    public synchronized void apply(GoalState gs) {
        if (gs.getFullSnapshot()) maps.clear();
        patch("vpc", gs.getVpcsMap(), m -> m.getOp());
        patch("subnet", gs.getSubnetsMap(), m -> m.getOp());
        patch("port", gs.getPortsMap(), m -> m.getOp());
        patch("neighbor", gs.getNeighborsMap(), m -> m.getOp());
        patch("security_group", gs.getSecurityGroupsMap(), m -> m.getOp());
        patch("dhcp", gs.getDhcpMap(), m -> m.getOp());
        patch("router", gs.getRoutersMap(), m -> m.getOp());
        patch("gateway", gs.getGatewaysMap(), m -> m.getOp());
        gs.getVpcsMap().forEach((id, vpc) -> {
            if (vpc.getOp() == Operation.DELETE) map("neighbor").keySet().removeIf(k -> k.startsWith(id + "/"));
        });
    }

    private <M extends Message> void patch(String kind, Map<String, M> entries, Function<M, Operation> op) {
        if (entries.isEmpty()) return;
        Map<String, Message> target = map(kind);
        entries.forEach((key, state) -> {
            if (op.apply(state) == Operation.DELETE) target.remove(key);
            else target.put(key, withoutOp(state));
        });
    }

    private Map<String, Message> map(String kind) { return maps.computeIfAbsent(kind, k -> new HashMap<>()); }

    /** CREATE and UPDATE are how a state arrived, not what it is; INFO (another host's port) is kept. */
    private static Message withoutOp(Message m) {
        var op = m.getDescriptorForType().findFieldByName("op");
        if (m.getField(op) == Operation.INFO.getValueDescriptor()) return m;
        return m.toBuilder().clearField(op).build();
    }

    /** A copy of one kind's entries ("vpc", "subnet", "port", "neighbor", "security_group", "dhcp", "router", "gateway"). */
    public synchronized Map<String, Message> entries(String kind) { return Map.copyOf(maps.getOrDefault(kind, Map.of())); }

    /** A copy of everything, for comparing two hosts' views. */
    public synchronized Map<String, Map<String, Message>> all() {
        Map<String, Map<String, Message>> copy = new HashMap<>();
        maps.forEach((k, v) -> { if (!v.isEmpty()) copy.put(k, Map.copyOf(v)); });
        return copy;
    }

    public synchronized int size() { return maps.values().stream().mapToInt(Map::size).sum(); }
}
