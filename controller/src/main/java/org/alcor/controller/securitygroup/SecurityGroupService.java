package org.alcor.controller.securitygroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.CollectionService;
import org.alcor.controller.core.ListPage;
import org.alcor.controller.core.ListQuery;
import org.alcor.controller.core.NewResources;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.core.WriteBatcher;
import org.alcor.controller.quota.QuotaService;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.Table;

/**
 * Security groups. Each is rendered with its rules embedded (read through the rules' group index); a new group
 * gets the two egress rules Neutron gives it; a group that ports use, or a project's default group while the
 * project has ports, cannot be deleted. Writes of one project share a batcher lane.
 */
public final class SecurityGroupService implements CollectionService {
    private final ResourceRepository groups;
    private final ResourceRepository rules;
    private final SecurityGroupMembers members;
    private final DefaultSecurityGroups defaults;
    private final QuotaService quotas;
    private final WriteBatcher writes;

    public SecurityGroupService(ResourceRepository groups, ResourceRepository rules, SecurityGroupMembers members,
                                DefaultSecurityGroups defaults, QuotaService quotas, WriteBatcher writes) {
        this.groups = groups;
        this.rules = rules;
        this.members = members;
        this.defaults = defaults;
        this.quotas = quotas;
        this.writes = writes;
    }

    static String lane(String project) { return "security-groups/" + project; }

    static Resource newGroup(String id, String project, String name, String description) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("id", id);
        attrs.put("name", name);
        attrs.put("description", description);
        attrs.put("project_id", project);
        attrs.put("tags", List.of());
        attrs.put("stateful", true);
        attrs.put("shared", false);
        return new Resource(attrs);
    }

    /** The rules of a group, committed: what the goal-state builder programs for it. */
    public List<Resource> rulesOf(String groupId) { return rules.find(Column.SECURITY_GROUP, groupId); }

    /** The rules, of any group, that admit traffic from the members of this group (remote_group_id = groupId). */
    public List<Resource> rulesReferencing(String groupId) { return rules.find(Column.REMOTE_GROUP, groupId); }

    /** The rules of a group as a transaction sees them (its own writes included). */
    public List<Resource> rulesOf(StoreTx tx, String groupId) { return rules.findInTx(tx, Column.SECURITY_GROUP, groupId); }

    @Override
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        List<Resource> prepared = new ArrayList<>();
        for (Map<String, Object> item : items) {
            Map<String, Object> attrs = NewResources.standard(caller, item);
            attrs.put("stateful", true);
            attrs.put("shared", false);
            NewResources.withRequested(attrs, item);
            if (DefaultSecurityGroups.NAME.equals(attrs.get("name"))) throw defaultExists();
            prepared.add(new Resource(attrs));
        }
        String project = prepared.getFirst().projectId();
        List<LockKey> locks = new ArrayList<>();
        for (Resource g : prepared) {
            locks.add(QuotaService.lock(g.projectId()));
            locks.add(DefaultSecurityGroups.lock(g.projectId()));
        }
        List<Resource> created = writes.submit(lane(project), prepared.size() * 3, locks, tx -> {
            List<Resource> out = new ArrayList<>();
            for (Resource g : prepared) {
                defaults.ensure(tx, g.projectId());
                quotas.reserve(tx, g.projectId(), "security_group", 1);
                quotas.reserve(tx, g.projectId(), "security_group_rule", 2);
                Resource group = groups.insert(tx, g);
                for (String ethertype : List.of("IPv4", "IPv6")) rules.insert(tx, DefaultSecurityGroups.rule(group, "egress", ethertype, null));
                out.add(group);
            }
            return out;
        });
        return created.stream().map(this::withRules).toList();
    }

    /** Creates the caller's default group if it is not there yet (Neutron does this on a group list). */
    void ensureDefault(Caller caller) {
        String project = caller.projectId();
        if (defaults.exists(project)) return;
        writes.submit(lane(project), 5, List.of(DefaultSecurityGroups.lock(project), QuotaService.lock(project)),
                tx -> defaults.ensure(tx, project));
    }

    @Override
    public Resource show(Caller caller, String id) { return withRules(require(caller, id)); }

    private Resource require(Caller caller, String id) {
        try {
            return groups.show(caller, id);
        } catch (AlcorException e) {
            throw SecurityGroupErrors.groupNotFound(id);
        }
    }

    @Override
    public ListPage list(Caller caller, ListQuery query) {
        ensureDefault(caller);
        ListPage page = groups.list(caller, query);
        return new ListPage(page.items().stream().map(this::withRules).toList(), page.hasNext(), page.hasPrevious());
    }

    /** The group as Neutron renders it: its rules embedded, each with tenant_id beside project_id. */
    private Resource withRules(Resource group) {
        List<Map<String, Object>> embedded = new ArrayList<>();
        for (Resource rule : rulesOf(group.id())) embedded.add(SecurityGroupRuleService.rendered(rule));
        return group.with("security_group_rules", embedded);
    }

    @Override
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        Resource current = require(caller, id);
        return withRules(writes.submit(lane(current.projectId()), 1, List.of(new LockKey(Table.SECURITY_GROUPS, id)), tx -> {
            Resource before = requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            Object name = changes.get("name");
            if (name != null && !name.equals(before.string("name"))) {
                if (DefaultSecurityGroups.isDefault(before)) {
                    throw AlcorException.conflict("SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.");
                }
                if (DefaultSecurityGroups.NAME.equals(name)) throw defaultExists();
            }
            return groups.update(tx, before, before.with(changes));
        }));
    }

    Resource requireOwned(StoreTx tx, Caller caller, String id) {
        try {
            return groups.requireOwned(tx, caller, id);
        } catch (AlcorException e) {
            if (e.code() == org.alcor.controller.core.ErrorCode.NOT_FOUND) throw SecurityGroupErrors.groupNotFound(id);
            throw e;
        }
    }

    @Override
    public void delete(Caller caller, String id) {
        Resource current = require(caller, id);
        String project = current.projectId();
        writes.submit(lane(project), 1, List.of(QuotaService.lock(project), new LockKey(Table.SECURITY_GROUPS, id)), tx -> {
            Resource group = requireOwned(tx, caller, id);
            if (DefaultSecurityGroups.isDefault(group)) {
                if (!caller.admin()) {
                    throw AlcorException.conflict("SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default security group.");
                }
                // Ports created without groups would get it again: keep it while the project has any.
                if (quotas.used(tx, project, "port") > 0) throw SecurityGroupErrors.inUse(id);
            }
            if (members.inUse(tx, id)) throw SecurityGroupErrors.inUse(id);
            List<Resource> own = rulesOf(tx, id);
            for (Resource rule : own) rules.delete(tx, rule.id());
            quotas.release(tx, project, "security_group_rule", own.size());
            // Neutron's foreign key cascades: other groups' rules from this group go with it. Their project's quota
            // row is locked here, late; only an admin can make such a rule across projects, so this is rare.
            for (Resource rule : rules.findInTx(tx, Column.REMOTE_GROUP, id)) {
                if (rule.string("security_group_id").equals(id)) continue;
                rules.delete(tx, rule.id());
                quotas.release(tx, rule.projectId(), "security_group_rule", 1);
            }
            quotas.release(tx, project, "security_group", 1);
            groups.delete(tx, id);
            return null;
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        Resource current = require(caller, id);
        return withRules(writes.submit(lane(current.projectId()), 1, List.of(new LockKey(Table.SECURITY_GROUPS, id)),
                tx -> groups.updateTags(tx, caller, id, change)));
    }

    private static AlcorException defaultExists() {
        return AlcorException.conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
    }
}
