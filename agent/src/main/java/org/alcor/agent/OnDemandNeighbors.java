package org.alcor.agent;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.openflow.Actions;
import org.alcor.agent.openflow.OfConnection;
import org.alcor.agent.openflow.OfMessages;
import org.alcor.agent.openflow.Oxm;
import org.alcor.agent.openflow.PacketIn;
import org.alcor.agent.pipeline.Tables;
import org.alcor.agent.state.HostState;
import org.alcor.agent.state.Neighbor;
import org.alcor.proto.NeighborState;
import org.alcor.proto.VpcState;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Resolves what an ON_DEMAND VPC does not push: an ARP request or a routed packet for an address without an entry,
 * and the unknown source of a new incoming connection that a remote-group rule must judge. The punted packet is
 * held, the address asked of the controller (LookupNeighbor), the answer learnt into the state, and once the
 * flows with it are committed the held packet is sent on: an ARP request through the whole pipeline again (the
 * new responder flow answers it), a routed packet to the neighbour's host, an incoming packet through the ingress
 * stage again (table 70), where the rules now judge its source.
 * <p>
 * Threads: packet-ins come on the OpenFlow reader thread, lookups run on virtual threads, and what they find is
 * queued for the apply thread, which owns the state ({@link #drainInto}) and sends held packets on after each
 * commit ({@link #releaseHeld}). Held packets and lookups are bounded, and a held packet waits at most
 * {@link #HOLD_NANOS}: a flood of unknown addresses costs dropped packets, never unbounded memory.
 */
final class OnDemandNeighbors {
    private static final Logger LOG = Logger.getLogger(OnDemandNeighbors.class.getName());
    static final int MAX_HELD = 1024;
    static final long HOLD_NANOS = 5_000_000_000L;

    private final NeighborLookup lookup;
    private final Runnable wake;
    private final int tunnelOfport;
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    /**
     * Answers found but not committed yet, by key, with when they came: a retransmitted ARP punted in that window
     * must not ask again. Dropped once committed, or after HOLD_NANOS (a snapshot may have dropped the answer).
     */
    private final Map<String, Long> awaitingCommit = new ConcurrentHashMap<>();
    /** Held packets by "arp:", "routed:" or "source:" + "<vpc>/<ip>"; the first one per key (later ones are resent anyway). */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Neighbor> learnt = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> suppress = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Source> sources = new ConcurrentLinkedQueue<>();
    private volatile Map<Long, String> vpcOfVni = Map.of();

    private enum Kind { ARP, ROUTED, SOURCE }

    private record Held(Kind kind, String vpc, String ip, long vni, int inPort, int outPort, byte[] frame, long heldAtNanos) {
        String neighborKey() { return Neighbor.key(vpc, ip); }
    }

    private record Source(String vpc, String ip) {}

    OnDemandNeighbors(NeighborLookup lookup, Runnable wake, int tunnelOfport) {
        this.lookup = lookup;
        this.wake = wake;
        this.tunnelOfport = tunnelOfport;
    }

    /** Apply thread, before programming: which VPC each VNI register value means. */
    void update(HostState state) {
        Map<Long, String> m = new HashMap<>();
        for (VpcState v : state.vpcs.values()) m.put((long) v.getVni(), v.getId());
        vpcOfVni = Map.copyOf(m);
    }

    /** Reader thread: an ARP request (table 30) or a routed packet (table 45) for an address without an entry. */
    void unknownDestination(PacketIn pi) {
        byte[] f = pi.data();
        String vpc = vpcOfVni.get(pi.reg6());
        if (vpc == null) return;
        Kind kind;
        int dst;
        if (pi.tableId() == Tables.ARP_RESPONDER && f.length >= 42 && ethType(f) == 0x0806) { kind = Kind.ARP; dst = ip(f, 38); }
        else if (pi.tableId() == Tables.L3_NEIGHBOR && f.length >= 34 && ethType(f) == 0x0800) { kind = Kind.ROUTED; dst = ip(f, 30); }
        else return;
        String ip = Ipv4.format(dst);
        if (!hold(new Held(kind, vpc, ip, pi.reg6(), pi.inPort(), 0, f, System.nanoTime()))) return;
        lookUp(vpc, ip, false);
    }

    /**
     * Reader thread: a new incoming connection no rule admitted (table 71 punt). Whether its source is unknown
     * (look it up) or known (the rules have judged it: stop punting it) is for the apply thread to say.
     */
    void unknownSource(PacketIn pi) {
        byte[] f = pi.data();
        String vpc = vpcOfVni.get(pi.reg6());
        if (vpc == null || pi.reg7() == 0 || f.length < 34 || ethType(f) != 0x0800) return;
        String ip = Ipv4.format(ip(f, 26));
        if (!hold(new Held(Kind.SOURCE, vpc, ip, pi.reg6(), pi.inPort(), (int) pi.reg7(), f, System.nanoTime()))) return;
        sources.add(new Source(vpc, ip));
        wake.run();
    }

    /** False when too many packets are held already: this one is dropped (its sender retransmits). */
    private boolean hold(Held h) {
        String key = h.kind() + ":" + h.neighborKey();
        if (held.size() >= MAX_HELD && !held.containsKey(key)) return false;
        held.merge(key, h, (old, now) -> now.heldAtNanos() - old.heldAtNanos() > HOLD_NANOS ? now : old);
        return true;
    }

    private void lookUp(String vpc, String ip, boolean source) {
        String key = Neighbor.key(vpc, ip);
        if (awaitingCommit.containsKey(key) || inFlight.size() >= MAX_HELD || inFlight.putIfAbsent(key, Boolean.TRUE) != null) return;
        try {
            lookups.submit(() -> {
                try {
                    Optional<NeighborState> n = lookup.lookup(vpc, ip);
                    Neighbor found = n.isPresent() ? Neighbor.of(vpc, ip, n.get()) : null;
                    if (found != null) {
                        awaitingCommit.put(key, System.nanoTime());
                        learnt.add(found);
                    } else {
                        drop(key);
                        if (source) suppress.add(key);   // nobody's address: do not punt its packets for a while
                    }
                } catch (RuntimeException e) {
                    LOG.fine(() -> "lookup of " + key + " failed: " + e.getMessage());
                    drop(key);
                } finally {
                    inFlight.remove(key);
                    wake.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            inFlight.remove(key);
        }
    }

    private void drop(String neighborKey) {
        for (Kind k : Kind.values()) held.remove(k + ":" + neighborKey);
    }

    /**
     * Apply thread, before programming: adds learnt neighbours and suppressed sources to the state, and judges the
     * punted sources: a source the host knows has been judged by the flows already (it matched no rule), so it is
     * suppressed; an unknown one is looked up.
     */
    void drainInto(HostState state, long nowMillis) {
        Neighbor n;
        while ((n = learnt.poll()) != null) state.learnNeighbor(n);
        String key;
        while ((key = suppress.poll()) != null) state.suppressedSources.add(key, nowMillis);
        Source s;
        while ((s = sources.poll()) != null) {
            String k = Neighbor.key(s.vpc(), s.ip());
            if (state.suppressedSources.contains(k)) continue;   // its drop flow is on its way; the held packet follows it
            if (state.knowsAddress(s.vpc(), s.ip())) state.suppressedSources.add(k, nowMillis);
            else lookUp(s.vpc(), s.ip(), true);
        }
    }

    /** Apply thread, after a commit: sends on the held packets whose answer is now in the committed flows. */
    void releaseHeld(OfConnection of, HostState state) {
        long now = System.nanoTime();
        awaitingCommit.entrySet().removeIf(e -> state.neighbors.containsKey(e.getKey()) || now - e.getValue() > HOLD_NANOS);
        for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Held h = it.next().getValue();
            if (now - h.heldAtNanos() > HOLD_NANOS) { it.remove(); continue; }
            switch (h.kind()) {
                case ARP -> {
                    if (!state.neighbors.containsKey(h.neighborKey())) continue;
                    it.remove();
                    of.send(OfMessages.packetOutToTable(of.nextXid(), h.inPort(), h.frame()));
                }
                case ROUTED -> {
                    Neighbor n = state.neighbors.get(h.neighborKey());
                    if (n == null) continue;
                    it.remove();
                    if (n.hostIpv4() == 0 || !n.isIpv4()) continue;   // nowhere to tunnel it
                    long vni = n.vni() != 0 ? n.vni() : h.vni();
                    Actions a = Actions.of().setField(Oxm.ETH_DST, n.mac()).setField(Oxm.TUNNEL_ID, vni)
                            .setField(Oxm.TUN_IPV4_DST, n.hostIpv4() & 0xffffffffL).output(tunnelOfport);
                    of.send(OfMessages.packetOut(of.nextXid(), h.inPort(), a, h.frame()));
                }
                case SOURCE -> {
                    if (!state.knowsAddress(h.vpc(), h.ip()) && !state.suppressedSources.contains(h.neighborKey())) continue;
                    it.remove();
                    // a packet-out cannot start mid-pipeline: restore the registers the ingress stage reads and
                    // resubmit into it; ct() there tracks the packet again and the rules judge it afresh
                    Actions a = Actions.of().setField(Oxm.reg(Tables.REG_VNI), h.vni()).setField(Oxm.reg(Tables.REG_OUT_PORT), h.outPort())
                            .resubmit(Tables.INGRESS_CT);
                    of.send(OfMessages.packetOut(of.nextXid(), h.inPort(), a, h.frame()));
                }
            }
        }
    }

    /** Number of packets waiting for an answer (tests). */
    int heldCount() { return held.size(); }

    void close() { lookups.shutdownNow(); }

    private static int ethType(byte[] f) { return (f[12] & 0xff) << 8 | (f[13] & 0xff); }

    private static int ip(byte[] f, int at) {
        return ((f[at] & 0xff) << 24) | ((f[at + 1] & 0xff) << 16) | ((f[at + 2] & 0xff) << 8) | (f[at + 3] & 0xff);
    }
}
