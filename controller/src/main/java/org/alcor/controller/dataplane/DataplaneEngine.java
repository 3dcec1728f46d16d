package org.alcor.controller.dataplane;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.RowChange;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;
import org.alcor.proto.NeighborState;

/**
 * Turns committed changes into per-host goal-state deltas for the hosts connected to this controller.
 *
 * <p>Every replica subscribes to the store's change feed, so a host receives changes committed on any replica.
 * One thread owns all state (no locks): it takes every queued event, applies them all, then sends each touched
 * host one message. Changes committed together (a bulk create, a burst of single creates) therefore reach a host
 * as one GoalState. Per port change the work is the port's host (its ports, not its VPC) plus one neighbor entry
 * multicast to the VPC's hosts; nothing recomputes a VPC.
 */
public final class DataplaneEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DataplaneEngine.class.getName());
    private static final int MAX_EVENTS_PER_ROUND = 10_000;

    private final Store store;
    private final int neighborPushLimit;
    private final ResourceMirror mirror;
    private final Map<String, HostView> hosts = new HashMap<>();
    /** For ports of hosts served here: which host holds each. */
    private final Map<String, String> hostOfPort = new HashMap<>();
    private final Map<String, VpcNeighbors> vpcs = new HashMap<>();
    /** Which hosts served here hold each security group's rules, and which hold each group's members (remote groups). */
    private final Map<String, Set<String>> groupHosts = new HashMap<>(), remoteGroupHosts = new HashMap<>();
    private final Map<String, GoalStateAssembler> pending = new LinkedHashMap<>();
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> feeds = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    public DataplaneEngine(Store store, int neighborPushLimit) {
        this.store = store;
        this.neighborPushLimit = neighborPushLimit;
        this.mirror = new ResourceMirror(store);
        this.thread = new Thread(this::run, "alcor-dataplane");
        thread.setDaemon(true);
        thread.start();
        for (Table t : new Table[] {Table.PORTS, Table.NETWORKS, Table.SUBNETS, Table.HOSTS, Table.ROUTERS, Table.SUBNET_ROUTERS,
                Table.SECURITY_GROUP_RULES, Table.SECURITY_GROUP_PORTS}) {
            feeds.add(store.subscribe(t, changes -> queue.add(() -> changes.forEach(this::onChange))));
        }
    }

    /**
     * A host's stream is (re)attached. resumed: the session replayed what the host missed, so what was sent stands;
     * otherwise the host gets a full snapshot.
     */
    public void attach(String hostId, HostSink sink, boolean resumed) {
        queue.add(() -> {
            HostView view = hosts.get(hostId);
            if (resumed && view != null) {
                view.sink = sink;
                return;
            }
            if (view != null) forget(view);
            view = new HostView(hostId, sink);
            hosts.put(hostId, view);
            for (StoredRow row : store.find(Table.PORTS, Column.HOST, hostId)) {
                view.ports.put(row.id(), ResourceRepository.decode(row));
                hostOfPort.put(row.id(), hostId);
            }
            pending.put(hostId, new GoalStateAssembler().fullSnapshot());
            recompute(view);
        });
    }

    /** The host's session ended for good: its state here is dropped. */
    public void detach(String hostId, HostSink sink) {
        queue.add(() -> {
            HostView view = hosts.get(hostId);
            if (view != null && view.sink == sink) forget(view);
        });
    }

    /** On-demand neighbor resolution: where an address of a VPC lives, if a bound port holds it. */
    public CompletableFuture<Optional<NeighborState>> lookup(String vpcId, String ip) {
        var result = new CompletableFuture<Optional<NeighborState>>();
        queue.add(() -> {
            Resource network = mirror.network(vpcId);
            result.complete(network == null ? Optional.empty() : Optional.ofNullable(vpc(vpcId).lookup(ip)));
        });
        return result;
    }

    private void run() {
        List<Runnable> round = new ArrayList<>();
        while (!closed) {
            try {
                round.add(queue.take());
                queue.drainTo(round, MAX_EVENTS_PER_ROUND);
                for (Runnable task : round) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "dataplane event failed", e);
                    }
                }
                flush();
            } catch (InterruptedException e) {
                return;
            } finally {
                round.clear();
            }
        }
    }

    private void flush() {
        for (var e : pending.entrySet()) {
            HostView view = hosts.get(e.getKey());
            if (view != null && !e.getValue().isEmpty()) {
                try {
                    view.sink.send(e.getValue());
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "sending to host " + e.getKey() + " failed", ex);
                }
            }
        }
        pending.clear();
    }

    private void onChange(RowChange change) {
        switch (change.table()) {
            case PORTS -> onPort(change);
            case NETWORKS, SUBNETS -> onVpcResource(change);
            case HOSTS -> onHost(change);
            case ROUTERS -> onRouter(change);
            case SUBNET_ROUTERS -> {
                mirror.linkChanged(change);
                StoredRow row = change.after() != null ? change.after() : change.before();
                if (row != null) recomputeVpc(row.network());
            }
            case SECURITY_GROUP_RULES -> {
                StoredRow row = change.after() != null ? change.after() : change.before();
                if (row == null) return;
                mirror.rulesChanged(row.securityGroup());
                recomputeAll(groupHosts.get(row.securityGroup()));
            }
            case SECURITY_GROUP_PORTS -> {
                if (mirror.membershipChanged(change)) {
                    // Keyed "group/port": a delete's event may carry no row.
                    int slash = change.id().indexOf('/');
                    memberDelta(change.id().substring(0, slash), change.id().substring(slash + 1));
                }
            }
            default -> { }
        }
    }

    private void onPort(RowChange change) {
        Resource after = change.after() == null ? null : ResourceRepository.decode(change.after());
        String vpcId = after != null ? after.string("network_id") : change.before() != null ? change.before().network() : vpcHolding(change.id());
        VpcNeighbors vpc = vpcId == null ? null : vpcs.get(vpcId);
        if (vpc != null) updateNeighbor(vpc, change.id(), after);
        for (String group : mirror.memberChanged(change.id(), after)) memberDelta(group, change.id());

        String oldHost = hostOfPort.get(change.id());
        String newHost = after == null ? null : emptyToNull(after.string("binding:host_id"));
        if (oldHost != null && !oldHost.equals(newHost)) {
            HostView view = hosts.get(oldHost);
            hostOfPort.remove(change.id());
            Resource removed = view == null ? null : view.ports.remove(change.id());
            if (removed != null) recompute(view);
        }
        HostView view = newHost == null ? null : hosts.get(newHost);
        if (view != null) {
            Resource held = view.ports.get(change.id());
            if (held == null || after.revision() > held.revision()) {
                view.ports.put(change.id(), after);
                hostOfPort.put(change.id(), newHost);
                recomputePort(view, change.id(), vpcId, held);
            }
        }
    }

    /**
     * One port of a host came or changed. While the host's VPCs and groups stay the same only the port's own states
     * can change, so only they are computed: a host with hundreds of ports does not rebuild them all per port event.
     */
    private void recomputePort(HostView view, String portId, String vpcId, Resource previous) {
        Resource port = view.ports.get(portId);
        // A new port joins groups the host already holds (the usual case); a changed one keeps its groups.
        boolean vpcsSame = view.vpcs.contains(vpcId) && port != null && (previous == null
                ? !port.bool("port_security_enabled") || view.groups.containsAll(port.list("security_groups"))
                : port.list("security_groups").equals(previous.list("security_groups"))
                        && port.bool("port_security_enabled") == previous.bool("port_security_enabled"));
        Resource network = mirror.network(vpcId);
        if (!vpcsSame || network == null) {
            recompute(view);
            return;
        }
        Map<StateKey, com.google.protobuf.Message> desired = port == null ? Map.of()
                : HostDesired.portStates(port, network, HostDesired.subnetsOf(network, mirror::subnet));
        Map<StateKey, com.google.protobuf.Message> before = new HashMap<>();
        for (StateKey key : List.of(HostDesired.portKey(portId), HostDesired.dhcpKey(portId))) {
            var sent = view.sent.remove(key);
            if (sent != null) before.put(key, sent);
        }
        StateDiff.diff(before, desired, pendingFor(view.hostId));
        view.sent.putAll(desired);
    }

    private void updateNeighbor(VpcNeighbors vpc, String portId, Resource port) {
        String host = port == null ? null : emptyToNull(port.string("binding:host_id"));
        Resource network = mirror.network(vpc.vpcId());
        if (network == null) return;
        multicast(vpc, vpc.apply(portId, host == null ? null : port, ResourceStates.vni(network), host == null ? null : mirror.hostIp(host)));
    }

    private void multicast(VpcNeighbors vpc, List<VpcNeighbors.Change> changes) {
        if (changes.isEmpty()) return;
        for (String host : vpc.subscribers()) {
            GoalStateAssembler out = pendingFor(host);
            for (VpcNeighbors.Change c : changes) out.putNeighbor(c.key(), c.state());
        }
    }

    /** A network or subnet changed: the hosts of its VPC recompute their local state (a handful of ports each). */
    private void onVpcResource(RowChange change) {
        mirror.apply(change);
        StoredRow row = change.after() != null ? change.after() : change.before();
        recomputeVpc(change.table() == Table.NETWORKS ? change.id() : row == null ? null : row.network());
    }

    /** A router's interfaces or routes changed: the hosts of every VPC it touches (before or after) recompute. */
    private void onRouter(RowChange change) {
        mirror.apply(change);
        Set<String> networks = new java.util.HashSet<>();
        for (StoredRow row : new StoredRow[] {change.before(), change.after()}) {
            if (row == null) continue;
            for (Map<String, Object> i : ResourceRepository.decode(row).<Map<String, Object>>list("interfaces")) {
                networks.add(String.valueOf(i.get("network_id")));
            }
        }
        networks.forEach(this::recomputeVpc);
    }

    /**
     * A member of a remote group came, went or changed: each host holding the group gets that one INFO port (or its
     * removal), as a neighbor change is multicast; no host recomputes. The same result as a recompute: a port of
     * another host is an INFO port on a host while it is a member of one of the host's remote groups.
     */
    private void memberDelta(String group, String portId) {
        Set<String> holders = remoteGroupHosts.get(group);
        if (holders == null) return;
        for (String hostId : holders) {
            HostView view = hosts.get(hostId);
            if (view == null || view.ports.containsKey(portId)) continue;
            Resource member = null;
            for (String g : mirror.heldGroupsOf(portId)) {
                if (view.remoteGroups.contains(g) && mirror.memberCount(g) <= neighborPushLimit) member = mirror.member(g, portId);
            }
            String bound = member == null ? null : emptyToNull(member.string("binding:host_id"));
            // A member bound to this very host is (or is about to be, when its port event comes next) a local port.
            if (hostId.equals(bound)) bound = null;
            StateKey key = HostDesired.portKey(portId);
            Map<StateKey, com.google.protobuf.Message> desired = bound == null ? Map.of() : Map.of(key, ResourceStates.remoteMember(member));
            var sent = view.sent.remove(key);
            StateDiff.diff(sent == null ? Map.of() : Map.of(key, sent), desired, pendingFor(hostId));
            view.sent.putAll(desired);
        }
    }

    private void recomputeVpc(String vpcId) {
        VpcNeighbors vpc = vpcId == null ? null : vpcs.get(vpcId);
        if (vpc != null) recomputeAll(vpc.subscribers());
    }

    private void recomputeAll(Set<String> hostIds) {
        if (hostIds == null) return;
        for (String host : List.copyOf(hostIds)) recompute(hosts.get(host));
    }

    /** A host's underlay address changed: every neighbor entry pointing at it moves. */
    private void onHost(RowChange change) {
        Resource before = mirror.apply(change);
        if (before == null || change.after() == null) return;
        String oldIp = before.string("host_ip"), newIp = mirror.hostIp(change.id());
        if (oldIp == null || oldIp.equals(newIp)) return;
        for (VpcNeighbors vpc : vpcs.values()) {
            for (String portId : vpc.portsOnHost(oldIp)) {
                store.get(Table.PORTS, portId).map(ResourceRepository::decode).ifPresent(p -> updateNeighbor(vpc, portId, p));
            }
        }
    }

    /** desired(host) for its local state, diffed against what it was sent; joins and leaves VPC neighbor tables. */
    private void recompute(HostView view) {
        if (view == null) return;
        HostDesired.Local local = HostDesired.compute(view.hostId, view.ports.values(), mirror, neighborPushLimit);
        GoalStateAssembler out = pendingFor(view.hostId);
        for (String vpcId : local.vpcs()) {
            if (!view.vpcs.contains(vpcId)) {
                VpcNeighbors vpc = vpc(vpcId);
                vpc.subscribers().add(view.hostId);
                vpc.snapshotInto(out);
            }
        }
        for (String vpcId : view.vpcs) if (!local.vpcs().contains(vpcId)) leave(vpcId, view.hostId);
        StateDiff.diff(view.sent, local.states(), out);
        view.sent = local.states();
        view.vpcs = local.vpcs();
        reindex(groupHosts, view.hostId, view.groups, local.groups(), false);
        reindex(remoteGroupHosts, view.hostId, view.remoteGroups, local.remoteGroups(), true);
        view.groups = local.groups();
        view.remoteGroups = local.remoteGroups();
    }

    /** Keeps "which hosts hold group G" current; a group's members are dropped once no host here needs them. */
    private void reindex(Map<String, Set<String>> index, String hostId, Set<String> before, Set<String> after, boolean members) {
        for (String g : after) if (!before.contains(g)) index.computeIfAbsent(g, k -> new java.util.LinkedHashSet<>()).add(hostId);
        for (String g : before) {
            if (after.contains(g)) continue;
            Set<String> holders = index.get(g);
            if (holders != null && holders.remove(hostId) && holders.isEmpty()) {
                index.remove(g);
                if (members) mirror.dropMembers(g);
            }
        }
    }

    private void forget(HostView view) {
        hosts.remove(view.hostId);
        pending.remove(view.hostId);
        for (String portId : view.ports.keySet()) hostOfPort.remove(portId, view.hostId);
        for (String vpcId : view.vpcs) leave(vpcId, view.hostId);
        reindex(groupHosts, view.hostId, view.groups, Set.of(), false);
        reindex(remoteGroupHosts, view.hostId, view.remoteGroups, Set.of(), true);
    }

    private void leave(String vpcId, String hostId) {
        VpcNeighbors vpc = vpcs.get(vpcId);
        if (vpc == null) return;
        vpc.subscribers().remove(hostId);
        // A VPC no host here needs is dropped; it is read again when a host joins it.
        if (vpc.subscribers().isEmpty()) vpcs.remove(vpcId);
    }

    /** The VPC's neighbor table, read from the store (one index query) the first time a host here needs it. */
    private VpcNeighbors vpc(String vpcId) {
        VpcNeighbors vpc = vpcs.get(vpcId);
        if (vpc != null) return vpc;
        vpc = new VpcNeighbors(vpcId, neighborPushLimit);
        long vni = ResourceStates.vni(mirror.network(vpcId));
        for (StoredRow row : store.find(Table.PORTS, Column.NETWORK, vpcId)) {
            if (row.host() == null) continue;
            vpc.apply(row.id(), ResourceRepository.decode(row), vni, mirror.hostIp(row.host()));
        }
        vpcs.put(vpcId, vpc);
        return vpc;
    }

    /** The VPC of a deleted port when the feed did not carry its old value. */
    private String vpcHolding(String portId) {
        for (VpcNeighbors vpc : vpcs.values()) if (vpc.holds(portId)) return vpc.vpcId();
        return null;
    }

    private GoalStateAssembler pendingFor(String hostId) { return pending.computeIfAbsent(hostId, h -> new GoalStateAssembler()); }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }

    /** Events waiting for the engine thread: a backlog means hosts are behind the store. */
    public int backlog() { return queue.size(); }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable feed : feeds) {
            try {
                feed.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing change feed", e);
            }
        }
        thread.interrupt();
    }
}
