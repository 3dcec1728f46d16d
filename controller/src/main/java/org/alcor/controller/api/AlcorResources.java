package org.alcor.controller.api;

import static org.alcor.controller.api.Attribute.createOnly;
import static org.alcor.controller.api.Attribute.mutable;
import static org.alcor.controller.api.AttributeType.IP;
import static org.alcor.controller.api.AttributeType.UUID_STRING;
import static org.alcor.controller.api.AttributeType.integer;
import static org.alcor.controller.api.AttributeType.listOf;
import static org.alcor.controller.api.AttributeType.listOfObjects;
import static org.alcor.controller.api.AttributeType.oneOf;
import static org.alcor.controller.api.AttributeType.string;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.nacl.NetworkAclService;

/**
 * Resources that are Alcor's own, with no Neutron equivalent, declared in the same style as {@link NeutronResources}
 * and served by the same generic code (docs/api.md, "Alcor's own").
 */
public final class AlcorResources {
    private AlcorResources() {}

    /** A protocol by name (tcp, udp, icmp, icmpv6, sctp, any) or IANA number 0–255; well-known numbers become names. */
    static final AttributeType PROTOCOL = new AttributeType.Simple("string", (attr, v) -> {
        String text = v instanceof Integer i ? i.toString() : v instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if (text == null) throw AttributeType.invalid(attr, "'" + v + "' is not a protocol");
        switch (text) {
            case "tcp", "udp", "icmp", "icmpv6", "sctp", "any" -> { return text; }
            case "6" -> { return "tcp"; }
            case "17" -> { return "udp"; }
            case "1" -> { return "icmp"; }
            case "58" -> { return "icmpv6"; }
            case "132" -> { return "sctp"; }
            default -> { }
        }
        if (text.matches("\\d{1,3}") && Integer.parseInt(text) <= 255) return Integer.toString(Integer.parseInt(text));
        throw AttributeType.invalid(attr, "'" + v + "' is not a protocol name or a number from 0 to 255");
    });

    private static final AttributeType RULES = listOfObjects(Map.of(
            "rule_number", integer(1, 32766),
            "action", oneOf("allow", "deny"),
            "direction", oneOf("ingress", "egress"),
            "protocol", PROTOCOL,
            "port_range_min", integer(0, 65535),
            "port_range_max", integer(0, 65535),
            "cidr", AttributeType.CIDR_STRING,
            "ethertype", oneOf("IPv4", "IPv6")), Set.of("rule_number", "action", "direction"));

    public static ResourceDefinition networkAcls(NetworkAclService service) {
        return ResourceDefinition.of("network_acls", "network_acl", "NetworkAcl", service, List.of(
                        mutable("rules", RULES).unsortable(),
                        mutable("subnets", listOf(UUID_STRING)).unsortable()))
                .withPath("network-acls")
                .withAction("add_rules", (caller, id, body) -> service.addRules(caller, id, rules(body)))
                .withAction("remove_rules", (caller, id, body) -> service.removeRules(caller, id, ruleNumbers(body)));
    }

    /** {"network_acl": {"rules": [...]}} */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(Map<String, Object> body) {
        return (List<Map<String, Object>>) RULES.convert("rules", only(body, "rules"));
    }

    /** {"network_acl": {"rule_numbers": [...]}} */
    @SuppressWarnings("unchecked")
    private static List<Integer> ruleNumbers(Map<String, Object> body) {
        return (List<Integer>) listOf(integer(1, 32766)).convert("rule_numbers", only(body, "rule_numbers"));
    }

    private static Object only(Map<String, Object> body, String key) {
        Map<String, Object> acl = RequestBodies.object(body.get("network_acl"), "network_acl");
        if (body.size() != 1 || acl.size() != 1 || !acl.containsKey(key)) {
            throw AlcorException.badRequest("Give exactly {\"network_acl\": {\"" + key + "\": [...]}}");
        }
        return acl.get(key);
    }

    /** Alcor's own: compute hosts. The id is the host's name (what ports bind to), given by the caller. */
    public static ResourceDefinition hosts(CollectionService service) {
        return ResourceDefinition.of("hosts", "host", "Host", service, List.of(
                createOnly("id", string(255)).requiredOnCreate(),
                mutable("host_ip", IP).requiredOnCreate(),
                mutable("host_mac", AttributeType.MAC).orNull(),
                mutable("agent_endpoint", string(255)),
                mutable("availability_zone", string(255))));
    }
}
