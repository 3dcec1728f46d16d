package org.alcor.agent.state;

import org.alcor.proto.DhcpState;
import org.alcor.proto.FixedIp;
import org.alcor.proto.GatewayState;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborPolicy;
import org.alcor.proto.NeighborState;
import org.alcor.proto.NeighborTable;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.ResourceType;
import org.alcor.proto.RouterState;
import org.alcor.proto.SecurityGroupState;
import org.alcor.proto.SubnetState;
import org.alcor.proto.VpcState;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The host's goal state as applied so far: a full snapshot replaces everything, a delta creates, updates or
 * deletes single resources. Neighbours come from the legacy neighbors map, from the per-VPC neighbour tables and
 * from on-demand lookups, all under the same key "<vpc_id>/<address>". Sorted maps keep the flow computation
 * deterministic. Owned by the apply thread.
 * <p>
 * A snapshot too large for one message arrives in parts (the first with full_snapshot, all but the last with
 * more_parts): parts are only staged, and the last one applies their union as one full snapshot. The parts are
 * contiguous on one stream, so while parts are staged any message is the next part (the last part looks like a
 * delta); a stream that breaks mid-snapshot discards them ({@link #discardStagedParts}).
 */
public final class HostState {
    private static final Logger LOG = Logger.getLogger(HostState.class.getName());

    public final Map<String, VpcState> vpcs = new TreeMap<>();
    public final Map<String, SubnetState> subnets = new TreeMap<>();
    public final Map<String, PortState> ports = new TreeMap<>();
    public final TreeMap<String, Neighbor> neighbors = new TreeMap<>();
    public final Map<String, SecurityGroupState> securityGroups = new TreeMap<>();
    public final Map<String, DhcpState> dhcp = new TreeMap<>();
    public final Map<String, RouterState> routers = new TreeMap<>();
    /** Kept and acked, but not programmed yet (north-south gateways are not part of this pipeline). */
    public final Map<String, GatewayState> gateways = new TreeMap<>();
    public final SuppressedSources suppressedSources =
            new SuppressedSources(SuppressedSources.DEFAULT_CAPACITY, SuppressedSources.DEFAULT_TTL_MILLIS);
    private final List<GoalState> stagedParts = new ArrayList<>();
    /** This host's id: a port bound to another host is rejected; empty: not checked. */
    private final String hostId;

    public HostState() { this(""); }

    public HostState(String hostId) { this.hostId = hostId; }
    private long version;
    /** The controller epoch the version is numbered in. */
    private String epoch = "";

    /** A resource a goal state named; neighbour entries are named once per VPC (id = the VPC id), never one by one. */
    public record Touched(ResourceType type, String id) {}

    /** A resource that could not be taken (malformed), reported as failed in the ack. */
    public record Rejected(ResourceType type, String id, String error) {}

    /** A goal state (or the union of a snapshot's parts) applied as {@code version}. */
    public record Applied(long version, List<Touched> touched, List<Rejected> rejected) {}

    public long version() { return version; }

    public String epoch() { return epoch; }

    /** True while the first parts of a snapshot are staged and its last part has not come. */
    public boolean stagingSnapshot() { return !stagedParts.isEmpty(); }

    /**
     * Applies one message. Empty when it was a part of a snapshot that is not complete yet (nothing changed);
     * otherwise what was applied, for the ack.
     */
    public Optional<Applied> apply(GoalState gs) {
        if (gs.getFullSnapshot()) stagedParts.clear();   // a new snapshot supersedes one still being assembled
        if (gs.getMoreParts() || !stagedParts.isEmpty()) {
            if (!gs.getFullSnapshot() && stagedParts.isEmpty()) {
                // the rest of a snapshot whose start was discarded; the controller sends a whole one after a reconnect
                LOG.warning("ignoring part v" + gs.getVersion() + " of a snapshot whose first part is not here");
                return Optional.empty();
            }
            stagedParts.add(gs);
            if (gs.getMoreParts()) return Optional.empty();
            List<GoalState> parts = List.copyOf(stagedParts);
            stagedParts.clear();
            return Optional.of(applyAll(parts, true));
        }
        return Optional.of(applyAll(List.of(gs), gs.getFullSnapshot()));
    }

    /** The stream broke: parts of an incomplete snapshot are dropped, the applied state stays as it was. */
    public void discardStagedParts() { stagedParts.clear(); }

    private Applied applyAll(List<GoalState> messages, boolean full) {
        if (full) {
            vpcs.clear(); subnets.clear(); ports.clear(); neighbors.clear();
            securityGroups.clear(); dhcp.clear(); routers.clear(); gateways.clear();
            suppressedSources.clear();   // learnt state goes with a snapshot, like learnt neighbours
        }
        Set<Touched> touched = new LinkedHashSet<>();
        List<Rejected> rejected = new ArrayList<>();
        for (GoalState gs : messages) applyOne(gs, touched, rejected);
        long last = messages.get(messages.size() - 1).getVersion();
        // a snapshot defines the version; a late or replayed delta (re-applied idempotently) never moves it back
        version = full ? last : Math.max(version, last);
        epoch = messages.get(messages.size() - 1).getEpoch();
        return new Applied(version, List.copyOf(touched), rejected);
    }

    private void applyOne(GoalState gs, Set<Touched> touched, List<Rejected> rejected) {
        merge(gs.getVpcsMap(), vpcs, ResourceType.VPC, VpcState::getOp, v -> GoalStateChecks.id("vpc id", v.getId()), touched, rejected);
        merge(gs.getSubnetsMap(), subnets, ResourceType.SUBNET, SubnetState::getOp, GoalStateChecks::subnet, touched, rejected);
        merge(gs.getPortsMap(), ports, ResourceType.PORT, PortState::getOp, p -> GoalStateChecks.port(p, hostId), touched, rejected);
        mergeNeighborMap(gs.getNeighborsMap(), touched, rejected);
        for (NeighborTable t : gs.getNeighborTablesList()) mergeNeighborTable(t, touched, rejected);
        merge(gs.getSecurityGroupsMap(), securityGroups, ResourceType.SECURITY_GROUP, SecurityGroupState::getOp,
                GoalStateChecks::securityGroup, touched, rejected);
        merge(gs.getDhcpMap(), dhcp, ResourceType.DHCP, DhcpState::getOp, GoalStateChecks::dhcp, touched, rejected);
        merge(gs.getRoutersMap(), routers, ResourceType.ROUTER, RouterState::getOp, r -> GoalStateChecks.id("router id", r.getId()), touched, rejected);
        merge(gs.getGatewaysMap(), gateways, ResourceType.GATEWAY, GatewayState::getOp, g -> GoalStateChecks.id("gateway id", g.getId()), touched, rejected);
        // a deleted VPC takes its neighbours (pushed and learnt) with it, even those this message named
        for (VpcState v : gs.getVpcsMap().values()) {
            if (v.getOp() == Operation.DELETE) {
                dropNeighborsOf(v.getId());
                suppressedSources.removeVpc(v.getId());
            }
        }
    }

    private void mergeNeighborMap(Map<String, NeighborState> in, Set<Touched> touched, List<Rejected> rejected) {
        for (Map.Entry<String, NeighborState> e : in.entrySet()) {
            String key = e.getKey();
            NeighborState n = e.getValue();
            int slash = key.indexOf('/');
            String vpc = !n.getVpcId().isEmpty() ? n.getVpcId() : slash > 0 ? key.substring(0, slash) : "";
            String ip = !n.getIp().isEmpty() ? n.getIp() : key.substring(slash + 1);
            touched.add(new Touched(ResourceType.NEIGHBOR, vpc));
            suppressedSources.remove(key);   // news about the address: judge it again
            if (n.getOp() == Operation.DELETE) {
                neighbors.remove(key);
                continue;
            }
            try {
                neighbors.put(key, Neighbor.of(vpc, ip, n));
            } catch (IllegalArgumentException bad) {
                rejected.add(new Rejected(ResourceType.NEIGHBOR, key, bad.getMessage()));
            }
        }
    }

    /** Deletes before upserts: an address deleted and taken again in one message ends up with its new entry. */
    private void mergeNeighborTable(NeighborTable t, Set<Touched> touched, List<Rejected> rejected) {
        touched.add(new Touched(ResourceType.NEIGHBOR, t.getVpcId()));
        NeighborTableReader.Decoded d;
        try {
            d = NeighborTableReader.read(t);
        } catch (IllegalArgumentException bad) {
            rejected.add(new Rejected(ResourceType.NEIGHBOR, t.getVpcId(), bad.getMessage()));
            return;
        }
        // What was held of the VPC differed from the controller's table: it is sent whole from here.
        if (t.getReplace()) dropNeighborsOf(t.getVpcId());
        for (String ip : d.deletedIps()) {
            String key = Neighbor.key(t.getVpcId(), ip);
            neighbors.remove(key);
            suppressedSources.remove(key);
        }
        for (Neighbor n : d.upserts()) {
            String key = n.key();
            neighbors.put(key, n);
            suppressedSources.remove(key);
        }
    }

    /** Every neighbour entry of the VPC, pushed or learnt: '0' follows '/', so exactly the keys "<vpc_id>/...". */
    private void dropNeighborsOf(String vpcId) { neighbors.subMap(vpcId + "/", vpcId + "0").clear(); }

    /** One record of a VPC feed (the MQ path): neighbour changes outside any version; false when some were malformed. */
    public boolean applyNeighbors(NeighborTable changes) {
        List<Rejected> rejected = new ArrayList<>();
        mergeNeighborTable(changes, new LinkedHashSet<>(), rejected);
        return rejected.isEmpty();
    }

    /** Adds one neighbour learnt on demand (LookupNeighbor), under the key it was asked for. */
    public void learnNeighbor(Neighbor n) { neighbors.put(n.key(), n); }

    /** PROACTIVE unless the VPC says ON_DEMAND (UNSPECIFIED reads as PROACTIVE, as do unknown VPCs). */
    public NeighborPolicy neighborPolicy(String vpcId) {
        VpcState v = vpcs.get(vpcId);
        return v != null && v.getNeighborPolicy() == NeighborPolicy.ON_DEMAND ? NeighborPolicy.ON_DEMAND : NeighborPolicy.PROACTIVE;
    }

    public boolean isOnDemand(String vpcId) { return neighborPolicy(vpcId) == NeighborPolicy.ON_DEMAND; }

    /**
     * Whether the host has an entry for {@code ip} in the VPC, with its groups: a neighbour (pushed or learnt) or a
     * port (local, or another host's sent as INFO). Ports are few on a host, so they are scanned.
     */
    public boolean knowsAddress(String vpcId, String ip) {
        if (neighbors.containsKey(Neighbor.key(vpcId, ip))) return true;
        for (PortState p : ports.values()) {
            if (!p.getVpcId().equals(vpcId)) continue;
            for (FixedIp f : p.getFixedIpsList()) if (f.getIpAddress().equals(ip)) return true;
        }
        return false;
    }

    /** check: why a state may not be applied, or null; a rejected one leaves what was there and is acked as an error. */
    private static <T> void merge(Map<String, T> in, Map<String, T> into, ResourceType type, Function<T, Operation> op,
                                  Function<T, String> check, Set<Touched> touched, List<Rejected> rejected) {
        for (Map.Entry<String, T> e : in.entrySet()) {
            if (op.apply(e.getValue()) == Operation.DELETE) {
                into.remove(e.getKey());
            } else {
                String bad = GoalStateChecks.id(type + " key", e.getKey());
                if (bad == null) bad = check.apply(e.getValue());
                if (bad != null) {
                    LOG.warning("rejected " + type + " state: " + bad);
                    rejected.add(new Rejected(type, e.getKey(), bad));
                    continue;
                }
                into.put(e.getKey(), e.getValue());
            }
            touched.add(new Touched(type, e.getKey()));
        }
    }
}
