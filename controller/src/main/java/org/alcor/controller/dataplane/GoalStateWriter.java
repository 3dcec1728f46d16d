package org.alcor.controller.dataplane;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.proto.DhcpState;
import org.alcor.proto.GatewayState;
import org.alcor.proto.GoalState;
import org.alcor.proto.GroupSet;
import org.alcor.proto.NeighborTable.Builder;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.RouterState;
import org.alcor.proto.SecurityGroupState;
import org.alcor.proto.SubnetState;
import org.alcor.proto.VpcState;

/**
 * Builds one GoalState within a size budget (the southbound bounds its messages): local states with their
 * operation, and per VPC a columnar neighbour table. Refuses an addition that would pass the budget, unless the
 * message is still empty (a single state larger than the budget still goes, alone), so the caller knows where it
 * was cut and continues in the next message.
 */
final class GoalStateWriter {
    /** Key, map entry and field overhead of one local state, beyond its own bytes. */
    private static final int STATE_OVERHEAD = 48;

    private final GoalState.Builder gs = GoalState.newBuilder();
    private final Map<String, NeighborColumns> tables = new LinkedHashMap<>();
    private final int budget;
    private int used;
    private int count;

    GoalStateWriter(int budget) { this.budget = budget; }

    void fullSnapshot() { gs.setFullSnapshot(true); }

    boolean isEmpty() { return count == 0 && !gs.getFullSnapshot(); }

    int states() { return count; }

    private boolean take(int bytes) {
        if (count > 0 && used + bytes > budget) return false;
        used += bytes;
        count++;
        return true;
    }

    /** A new or changed state; false when the message is full. */
    boolean put(StateKey key, Message state, Operation op) {
        if (!take(state.getSerializedSize() + key.id().length() + STATE_OVERHEAD)) return false;
        switch (key.type()) {
            case VPC -> gs.putVpcs(key.id(), ((VpcState) state).toBuilder().setOp(op).build());
            case SUBNET -> gs.putSubnets(key.id(), ((SubnetState) state).toBuilder().setOp(op).build());
            case PORT -> gs.putPorts(key.id(), ((PortState) state).toBuilder().setOp(op).build());
            case SECURITY_GROUP -> gs.putSecurityGroups(key.id(), ((SecurityGroupState) state).toBuilder().setOp(op).build());
            case DHCP -> gs.putDhcp(key.id(), ((DhcpState) state).toBuilder().setOp(op).build());
            case ROUTER -> gs.putRouters(key.id(), ((RouterState) state).toBuilder().setOp(op).build());
            case GATEWAY -> gs.putGateways(key.id(), ((GatewayState) state).toBuilder().setOp(op).build());
            default -> throw new IllegalArgumentException("no map for " + key.type());
        }
        return true;
    }

    /** A state the host has and should not: only its key is sent. */
    boolean delete(StateKey key) {
        if (!take(key.id().length() + STATE_OVERHEAD)) return false;
        Operation d = Operation.DELETE;
        switch (key.type()) {
            case VPC -> gs.putVpcs(key.id(), VpcState.newBuilder().setId(key.id()).setOp(d).build());
            case SUBNET -> gs.putSubnets(key.id(), SubnetState.newBuilder().setId(key.id()).setOp(d).build());
            case PORT -> gs.putPorts(key.id(), PortState.newBuilder().setId(key.id()).setOp(d).build());
            case SECURITY_GROUP -> gs.putSecurityGroups(key.id(), SecurityGroupState.newBuilder().setId(key.id()).setOp(d).build());
            case DHCP -> gs.putDhcp(key.id(), DhcpState.newBuilder().setPortId(key.id()).setOp(d).build());
            case ROUTER -> gs.putRouters(key.id(), RouterState.newBuilder().setId(key.id()).setOp(d).build());
            case GATEWAY -> gs.putGateways(key.id(), GatewayState.newBuilder().setId(key.id()).setOp(d).build());
            default -> throw new IllegalArgumentException("no map for " + key.type());
        }
        return true;
    }

    /** Hands a VPC over to its feed (small, and never cut: the message that carries it is complete). */
    void feed(org.alcor.proto.VpcFeed feed) {
        gs.addVpcFeeds(feed);
        used += feed.getSerializedSize();
        count++;
    }

    /** Where a VPC's neighbour entries for this message go. */
    NeighborTable.Sink neighbors(String vpcId) { return tables.computeIfAbsent(vpcId, NeighborColumns::new); }

    /**
     * The host is to drop what it holds of the VPC's neighbours first (the entries that follow, here and in the next
     * messages, are the whole table); false when the message is full.
     */
    boolean replaceNeighbors(String vpcId) {
        if (!take(vpcId.length() + 8)) return false;
        tables.computeIfAbsent(vpcId, NeighborColumns::new).replace = true;
        return true;
    }

    /** The message, its neighbour tables written out. */
    GoalState.Builder build(boolean moreParts) {
        for (NeighborColumns t : tables.values()) if (!t.isEmpty() || t.replace) gs.addNeighborTables(t.build());
        return gs.setMoreParts(moreParts);
    }

    /** One VPC's entries in columns: IPv4 entries, then IPv6 ones, each column in that order (goalstate.proto). */
    private final class NeighborColumns implements NeighborTable.Sink {
        private final String vpcId;
        private final List<Neighbor> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        private final List<String> deleted = new ArrayList<>();
        private final Map<List<String>, Integer> groupSets = new HashMap<>();
        private final List<List<String>> groupSetOrder = new ArrayList<>();
        boolean replace;

        NeighborColumns(String vpcId) { this.vpcId = vpcId; }

        boolean isEmpty() { return v4.isEmpty() && v6.isEmpty() && deleted.isEmpty(); }

        @Override
        public boolean upsert(Neighbor n) {
            int bytes = (n.ipv6() ? 16 : 4) + 6 + 4 + 2;
            boolean newSet = !n.groups().isEmpty() && !groupSets.containsKey(n.groups());
            if (newSet) for (String g : n.groups()) bytes += g.length() + 2;
            if (!take(bytes)) return false;
            if (newSet) {
                groupSetOrder.add(n.groups());
                groupSets.put(n.groups(), groupSetOrder.size());
            }
            (n.ipv6() ? v6 : v4).add(n);
            return true;
        }

        @Override
        public boolean delete(String ip) {
            if (!take(ip.indexOf(':') >= 0 ? 16 : 4)) return false;
            deleted.add(ip);
            return true;
        }

        org.alcor.proto.NeighborTable build() {
            Builder b = org.alcor.proto.NeighborTable.newBuilder().setVpcId(vpcId).setReplace(replace);
            ByteBuffer macs = ByteBuffer.allocate((v4.size() + v6.size()) * 6);
            ByteBuffer v6Addresses = ByteBuffer.allocate(v6.size() * 16);
            for (List<Neighbor> list : List.of(v4, v6)) {
                for (Neighbor n : list) {
                    if (n.ipv6()) v6Addresses.putLong(n.v6high()).putLong(n.v6low()); else b.addIpv4(n.ipv4());
                    macs.putShort((short) (n.mac() >>> 32)).putInt((int) n.mac());
                    b.addHostIpv4(n.hostIpv4());
                    b.addGroupSet(n.groups().isEmpty() ? 0 : groupSets.get(n.groups()));
                }
            }
            b.setIpv6(ByteString.copyFrom(v6Addresses.array())).setMacs(ByteString.copyFrom(macs.array()));
            for (List<String> set : groupSetOrder) b.addGroupSets(GroupSet.newBuilder().addAllSecurityGroupIds(set));
            ByteBuffer deleted6 = ByteBuffer.allocate(16 * (int) deleted.stream().filter(ip -> ip.indexOf(':') >= 0).count());
            for (String ip : deleted) {
                var address = org.alcor.controller.ipam.IpAddress.parse(ip).orElseThrow();
                if (address.version() == 4) b.addDeletedIpv4(address.value().intValue());
                else deleted6.putLong(address.value().shiftRight(64).longValue()).putLong(address.value().longValue());
            }
            return b.setDeletedIpv6(ByteString.copyFrom(deleted6.array())).build();
        }
    }
}
