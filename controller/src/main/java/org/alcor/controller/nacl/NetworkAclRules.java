package org.alcor.controller.nacl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.ipam.Cidr;

/**
 * The rules of a network ACL in canonical form: every field present, sorted by rule number. The API has checked
 * each field's type; this checks what spans fields: unique numbers, ports only with a protocol that has ports,
 * min ≤ max, the CIDR of the rule's ethertype.
 */
final class NetworkAclRules {
    static final int MAX_RULES = 200;
    private static final Set<String> PORT_PROTOCOLS = Set.of("tcp", "udp", "sctp");

    private NetworkAclRules() {}

    static List<Map<String, Object>> canonical(List<Map<String, Object>> rules) {
        if (rules.size() > MAX_RULES) throw invalid("a network ACL has at most " + MAX_RULES + " rules");
        Set<Integer> numbers = new HashSet<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> rule : rules) {
            int number = ((Number) rule.get("rule_number")).intValue();
            if (!numbers.add(number)) throw invalid("rule number " + number + " is used twice");
            out.add(canonical(rule));
        }
        out.sort(Comparator.comparingInt(r -> (Integer) r.get("rule_number")));
        return out;
    }

    private static Map<String, Object> canonical(Map<String, Object> rule) {
        int number = ((Number) rule.get("rule_number")).intValue();
        String protocol = (String) rule.getOrDefault("protocol", "any");
        Object min = rule.get("port_range_min"), max = rule.get("port_range_max");
        if ((min != null || max != null) && !PORT_PROTOCOLS.contains(protocol)) {
            throw invalid("rule " + number + ": port ranges need protocol tcp, udp or sctp, not " + protocol);
        }
        if (min == null) min = max;
        if (max == null) max = min;
        if (min != null && ((Number) min).intValue() > ((Number) max).intValue()) {
            throw invalid("rule " + number + ": port_range_min " + min + " is greater than port_range_max " + max);
        }
        String ethertype = (String) rule.get("ethertype");
        String cidr = (String) rule.get("cidr");
        int version = cidr != null ? Cidr.tryParse(cidr).orElseThrow().version() : "IPv6".equals(ethertype) ? 6 : 4;
        if (ethertype != null && !ethertype.equals("IPv" + version)) {
            throw invalid("rule " + number + ": cidr " + cidr + " is not an " + ethertype + " network");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule_number", number);
        m.put("direction", rule.get("direction"));
        m.put("action", rule.get("action"));
        m.put("protocol", protocol);
        m.put("ethertype", "IPv" + version);
        m.put("cidr", cidr != null ? cidr : version == 4 ? "0.0.0.0/0" : "::/0");
        m.put("port_range_min", min);
        m.put("port_range_max", max);
        return m;
    }

    /** The rules with more added; a number already in use is a conflict (someone else may have just taken it). */
    static List<Map<String, Object>> plus(List<Map<String, Object>> current, List<Map<String, Object>> added) {
        Set<Object> taken = new HashSet<>();
        current.forEach(r -> taken.add(r.get("rule_number")));
        for (Map<String, Object> rule : added) {
            if (taken.contains(((Number) rule.get("rule_number")).intValue())) {
                throw AlcorException.conflict("NetworkAclRuleNumberInUse", "Rule number " + rule.get("rule_number") + " is already in use in this network ACL.");
            }
        }
        List<Map<String, Object>> all = new ArrayList<>(current);
        all.addAll(added);
        return canonical(all);
    }

    /** The rules without the given numbers; a number the ACL does not have is not found. */
    static List<Map<String, Object>> minus(List<Map<String, Object>> current, List<Integer> numbers) {
        for (Integer n : numbers) {
            if (current.stream().noneMatch(r -> n.equals(r.get("rule_number")))) {
                throw new AlcorException(ErrorCode.NOT_FOUND, "NetworkAclRuleNotFound", "Network ACL rule " + n + " could not be found.");
            }
        }
        return current.stream().filter(r -> !numbers.contains((Integer) r.get("rule_number"))).toList();
    }

    private static AlcorException invalid(String reason) {
        return new AlcorException(ErrorCode.BAD_REQUEST, "InvalidNetworkAclRules", "Invalid network ACL rules: " + reason + ".");
    }
}
