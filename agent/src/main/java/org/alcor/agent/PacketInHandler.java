package org.alcor.agent;

import org.alcor.agent.dhcp.DhcpResponder;
import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.agent.openflow.Actions;
import org.alcor.agent.openflow.OfConnection;
import org.alcor.agent.openflow.OfMessages;
import org.alcor.agent.openflow.Oxm;
import org.alcor.agent.openflow.PacketIn;
import org.alcor.agent.pipeline.Tables;
import org.alcor.agent.state.HostState;
import org.alcor.proto.NeighborState;
import org.alcor.proto.VpcState;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Packet-ins by the table that sent them: DHCP from port security is answered at once on the reader thread
 * (no I/O but one packet-out); a routed packet with no neighbor entry (on-demand policy) is held while a virtual
 * thread asks the controller, and sent on once the learnt neighbor's flows are committed.
 */
final class PacketInHandler {
    private final DhcpResponder dhcp;
    private final NeighborLookup lookup;
    private final Supplier<OfConnection> connection;
    private final Consumer<NeighborState> learn;
    private final int tunnelOfport;
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    /** Held packets by "<vni>/<ip>", with the neighbor once known; bounded by the in-flight lookups. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private volatile Map<Long, String> vpcOfVni = Map.of();

    private record Held(int inPort, byte[] frame, boolean fromStart, NeighborState neighbor) {
        String neighborKey() { return neighbor.getVpcId() + "/" + neighbor.getIp(); }
    }

    PacketInHandler(DhcpResponder dhcp, NeighborLookup lookup, Supplier<OfConnection> connection,
                    Consumer<NeighborState> learn, int tunnelOfport) {
        this.dhcp = dhcp;
        this.lookup = lookup;
        this.connection = connection;
        this.learn = learn;
        this.tunnelOfport = tunnelOfport;
    }

    void update(HostState state) {
        Map<Long, String> m = new HashMap<>();
        for (VpcState v : state.vpcs.values()) m.put((long) v.getVni(), v.getId());
        vpcOfVni = Map.copyOf(m);
    }

    void handle(PacketIn pi) {
        OfConnection of = connection.get();
        if (of == null) return;
        if (pi.tableId() == Tables.PORT_SECURITY) {
            byte[] reply = dhcp.answer(pi.data());
            if (reply != null) of.send(OfMessages.packetOut(of.nextXid(), pi.inPort() == -1 ? 0 : pi.inPort(), Actions.of().output(Actions.PORT_IN_PORT), reply));
        } else if (pi.tableId() == Tables.L3_NEIGHBOR) {
            byte[] f = pi.data();
            if (f.length >= 34 && ethType(f) == 0x0800) onUnknownDestination(pi, ip(f, 30), false);
        } else if (pi.tableId() == Tables.ARP_RESPONDER) {
            byte[] f = pi.data();
            if (f.length >= 42 && ethType(f) == 0x0806) onUnknownDestination(pi, ip(f, 38), true);
        }
    }

    private static int ethType(byte[] f) { return (f[12] & 0xff) << 8 | (f[13] & 0xff); }

    private static int ip(byte[] f, int at) {
        return ((f[at] & 0xff) << 24) | ((f[at + 1] & 0xff) << 16) | ((f[at + 2] & 0xff) << 8) | (f[at + 3] & 0xff);
    }

    /**
     * {@code fromStart}: the held frame is as the VM sent it (an ARP request) and goes through the whole pipeline
     * again, where the new responder flow answers it; otherwise it was already routed and goes to the host.
     */
    private void onUnknownDestination(PacketIn pi, int dst, boolean fromStart) {
        byte[] f = pi.data();
        String vpc = vpcOfVni.get(pi.reg6());
        if (vpc == null) return;
        String key = pi.reg6() + "/" + Ipv4.format(dst);
        held.putIfAbsent(key, new Held(pi.inPort(), f, fromStart, null));   // keep the first; later ones are retransmitted anyway
        if (inFlight.putIfAbsent(key, Boolean.TRUE) != null) return;
        lookups.submit(() -> {
            try {
                Optional<NeighborState> n = lookup.lookup(vpc, Ipv4.format(dst));
                if (n.isPresent()) {
                    held.computeIfPresent(key, (k, h) -> new Held(h.inPort(), h.frame(), h.fromStart(), n.get()));
                    learn.accept(n.get());
                } else held.remove(key);
            } catch (RuntimeException e) {
                held.remove(key);
            } finally {
                inFlight.remove(key);
            }
        });
    }

    /**
     * After a commit: send on the held packets whose neighbor was part of the committed state
     * ({@code installed} holds goal-state neighbor keys "<vpc>/<ip>").
     */
    void releaseHeld(OfConnection of, java.util.Set<String> installed) {
        for (Map.Entry<String, Held> e : held.entrySet()) {
            NeighborState n = e.getValue().neighbor();
            if (n == null || !installed.contains(e.getValue().neighborKey()) || !Ipv4.isIpv4(n.getHostUnderlayIp())) continue;
            held.remove(e.getKey());
            if (e.getValue().fromStart()) {
                of.send(OfMessages.packetOutToTable(of.nextXid(), e.getValue().inPort(), e.getValue().frame()));
                continue;
            }
            long vni = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('/')));
            Actions a = Actions.of().setField(Oxm.ETH_DST, Mac.parse(n.getMac())).setField(Oxm.TUNNEL_ID, vni)
                    .setField(Oxm.TUN_IPV4_DST, Ipv4.parse(n.getHostUnderlayIp()) & 0xffffffffL).output(tunnelOfport);
            of.send(OfMessages.packetOut(of.nextXid(), e.getValue().inPort(), a, e.getValue().frame()));
        }
    }
}
