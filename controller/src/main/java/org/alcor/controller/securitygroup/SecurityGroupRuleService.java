package org.alcor.controller.securitygroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.core.ErrorCode;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.NewResources;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.Table;

/**
 * Security group rules. A bulk create is for one group, as in Neutron, and is one transaction that locks the
 * group: concurrent creates of the same rule cannot both pass the duplicate check. A rule document is
 * self-contained (group, direction, ethertype, protocol, ports, remote prefix or group) for the goal-state builder.
 */
public final class SecurityGroupRuleService implements CollectionService {
    private final ResourceRepository rules;
    private final SecurityGroupService groups;
    private final ResourceRepository groupRows;
    private final QuotaService quotas;
    private final WriteBatcher writes;

    public SecurityGroupRuleService(ResourceRepository rules, ResourceRepository groupRows, SecurityGroupService groups,
                                    QuotaService quotas, WriteBatcher writes) {
        this.rules = rules;
        this.groupRows = groupRows;
        this.groups = groups;
        this.quotas = quotas;
        this.writes = writes;
    }

    /** A rule as Neutron renders it inside its group. */
    static Map<String, Object> rendered(Resource rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rule.id());
        out.put("tenant_id", rule.projectId());
        out.putAll(rule.attrs());
        return out;
    }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        Set<String> groupIds = new HashSet<>();
        for (Map<String, Object> item : items) groupIds.add((String) item.get("security_group_id"));
        if (groupIds.size() != 1 || groupIds.contains(null)) {
            throw new AlcorException(ErrorCode.BAD_REQUEST, "SecurityGroupNotSingleGroupRules",
                    "Only allowed to update rules for one security profile at a time");
        }
        String groupId = groupIds.iterator().next();
        Resource group = groups.show(caller, groupId);
        List<Map<String, Object>> prepared = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        Set<LockKey> locks = new HashSet<>(List.of(QuotaService.lock(group.projectId()), new LockKey(Table.SECURITY_GROUPS, groupId)));
        for (Map<String, Object> item : items) {
            Map<String, Object> attrs = prepare(caller, item, group);
            if (!seen.add(RuleValidator.identity(new Resource(attrs)))) {
                throw AlcorException.conflict("DuplicateSecurityGroupRuleInPost", "Duplicate Security Group Rule in POST.");
            }
            if (attrs.get("remote_group_id") != null) locks.add(new LockKey(Table.SECURITY_GROUPS, (String) attrs.get("remote_group_id")));
            prepared.add(attrs);
        }
        return writes.submit(SecurityGroupService.lane(group.projectId()), prepared.size(), locks, tx -> {
            Resource locked = groups.requireOwned(tx, caller, groupId);
            Map<List<Object>, String> existing = new LinkedHashMap<>();
            for (Resource r : groups.rulesOf(tx, groupId)) existing.put(RuleValidator.identity(r), r.id());
            quotas.reserve(tx, locked.projectId(), "security_group_rule", prepared.size());
            List<Resource> created = new ArrayList<>();
            for (Map<String, Object> attrs : prepared) {
                Object remote = attrs.get("remote_group_id");
                if (remote != null) requireRemote(tx, caller, locked, (String) remote);
                Resource rule = new Resource(attrs);
                String duplicate = existing.get(RuleValidator.identity(rule));
                if (duplicate != null) {
                    throw AlcorException.conflict("SecurityGroupRuleExists", "Security group rule already exists. Rule id is " + duplicate + ".");
                }
                created.add(rules.insert(tx, rule));
            }
            return created;
        });
    }

    private static Map<String, Object> prepare(Caller caller, Map<String, Object> item, Resource group) {
        if (item.get("direction") == null) {
            throw AlcorException.badRequest("Failed to parse request. Required attribute 'direction' not specified");
        }
        Map<String, Object> attrs = NewResources.standard(caller, item);
        attrs.remove("name");
        attrs.remove("tags");
        // A rule belongs to its group's project, whoever (an admin) adds it: quotas and visibility follow the group.
        attrs.put("project_id", group.projectId());
        attrs.put("ethertype", "IPv4");
        attrs.put("protocol", null);
        attrs.put("port_range_min", null);
        attrs.put("port_range_max", null);
        attrs.put("remote_ip_prefix", null);
        attrs.put("remote_group_id", null);
        attrs.put("remote_address_group_id", null);
        NewResources.withRequested(attrs, item);
        Map<String, Object> canonical = RuleValidator.canonical(attrs);
        canonical.put("belongs_to_default_sg", DefaultSecurityGroups.isDefault(group));
        return canonical;
    }

    /** A remote group must exist and be the caller's to use. */
    private void requireRemote(StoreTx tx, Caller caller, Resource group, String remoteId) {
        if (remoteId.equals(group.id())) return;
        Resource remote = groupRows.get(tx, remoteId).orElse(null);
        if (remote == null || !caller.canSee(remote.projectId())) throw SecurityGroupErrors.groupNotFound(remoteId);
    }

    @Override
    public Resource show(Caller caller, String id) {
        try {
            return rules.show(caller, id);
        } catch (AlcorException e) {
            throw SecurityGroupErrors.ruleNotFound(id);
        }
    }

    @Override
    public ListPage list(Caller caller, ListQuery query) {
        groups.ensureDefault(caller);
        return rules.list(caller, query);
    }

    /** Neutron has no rule update beyond the description; the declarations allow nothing else. */
    @Override
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        Resource current = show(caller, id);
        return writes.submit(SecurityGroupService.lane(current.projectId()), 1, tx -> {
            Resource before = requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            return rules.update(tx, before, before.with(changes));
        });
    }

    private Resource requireOwned(StoreTx tx, Caller caller, String id) {
        try {
            return rules.requireOwned(tx, caller, id);
        } catch (AlcorException e) {
            if (e.code() == ErrorCode.NOT_FOUND) throw SecurityGroupErrors.ruleNotFound(id);
            throw e;
        }
    }

    @Override
    public void delete(Caller caller, String id) {
        Resource current = show(caller, id);
        String project = current.projectId();
        writes.submit(SecurityGroupService.lane(project), 1,
                List.of(QuotaService.lock(project), new LockKey(Table.SECURITY_GROUPS, current.string("security_group_id"))), tx -> {
                    requireOwned(tx, caller, id);
                    rules.delete(tx, id);
                    quotas.release(tx, project, "security_group_rule", 1);
                    return null;
                });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        throw AlcorException.badRequest("Security group rules have no tags.");
    }
}
