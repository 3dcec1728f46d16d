package org.alcor.controller.port;

import java.util.List;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.Resource;

/**
 * Neutron's default port policy (neutron/conf/policies/port.py) for the attributes that let a port take over
 * traffic: on a network it does not own (a shared one), a member may not choose the MAC, the addresses, extra
 * allowed address pairs, turn port security off or claim a {@code network:*} device owner; only an admin binds a
 * port to a host or sets its binding profile. What Neutron answers then is 403 with the rule that refused.
 */
final class PortPolicy {
    /** Attributes only the network's owner (or an admin) may set. */
    private static final List<String> OWNER_ONLY = List.of("mac_address", "allowed_address_pairs", "port_security_enabled");
    private static final List<String> ADMIN_ONLY = List.of("binding:host_id", "binding:profile");

    private PortPolicy() {}

    /** Neutron's max_fixed_ips_per_port and max_allowed_address_pair defaults: bounds on what one port makes hosts program. */
    static final int MAX_FIXED_IPS = 5, MAX_ADDRESS_PAIRS = 10;

    /** Checks what a create or update asks for (requested: the attributes in the request body) against the network. */
    static void check(Caller caller, String action, Resource network, Map<String, Object> requested) {
        if (requested.get("fixed_ips") instanceof List<?> ips && ips.size() > MAX_FIXED_IPS) {
            throw AlcorException.badRequest("Exceeded maximum amount of fixed ips per port.");
        }
        if (requested.get("allowed_address_pairs") instanceof List<?> pairs && pairs.size() > MAX_ADDRESS_PAIRS) {
            throw AlcorException.conflict("AllowedAddressPairExhausted", "The number of allowed address pair exceeds the maximum "
                    + MAX_ADDRESS_PAIRS + ".");
        }
        if (caller.admin()) return;
        for (String attr : ADMIN_ONLY) {
            if (asks(requested, attr)) throw refused(action, attr, "rule:admin_only");
        }
        if (caller.projectId().equals(network.projectId())) return;
        for (String attr : OWNER_ONLY) {
            if (requested.containsKey(attr)) throw refused(action, attr, "rule:admin_or_network_owner");
        }
        Object owner = requested.get("device_owner");
        if (owner instanceof String s && s.startsWith("network:")) throw refused(action, "device_owner", "rule:admin_or_network_owner");
        if (requested.get("fixed_ips") instanceof List<?> ips) {
            for (Object ip : ips) {
                // Naming a subnet of the shared network is allowed; naming the address is the owner's choice.
                if (ip instanceof Map<?, ?> m && m.get("ip_address") != null) throw refused(action, "fixed_ips:ip_address", "rule:admin_or_network_owner");
            }
        }
    }

    /** A binding field counts only when set to something (the CLI sends empty values it was not given). */
    private static boolean asks(Map<String, Object> requested, String attr) {
        Object v = requested.get(attr);
        return v != null && !(v instanceof String s && s.isEmpty()) && !(v instanceof Map<?, ?> m && m.isEmpty());
    }

    private static AlcorException refused(String action, String attr, String rule) {
        // Neutron's wording; the rule behind the attribute's is the second part ("admin_only", "admin_or_network_owner").
        return AlcorException.forbidden("(rule:" + action + " and rule:" + action + ":" + attr + ") is disallowed by policy (" + rule + ")");
    }
}
