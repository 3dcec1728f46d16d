package org.alcor.controller.securitygroup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.alcor.controller.core.Caller;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.store.LockKey;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.Table;

/**
 * What a port write needs of security groups: the groups it names must exist and belong to the port's project;
 * a port given none gets its project's default group (created on first use) unless port security is off or it
 * is a network-owned port; and the membership rows follow the port. The port transaction locks the groups, so a
 * group delete that checks "in use" waits for it and then sees the new member.
 */
public final class PortSecurityGroups {
    private final ResourceRepository groups;
    private final DefaultSecurityGroups defaults;
    private final SecurityGroupMembers members;

    public PortSecurityGroups(ResourceRepository groups, DefaultSecurityGroups defaults, SecurityGroupMembers members) {
        this.groups = groups;
        this.defaults = defaults;
        this.members = members;
    }

    /** The shared rows a port of the project with these requested groups (null: none asked) will lock. */
    public static List<LockKey> locks(String project, List<String> requested) {
        List<LockKey> locks = new ArrayList<>();
        if (requested == null) locks.add(DefaultSecurityGroups.lock(project));
        else for (String id : requested) locks.add(new LockKey(Table.SECURITY_GROUPS, id));
        return locks;
    }

    /**
     * The groups of a new port. requested is null when the request named none.
     * Neutron gives no default group to ports owned by the network itself (DHCP, router interfaces).
     */
    public List<String> forNewPort(StoreTx tx, Caller caller, Resource port, List<String> requested) {
        if (requested != null) return validated(tx, caller, port, requested);
        if (!port.bool("port_security_enabled") || port.string("device_owner").startsWith("network:")) return List.of();
        return List.of(defaults.ensure(tx, port.projectId()).id());
    }

    /** Each requested group exists, is visible to the caller and belongs to the port's project; duplicates collapse. */
    public List<String> validated(StoreTx tx, Caller caller, Resource port, List<String> requested) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(requested));
        for (String id : ids) {
            Resource group = groups.get(tx, id).orElse(null);
            if (group == null && id.equals(DefaultSecurityGroups.idOf(port.projectId()))) group = defaults.ensure(tx, port.projectId());
            if (group == null || !caller.canSee(group.projectId()) || !group.projectId().equals(port.projectId())) {
                throw SecurityGroupErrors.groupNotFound(id);
            }
        }
        return ids;
    }

    public void join(StoreTx tx, Resource port) { members.join(tx, port, port.list("security_groups")); }

    public void leave(StoreTx tx, Resource port) { members.leave(tx, port.id(), port.list("security_groups")); }

    /** Moves the port's membership rows from its old groups to its new ones. */
    public void move(StoreTx tx, Resource before, Resource after) {
        List<String> old = before.list("security_groups"), now = after.list("security_groups");
        members.leave(tx, before.id(), old.stream().filter(g -> !now.contains(g)).toList());
        members.join(tx, after, now.stream().filter(g -> !old.contains(g)).toList());
    }
}
