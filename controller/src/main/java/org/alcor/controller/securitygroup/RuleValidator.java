package org.alcor.controller.securitygroup;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.alcor.controller.core.Resource;
import org.alcor.controller.ipam.Cidr;
import org.alcor.controller.ipam.IpAddress;

/**
 * Neutron's checks of a security group rule (neutron/db/securitygroups_db.py): protocol by name or number, port
 * ranges only for protocols with ports, ICMP type and code in the port fields, a remote prefix or a remote group but
 * not both, a prefix of the rule's ethertype. It also gives the key two rules are duplicates by.
 */
final class RuleValidator {
    private RuleValidator() {}

    /** The rule's attributes in canonical form (protocol, ethertype, prefix), or a 400 naming what is wrong. */
    static Map<String, Object> canonical(Map<String, Object> requested) {
        Map<String, Object> rule = new LinkedHashMap<>(requested);
        String protocol = IpProtocols.canonical(requested.get("protocol")).orElse(null);
        rule.put("protocol", protocol);
        String ethertype = (String) requested.getOrDefault("ethertype", "IPv4");
        rule.put("ethertype", ethertype);
        checkPorts(protocol, (Integer) requested.get("port_range_min"), (Integer) requested.get("port_range_max"));
        int number = IpProtocols.number(protocol);
        if (number == IpProtocols.ICMPV6 && ethertype.equals("IPv4")) {
            throw SecurityGroupErrors.badRule("SecurityGroupEthertypeConflictWithProtocol",
                    "Invalid ethertype " + ethertype + " for protocol " + protocol + ".");
        }
        Object prefix = requested.get("remote_ip_prefix");
        if (prefix != null && requested.get("remote_group_id") != null) {
            throw SecurityGroupErrors.badRule("SecurityGroupRemoteGroupAndRemoteIpPrefix",
                    "Only remote_ip_prefix or remote_group_id may be provided.");
        }
        if (requested.get("remote_address_group_id") != null) {
            throw SecurityGroupErrors.badRule("HTTPBadRequest", "Remote address groups are not supported.");
        }
        String cidr = prefix == null ? null : normalizedPrefix((String) prefix);
        if (cidr != null && !ethertype.equals("IPv" + Cidr.tryParse(cidr).orElseThrow().version())) {
            throw SecurityGroupErrors.badRule("SecurityGroupRuleParameterConflict",
                    "Conflicting value ethertype " + ethertype + " for CIDR " + prefix);
        }
        rule.put("remote_ip_prefix", cidr);
        rule.put("normalized_cidr", cidr);
        return rule;
    }

    private static void checkPorts(String protocol, Integer min, Integer max) {
        if (min == null && max == null) return;
        if (protocol == null) {
            throw SecurityGroupErrors.badRule("SecurityGroupProtocolRequiredWithPorts", "Must also specify protocol if port range is given.");
        }
        int number = IpProtocols.number(protocol);
        if (IpProtocols.WITH_PORTS.contains(number)) {
            if (Objects.equals(min, 0) || Objects.equals(max, 0)) {
                throw SecurityGroupErrors.badRule("SecurityGroupInvalidPortValue", "Invalid value for port 0");
            }
            if (min == null || max == null || min > max) {
                throw SecurityGroupErrors.badRule("SecurityGroupInvalidPortRange",
                        "For TCP/UDP protocols, port_range_min must be <= port_range_max");
            }
        } else if (number == IpProtocols.ICMP || number == IpProtocols.ICMPV6) {
            checkIcmp("type", "port_range_min", min);
            checkIcmp("code", "port_range_max", max);
            if (min == null) {
                throw SecurityGroupErrors.badRule("SecurityGroupMissingIcmpType", "ICMP code (port-range-max) " + max
                        + " is provided but ICMP type (port-range-min) is missing.");
            }
        } else {
            throw SecurityGroupErrors.badRule("SecurityGroupInvalidProtocolForPortRange", "Invalid protocol " + protocol
                    + " for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.");
        }
    }

    private static void checkIcmp(String field, String attribute, Integer value) {
        if (value != null && value > 255) {
            throw SecurityGroupErrors.badRule("SecurityGroupInvalidIcmpValue", "Invalid value for ICMP " + field + " (" + attribute
                    + ") " + value + ". It must be 0 to 255.");
        }
    }

    /** "10.0.0.5/24" → "10.0.0.0/24" and "10.0.0.5" → "10.0.0.5/32", as Neutron stores a rule's prefix. */
    static String normalizedPrefix(String text) {
        int slash = text.indexOf('/');
        var ip = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
        String len = slash < 0 ? null : text.substring(slash + 1);
        if (ip.isEmpty() || (len != null && !len.matches("\\d{1,3}")) || (len != null && Integer.parseInt(len) > ip.get().bits())) {
            throw org.alcor.controller.core.AlcorException.invalidInput("remote_ip_prefix", "'" + text + "' is not a valid IP subnet");
        }
        return Cidr.of(ip.get(), len == null ? ip.get().bits() : Integer.parseInt(len)).toString();
    }

    /**
     * What makes two rules of a group the same rule: Neutron compares these attributes, with protocol names and
     * numbers equal ("tcp" = "6") and an any-address prefix equal to none.
     */
    static List<Object> identity(Resource rule) {
        String prefix = rule.string("remote_ip_prefix");
        if ("0.0.0.0/0".equals(prefix) || "::/0".equals(prefix)) prefix = null;
        return Arrays.asList(rule.string("direction"), rule.string("ethertype"), IpProtocols.number(rule.string("protocol")),
                number(rule.get("port_range_min")), number(rule.get("port_range_max")), prefix, rule.string("remote_group_id"));
    }

    private static Long number(Object v) { return v == null ? null : ((Number) v).longValue(); }
}
