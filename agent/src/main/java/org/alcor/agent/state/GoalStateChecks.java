package org.alcor.agent.state;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.proto.AllowedAddressPair;
import org.alcor.proto.DhcpState;
import org.alcor.proto.FixedIp;
import org.alcor.proto.HostRoute;
import org.alcor.proto.Operation;
import org.alcor.proto.PortState;
import org.alcor.proto.SecurityGroupRule;
import org.alcor.proto.SecurityGroupState;
import org.alcor.proto.SubnetState;

/**
 * The agent distrusts what it is sent: a state whose ids are not plain identifiers, whose addresses, prefixes or
 * MACs do not parse, whose counts exceed what one resource may hold, or a port bound to another host, is rejected
 * (logged and acked as an error for that resource) before anything of it reaches flows or OVSDB. The checks are
 * strict on form only; what the values mean is the controller's business.
 */
final class GoalStateChecks {
    /** UUIDs and the controller's other ids: no spaces, commas, quotes, slashes or '=' (OpenFlow and OVSDB metacharacters). */
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
    private static final Pattern PROTOCOL = Pattern.compile("^[a-z0-9-]{0,16}$");
    static final int MAX_FIXED_IPS = 16, MAX_ADDRESS_PAIRS = 64, MAX_GROUPS_PER_PORT = 64, MAX_RULES = 10_000,
            MAX_DNS = 16, MAX_ROUTES = 64;

    private GoalStateChecks() {}

    /** null when the port is acceptable for this host (hostId empty: not checked), else why not. */
    static String port(PortState p, String hostId) {
        String bad = id("port id", p.getId());
        if (bad == null) bad = id("vpc_id", p.getVpcId());
        // INFO ports are other hosts' (what a remote-group rule needs to know of them); any other is this host's to program.
        if (bad == null && p.getOp() != Operation.INFO && !hostId.isEmpty() && !p.getHostId().isEmpty() && !p.getHostId().equals(hostId)) {
            bad = "port is bound to host " + clip(p.getHostId()) + ", not this host";
        }
        if (bad == null) bad = mac("mac", p.getMac(), false);
        if (bad == null && p.getFixedIpsCount() > MAX_FIXED_IPS) bad = p.getFixedIpsCount() + " fixed IPs (at most " + MAX_FIXED_IPS + ")";
        if (bad == null && p.getAllowedAddressPairsCount() > MAX_ADDRESS_PAIRS) bad = p.getAllowedAddressPairsCount() + " address pairs (at most " + MAX_ADDRESS_PAIRS + ")";
        if (bad == null && p.getSecurityGroupIdsCount() > MAX_GROUPS_PER_PORT) bad = p.getSecurityGroupIdsCount() + " security groups (at most " + MAX_GROUPS_PER_PORT + ")";
        for (int i = 0; bad == null && i < p.getFixedIpsCount(); i++) {
            FixedIp f = p.getFixedIps(i);
            bad = address("fixed IP", f.getIpAddress());
            if (bad == null && !f.getSubnetId().isEmpty()) bad = id("subnet_id", f.getSubnetId());
        }
        for (int i = 0; bad == null && i < p.getAllowedAddressPairsCount(); i++) {
            AllowedAddressPair a = p.getAllowedAddressPairs(i);
            bad = prefix("allowed address pair", a.getIpAddress());
            if (bad == null) bad = mac("allowed address pair MAC", a.getMacAddress(), true);
        }
        for (int i = 0; bad == null && i < p.getSecurityGroupIdsCount(); i++) bad = id("security group id", p.getSecurityGroupIds(i));
        return bad;
    }

    static String subnet(SubnetState s) {
        String bad = id("subnet id", s.getId());
        if (bad == null) bad = prefix("cidr", s.getCidr());
        if (bad == null && !s.getGatewayIp().isEmpty()) bad = address("gateway_ip", s.getGatewayIp());
        if (bad == null && s.getDnsNameserversCount() > MAX_DNS) bad = s.getDnsNameserversCount() + " DNS servers (at most " + MAX_DNS + ")";
        if (bad == null && s.getHostRoutesCount() > MAX_ROUTES) bad = s.getHostRoutesCount() + " host routes (at most " + MAX_ROUTES + ")";
        for (int i = 0; bad == null && i < s.getDnsNameserversCount(); i++) bad = address("DNS server", s.getDnsNameservers(i));
        for (int i = 0; bad == null && i < s.getHostRoutesCount(); i++) bad = route(s.getHostRoutes(i));
        return bad;
    }

    static String securityGroup(SecurityGroupState g) {
        String bad = id("security group id", g.getId());
        if (bad == null && g.getRulesCount() > MAX_RULES) bad = g.getRulesCount() + " rules (at most " + MAX_RULES + ")";
        for (int i = 0; bad == null && i < g.getRulesCount(); i++) {
            SecurityGroupRule r = g.getRules(i);
            if (!PROTOCOL.matcher(r.getProtocol()).matches()) bad = "rule protocol '" + clip(r.getProtocol()) + "'";
            else if (r.hasPortRangeMin() && r.getPortRangeMin() > 65535 || r.hasPortRangeMax() && r.getPortRangeMax() > 65535) bad = "rule port beyond 65535";
            else if (r.hasPortRangeMin() && r.hasPortRangeMax() && r.getPortRangeMin() > r.getPortRangeMax()) bad = "rule port range min above max";
            else if (!r.getRemoteIpPrefix().isEmpty()) bad = prefix("rule remote_ip_prefix", r.getRemoteIpPrefix());
            else if (!r.getRemoteGroupId().isEmpty()) bad = id("rule remote_group_id", r.getRemoteGroupId());
        }
        return bad;
    }

    static String dhcp(DhcpState d) {
        String bad = id("port id", d.getPortId());
        if (bad == null) bad = mac("mac", d.getMac(), false);
        if (bad == null) bad = address("ip", d.getIp());
        if (bad == null && !d.getGateway().isEmpty()) bad = address("gateway", d.getGateway());
        if (bad == null && (d.getDnsCount() > MAX_DNS || d.getHostRoutesCount() > MAX_ROUTES)) bad = "too many DNS servers or host routes";
        for (int i = 0; bad == null && i < d.getDnsCount(); i++) bad = address("DNS server", d.getDns(i));
        for (int i = 0; bad == null && i < d.getHostRoutesCount(); i++) bad = route(d.getHostRoutes(i));
        return bad;
    }

    private static String route(HostRoute r) {
        String bad = prefix("host route destination", r.getDestination());
        return bad != null ? bad : address("host route nexthop", r.getNexthop());
    }

    static String id(String what, String v) { return ID.matcher(v).matches() ? null : what + " '" + clip(v) + "' is not a plain identifier"; }

    private static String mac(String what, String v, boolean optional) {
        if (optional && v.isEmpty()) return null;
        try {
            Mac.parse(v);
            return null;
        } catch (RuntimeException e) {
            return what + " '" + clip(v) + "' is not a MAC address";
        }
    }

    /** An IPv4 or IPv6 literal: IPv6 only from hex digits, ':' and '.', so resolving it never asks DNS. */
    private static String address(String what, String v) {
        if (Ipv4.isIpv4(v) && !v.contains("/")) return null;
        if (!v.isEmpty() && v.length() <= 45 && v.contains(":") && v.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            try {
                InetAddress.getByName(v);
                return null;
            } catch (UnknownHostException e) {
                // falls through
            }
        }
        return what + " '" + clip(v) + "' is not an IP address";
    }

    private static String prefix(String what, String v) {
        int slash = v.indexOf('/');
        String addr = slash < 0 ? v : v.substring(0, slash);
        if (address(what, addr) != null) return what + " '" + clip(v) + "' is not an address or prefix";
        if (slash < 0) return null;
        String len = v.substring(slash + 1);
        int max = addr.contains(":") ? 128 : 32;
        if (!len.matches("[0-9]{1,3}") || Integer.parseInt(len) > max) return what + " '" + clip(v) + "' has a bad prefix length";
        return null;
    }

    /** Hostile values are logged: short and without control characters. */
    private static String clip(String v) {
        String s = v.length() > 64 ? v.substring(0, 64) + "..." : v;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
