package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Neutron API extensions Alcor implements, by alias: clients probe these to decide what to send. */
final class Extensions {
    private static final String UPDATED = "2026-11-23T00:00:00-00:00";
    private static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        ALL.put("allowed-address-pairs", "Allowed Address Pairs");
        ALL.put("binding", "Port Binding");
        ALL.put("external-net", "Neutron external network");
        ALL.put("ext-gw-mode", "Neutron L3 Configurable external gateway mode");
        ALL.put("extraroute", "Neutron Extra Route");
        ALL.put("extraroute-atomic", "Atomically add/remove extra routes");
        ALL.put("extra_dhcp_opt", "Neutron Extra DHCP options");
        ALL.put("filter-validation", "Filter parameters validation");
        ALL.put("net-mtu", "Network MTU");
        ALL.put("network-ip-availability", "Network IP Availability");
        ALL.put("network-segment-range", "Network Segment Range");
        ALL.put("pagination", "Pagination support");
        ALL.put("port-security", "Port Security");
        ALL.put("project-id", "project_id field enabled");
        ALL.put("provider", "Provider Network");
        ALL.put("quotas", "Quota management support");
        ALL.put("quota_details", "Quota details management support");
        ALL.put("revision-if-match", "If-Match constraints based on revision_number");
        ALL.put("security-group", "security-group");
        ALL.put("stateful-security-group", "Stateful security group");
        ALL.put("router", "Neutron L3 Router");
        ALL.put("sorting", "Sorting support");
        ALL.put("standard-attr-description", "standard-attr-description");
        ALL.put("standard-attr-revisions", "Resource revision numbers");
        ALL.put("standard-attr-tag", "Tag support for resources with standard attribute");
        ALL.put("standard-attr-timestamp", "Resource timestamps");
        ALL.put("tag-ports-during-bulk-creation", "Tag Ports During Bulk Creation");
    }

    private Extensions() {}

    static List<Map<String, Object>> all() { return ALL.keySet().stream().map(Extensions::describe).toList(); }

    static Map<String, Object> find(String alias) { return ALL.containsKey(alias) ? describe(alias) : null; }

    private static Map<String, Object> describe(String alias) {
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("alias", alias);
        ext.put("name", ALL.get(alias));
        ext.put("description", ALL.get(alias) + ".");
        ext.put("updated", UPDATED);
        ext.put("links", List.of());
        return ext;
    }
}
