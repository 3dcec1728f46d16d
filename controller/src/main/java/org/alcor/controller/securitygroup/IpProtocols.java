package org.alcor.controller.securitygroup;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.alcor.controller.core.AlcorException;

/** IP protocols as Neutron's security group rules accept them: a name from neutron-lib's map, or 0..255. */
final class IpProtocols {
    static final int ICMP = 1, TCP = 6, UDP = 17, DCCP = 33, ICMPV6 = 58, UDPLITE = 136, SCTP = 132;
    /** The protocols whose rules may carry a port range. */
    static final Set<Integer> WITH_PORTS = Set.of(TCP, UDP, DCCP, SCTP, UDPLITE);

    private static final Map<String, Integer> BY_NAME = new TreeMap<>(Map.ofEntries(
            Map.entry("ah", 51), Map.entry("dccp", DCCP), Map.entry("egp", 8), Map.entry("esp", 50), Map.entry("gre", 47),
            Map.entry("hopopt", 0), Map.entry("icmp", ICMP), Map.entry("igmp", 2), Map.entry("ip", 0), Map.entry("ipip", 4),
            Map.entry("ipv6-encap", 41), Map.entry("ipv6-frag", 44), Map.entry("ipv6-icmp", ICMPV6), Map.entry("icmpv6", ICMPV6),
            Map.entry("ipv6-nonxt", 59), Map.entry("ipv6-opts", 60), Map.entry("ipv6-route", 43), Map.entry("ospf", 89),
            Map.entry("pgm", 113), Map.entry("rsvp", 46), Map.entry("sctp", SCTP), Map.entry("tcp", TCP), Map.entry("udp", UDP),
            Map.entry("udplite", UDPLITE), Map.entry("vrrp", 112)));

    private IpProtocols() {}

    /** The protocol as stored: a lower-case name, a decimal number as text, or empty for "any". */
    static Optional<String> canonical(Object value) {
        if (value == null) return Optional.empty();
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("any")) return Optional.empty();
        if (BY_NAME.containsKey(text)) return Optional.of(text);
        if (text.matches("\\d{1,3}") && Integer.parseInt(text) <= 255) return Optional.of(Integer.toString(Integer.parseInt(text)));
        throw new AlcorException(org.alcor.controller.core.ErrorCode.BAD_REQUEST, "SecurityGroupRuleInvalidProtocol",
                "Security group rule protocol " + value + " not supported. Only protocol values " + BY_NAME.keySet()
                        + " and integer representations [0 to 255] are supported.");
    }

    /** The protocol number of a canonical protocol, or -1 for "any". */
    static int number(String canonical) {
        if (canonical == null) return -1;
        Integer n = BY_NAME.get(canonical);
        return n != null ? n : Integer.parseInt(canonical);
    }
}
