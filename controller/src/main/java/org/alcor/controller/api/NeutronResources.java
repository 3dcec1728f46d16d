package org.alcor.controller.api;

import static org.alcor.controller.api.Attribute.createOnly;
import static org.alcor.controller.api.Attribute.mutable;
import static org.alcor.controller.api.Attribute.readOnly;
import static org.alcor.controller.api.AttributeType.BOOLEAN;
import static org.alcor.controller.api.AttributeType.DICT;
import static org.alcor.controller.api.AttributeType.IP;
import static org.alcor.controller.api.AttributeType.UUID_STRING;
import static org.alcor.controller.api.AttributeType.integer;
import static org.alcor.controller.api.AttributeType.listOf;
import static org.alcor.controller.api.AttributeType.listOfObjects;
import static org.alcor.controller.api.AttributeType.oneOf;
import static org.alcor.controller.api.AttributeType.string;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.router.RouterService;

/** The attribute declarations of Neutron's resources (v2.0 with the extensions Alcor serves), and their member actions. */
public final class NeutronResources {
    private NeutronResources() {}

    public static ResourceDefinition networks(CollectionService service) {
        return ResourceDefinition.of("networks", "network", "Network", service, List.of(
                mutable("admin_state_up", BOOLEAN),
                readOnly("status", string(16)),
                mutable("shared", BOOLEAN),
                mutable("mtu", integer(68, 9216)),
                readOnly("subnets", listOf(UUID_STRING)).unsortable(),
                createOnly("provider:network_type", oneOf("vxlan", "geneve", "gre", "vlan", "flat", "local")),
                createOnly("provider:physical_network", string(64)).orNull(),
                createOnly("provider:segmentation_id", integer(0, 16_777_215)).orNull(),
                mutable("router:external", BOOLEAN),
                mutable("port_security_enabled", BOOLEAN),
                createOnly("availability_zone_hints", listOf(string(255))).unsortable(),
                readOnly("availability_zones", listOf(string(255))).unsortable(),
                readOnly("ipv4_address_scope", string(36)),
                readOnly("ipv6_address_scope", string(36)),
                readOnly("l2_adjacency", BOOLEAN),
                mutable("is_default", BOOLEAN)));
    }

    public static ResourceDefinition subnets(CollectionService service) {
        var route = listOfObjects(Map.of("destination", AttributeType.CIDR_STRING, "nexthop", IP), Set.of("destination", "nexthop"));
        return ResourceDefinition.of("subnets", "subnet", "Subnet", service, List.of(
                createOnly("network_id", UUID_STRING).requiredOnCreate(),
                createOnly("ip_version", oneOfInts(4, 6)).requiredOnCreate(),
                createOnly("cidr", AttributeType.CIDR),
                mutable("gateway_ip", IP).orNull(),
                mutable("allocation_pools", listOfObjects(Map.of("start", IP, "end", IP), Set.of("start", "end"))).unsortable(),
                mutable("enable_dhcp", BOOLEAN),
                mutable("dns_nameservers", listOf(IP)).unsortable(),
                mutable("host_routes", route).unsortable(),
                createOnly("ipv6_ra_mode", oneOf("slaac", "dhcpv6-stateful", "dhcpv6-stateless")).orNull(),
                createOnly("ipv6_address_mode", oneOf("slaac", "dhcpv6-stateful", "dhcpv6-stateless")).orNull(),
                createOnly("subnetpool_id", UUID_STRING).orNull(),
                mutable("segment_id", UUID_STRING).orNull(),
                mutable("service_types", listOf(string(255))).unsortable(),
                mutable("dns_publish_fixed_ip", BOOLEAN)));
    }

    public static ResourceDefinition ports(CollectionService service) {
        var fixedIps = listOfObjects(Map.of("subnet_id", UUID_STRING, "ip_address", IP), Set.of());
        var pairs = listOfObjects(Map.of("ip_address", AttributeType.IP_OR_CIDR, "mac_address", AttributeType.MAC), Set.of("ip_address"));
        var dhcpOpts = listOfObjects(Map.of("opt_name", string(64), "opt_value", string(255), "ip_version", oneOfInts(4, 6)),
                Set.of("opt_name"));
        return ResourceDefinition.of("ports", "port", "Port", service, List.of(
                createOnly("network_id", UUID_STRING).requiredOnCreate(),
                mutable("admin_state_up", BOOLEAN),
                mutable("mac_address", AttributeType.MAC),
                mutable("fixed_ips", fixedIps).unsortable(),
                mutable("device_id", string(255)),
                mutable("device_owner", string(255)),
                readOnly("status", string(16)),
                mutable("binding:host_id", string(255)),
                mutable("binding:profile", DICT).unsortable(),
                mutable("binding:vnic_type", oneOf("normal", "direct", "macvtap", "baremetal", "direct-physical",
                        "virtio-forwarder", "smart-nic", "vdpa", "remote-managed")),
                readOnly("binding:vif_type", string(64)),
                readOnly("binding:vif_details", DICT).unsortable(),
                mutable("allowed_address_pairs", pairs).unsortable(),
                mutable("extra_dhcp_opts", dhcpOpts).unsortable(),
                mutable("port_security_enabled", BOOLEAN),
                mutable("security_groups", listOf(UUID_STRING)).unsortable(),
                mutable("dns_name", string(255))));
    }

    public static ResourceDefinition floatingips(CollectionService service) {
        return ResourceDefinition.of("floatingips", "floatingip", "FloatingIP", service, List.of(
                createOnly("floating_network_id", UUID_STRING).requiredOnCreate(),
                createOnly("floating_ip_address", IP).orNull(),
                // As Neutron: the subnet to take the address from; not part of the floating IP afterwards.
                createOnly("subnet_id", UUID_STRING).orNull(),
                mutable("port_id", UUID_STRING).orNull(),
                mutable("fixed_ip_address", IP).orNull(),
                readOnly("router_id", UUID_STRING),
                readOnly("status", string(16))));
    }

    private static final AttributeType ROUTES = listOfObjects(Map.of("destination", AttributeType.CIDR_STRING, "nexthop", IP),
            Set.of("destination", "nexthop"));

    public static ResourceDefinition routers(RouterService service) {
        var fixedIps = listOfObjects(Map.of("subnet_id", UUID_STRING, "ip_address", IP), Set.of());
        // {} is how clients clear the gateway (openstack router unset --external-gateway), so network_id is optional.
        var gateway = AttributeType.objectOf(Map.of("network_id", UUID_STRING, "enable_snat", BOOLEAN, "external_fixed_ips", fixedIps), Set.of());
        return ResourceDefinition.of("routers", "router", "Router", service, List.of(
                        mutable("admin_state_up", BOOLEAN),
                        readOnly("status", string(16)),
                        mutable("external_gateway_info", gateway).orNull().unsortable(),
                        // As Neutron: routes are set on update only, when the router has interfaces to reach their nexthops.
                        new Attribute("routes", ROUTES, false, true, false, false, true, false),
                        createOnly("availability_zone_hints", listOf(string(255))).unsortable(),
                        readOnly("availability_zones", listOf(string(255))).unsortable()))
                .withAction("add_router_interface", (caller, id, body) -> {
                    InterfaceRequest r = InterfaceRequest.of(body);
                    return service.addInterface(caller, id, r.subnetId(), r.portId());
                })
                .withAction("remove_router_interface", (caller, id, body) -> {
                    InterfaceRequest r = InterfaceRequest.of(body);
                    return service.removeInterface(caller, id, r.subnetId(), r.portId());
                })
                .withAction("add_extraroutes", (caller, id, body) -> service.addRoutes(caller, id, routesOf(body)))
                .withAction("remove_extraroutes", (caller, id, body) -> service.removeRoutes(caller, id, routesOf(body)));
    }

    /** The body of add/remove_router_interface: {"subnet_id": ...} or {"port_id": ...}. */
    private record InterfaceRequest(String subnetId, String portId) {
        static InterfaceRequest of(Map<String, Object> body) {
            for (String key : body.keySet()) {
                if (!key.equals("subnet_id") && !key.equals("port_id")) throw AlcorException.badRequest("Unrecognized attribute(s) '" + key + "'");
            }
            return new InterfaceRequest(uuidOrNull(body, "subnet_id"), uuidOrNull(body, "port_id"));
        }

        private static String uuidOrNull(Map<String, Object> body, String key) {
            Object v = body.get(key);
            return v == null ? null : (String) UUID_STRING.convert(key, v);
        }
    }

    /** The body of add/remove_extraroutes: {"router": {"routes": [...]}}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routesOf(Map<String, Object> body) {
        Map<String, Object> router = RequestBodies.object(body.get("router"), "router");
        if (router.size() != 1 || !router.containsKey("routes")) throw AlcorException.badRequest("Give exactly {\"router\": {\"routes\": [...]}}");
        return (List<Map<String, Object>>) ROUTES.convert("routes", router.get("routes"));
    }

    public static ResourceDefinition securityGroups(CollectionService service) {
        return ResourceDefinition.of("security-groups", "security_groups", "security_group", "SecurityGroup", service, List.of(
                mutable("stateful", BOOLEAN),
                readOnly("shared", BOOLEAN),
                readOnly("security_group_rules", listOf(DICT)).unsortable()));
    }

    /** Rules are created whole and never changed (Neutron has no rule update beyond the description). */
    public static ResourceDefinition securityGroupRules(CollectionService service) {
        var port = integer(0, 65_535);
        return ResourceDefinition.of("security-group-rules", "security_group_rules", "security_group_rule", "SecurityGroupRule", service, List.of(
                createOnly("security_group_id", UUID_STRING).requiredOnCreate(),
                createOnly("direction", oneOf("ingress", "egress")).requiredOnCreate(),
                createOnly("ethertype", ETHERTYPE),
                createOnly("protocol", PROTOCOL).orNull(),
                createOnly("port_range_min", port).orNull(),
                createOnly("port_range_max", port).orNull(),
                createOnly("remote_ip_prefix", string(64)).orNull(),
                createOnly("remote_group_id", UUID_STRING).orNull(),
                createOnly("remote_address_group_id", UUID_STRING).orNull(),
                readOnly("normalized_cidr", string(64)),
                readOnly("belongs_to_default_sg", BOOLEAN))).without("name", "tags");
    }

    /** VXLAN ranges only; {@code available} and {@code used} are computed from the VNI allocations. */
    public static ResourceDefinition networkSegmentRanges(CollectionService service) {
        return ResourceDefinition.of("network_segment_ranges", "network_segment_range", "NetworkSegmentRange", service, List.of(
                readOnly("default", BOOLEAN),
                createOnly("shared", BOOLEAN),
                createOnly("network_type", oneOf("vxlan", "vlan", "gre", "geneve")).requiredOnCreate(),
                createOnly("physical_network", string(64)).orNull(),
                mutable("minimum", integer(1, 16_777_215)).requiredOnCreate(),
                mutable("maximum", integer(1, 16_777_215)).requiredOnCreate(),
                readOnly("available", listOf(integer(0, Long.MAX_VALUE))).unsortable(),
                readOnly("used", DICT).unsortable()));
    }

    /** "IPv4"/"IPv6" in any case, as Neutron's convert_ethertype_to_case_insensitive. */
    private static final AttributeType ETHERTYPE = new AttributeType.Simple("string", (attr, v) -> {
        if (v instanceof String s) {
            if (s.equalsIgnoreCase("IPv4")) return "IPv4";
            if (s.equalsIgnoreCase("IPv6")) return "IPv6";
        }
        throw AttributeType.invalid(attr, "'" + v + "' is not in [IPv4, IPv6]");
    });

    /** A protocol name or number, as text; the security group service checks which ones are valid. */
    private static final AttributeType PROTOCOL = new AttributeType.Simple("string", (attr, v) -> {
        if (v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof String s && s.length() <= 40) return s;
        throw AttributeType.invalid(attr, "'" + v + "' is not a valid protocol");
    });

    private static AttributeType oneOfInts(int... values) {
        var range = integer(Long.MIN_VALUE, Long.MAX_VALUE);
        return new AttributeType.Simple("integer", (attr, v) -> {
            Object n = range.convert(attr, v);
            for (int allowed : values) if (n.equals(allowed)) return n;
            throw AttributeType.invalid(attr, "'" + v + "' is not in " + java.util.Arrays.toString(values));
        });
    }
}
