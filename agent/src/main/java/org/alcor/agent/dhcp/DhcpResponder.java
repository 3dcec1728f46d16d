package org.alcor.agent.dhcp;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.agent.state.HostState;
import org.alcor.proto.DhcpState;
import org.alcor.proto.HostRoute;
import org.alcor.proto.SubnetState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-host DHCP server: answers DISCOVER with OFFER and REQUEST with ACK (or NAK for an address that is not
 * the port's) from the goal state alone, so no DHCP packet ever leaves the host and no controller round trip
 * sits on a VM's boot path. Leases are published by the apply thread as an immutable map keyed by client MAC;
 * packet-ins read it from the OpenFlow reader thread.
 */
public final class DhcpResponder {
    public static final int DEFAULT_MTU = 1450;
    public static final int DEFAULT_LEASE = 86400;
    /** Source MAC of replies: locally administered, never a VM's. */
    public static final long SERVER_MAC = 0x02a1c0000001L;

    private volatile Map<Long, DhcpLease> leases = Map.of();

    /** Recomputes the lease table from the goal state (apply thread). */
    public void update(HostState state) {
        Map<Long, DhcpLease> out = new HashMap<>();
        for (DhcpState d : state.dhcp.values()) {
            if (!Ipv4.isIpv4(d.getIp()) || d.getMac().isEmpty()) continue;
            SubnetState s = state.subnets.get(d.getSubnetId());
            if (s != null && !s.getDhcpEnabled()) continue;
            int prefix = s != null && Ipv4.isIpv4(s.getCidr()) ? Ipv4.prefix(s.getCidr()).length() : 24;
            String gwText = !d.getGateway().isEmpty() ? d.getGateway() : s != null ? s.getGatewayIp() : "";
            int gw = Ipv4.isIpv4(gwText) ? Ipv4.parse(gwText) : 0;
            List<Integer> dns = new ArrayList<>();
            List<String> dnsText = !d.getDnsList().isEmpty() ? d.getDnsList() : s != null ? s.getDnsNameserversList() : List.of();
            for (String x : dnsText) if (Ipv4.isIpv4(x)) dns.add(Ipv4.parse(x));
            List<int[]> routes = new ArrayList<>();
            List<HostRoute> hr = !d.getHostRoutesList().isEmpty() ? d.getHostRoutesList() : s != null ? s.getHostRoutesList() : List.of();
            for (HostRoute r : hr) {
                if (!Ipv4.isIpv4(r.getDestination()) || !Ipv4.isIpv4(r.getNexthop())) continue;
                Ipv4.Prefix p = Ipv4.prefix(r.getDestination());
                routes.add(new int[] {p.address(), p.length(), Ipv4.parse(r.getNexthop())});
            }
            int mtu = d.getMtu() != 0 ? d.getMtu() : s != null && s.getMtu() != 0 ? s.getMtu() : DEFAULT_MTU;
            int lease = d.getLeaseSeconds() != 0 ? d.getLeaseSeconds() : DEFAULT_LEASE;
            // server identifier: the gateway, or a link-local address when the subnet has none
            int server = gw != 0 ? gw : Ipv4.parse("169.254.169.254");
            long mac = Mac.parse(d.getMac());
            out.put(mac, new DhcpLease(mac, Ipv4.parse(d.getIp()), prefix, gw, dns, mtu, lease, routes, server, SERVER_MAC));
        }
        leases = Map.copyOf(out);
    }

    /** The reply frame for one client frame, or null when the frame is not ours to answer. */
    public byte[] answer(byte[] frame) {
        DhcpRequest req = DhcpRequest.parse(frame);
        if (req == null) return null;
        DhcpLease lease = leases.get(req.clientMac());
        if (lease == null) return null;
        return switch (req.messageType()) {
            case DhcpRequest.DISCOVER -> DhcpReplyEncoder.reply(req, lease, DhcpRequest.OFFER);
            case DhcpRequest.REQUEST -> {
                int wanted = req.requestedIp() != 0 ? req.requestedIp() : req.ciaddr();
                yield DhcpReplyEncoder.reply(req, lease, wanted == 0 || wanted == lease.ip() ? DhcpRequest.ACK : DhcpRequest.NAK);
            }
            case DhcpRequest.INFORM -> DhcpReplyEncoder.reply(req, lease, DhcpRequest.ACK);
            default -> null;   // RELEASE, DECLINE: the address stays the port's
        };
    }
}
