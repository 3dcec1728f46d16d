package org.alcor.controller.securitygroup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.Table;

/**
 * Every project's {@code default} security group, created on first use (a group list, a group create, a port
 * create) as Neutron does. Its id is derived from the project id, so the row to lock and to create is known before
 * the transaction: two first uses at once serialize on that key and the second finds the group made.
 */
public final class DefaultSecurityGroups {
    public static final String NAME = "default";

    private final ResourceRepository groups;
    private final ResourceRepository rules;
    private final QuotaService quotas;

    public DefaultSecurityGroups(ResourceRepository groups, ResourceRepository rules, QuotaService quotas) {
        this.groups = groups;
        this.rules = rules;
        this.quotas = quotas;
    }

    public static String idOf(String project) {
        return UUID.nameUUIDFromBytes(("alcor/default-security-group/" + project).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static LockKey lock(String project) { return new LockKey(Table.SECURITY_GROUPS, idOf(project)); }

    public static boolean isDefault(Resource group) { return group.id().equals(idOf(group.projectId())); }

    /** Whether the project's default group is committed: a read path creates it only when it is not. */
    public boolean exists(String project) { return groups.committed(idOf(project)).isPresent(); }

    /** The project's default group, created with Neutron's four default rules when it does not exist yet. */
    public Resource ensure(StoreTx tx, String project) {
        String id = idOf(project);
        var existing = groups.get(tx, id);
        if (existing.isPresent()) return existing.get();
        Resource group = groups.insert(tx, SecurityGroupService.newGroup(id, project, NAME, "Default security group"));
        List<Resource> defaults = new ArrayList<>();
        for (String ethertype : List.of("IPv4", "IPv6")) {
            defaults.add(rule(group, "ingress", ethertype, id));
            defaults.add(rule(group, "egress", ethertype, null));
        }
        for (Resource r : defaults) rules.insert(tx, r);
        // Neutron counts the default group and its rules, but never refuses to create them.
        quotas.count(tx, project, "security_group", 1);
        quotas.count(tx, project, "security_group_rule", defaults.size());
        return group;
    }

    /** The rule every new group gets per ethertype (egress anywhere), or the default group's ingress-from-itself. */
    static Resource rule(Resource group, String direction, String ethertype, String remoteGroupId) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("id", UUID.randomUUID().toString());
        attrs.put("project_id", group.projectId());
        attrs.put("security_group_id", group.id());
        attrs.put("direction", direction);
        attrs.put("ethertype", ethertype);
        attrs.put("protocol", null);
        attrs.put("port_range_min", null);
        attrs.put("port_range_max", null);
        attrs.put("remote_ip_prefix", null);
        attrs.put("remote_group_id", remoteGroupId);
        attrs.put("remote_address_group_id", null);
        attrs.put("normalized_cidr", null);
        attrs.put("description", "");
        attrs.put("belongs_to_default_sg", isDefault(group));
        return new Resource(attrs);
    }
}
