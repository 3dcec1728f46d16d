package org.alcor.controller.nacl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Iterator;
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
import org.alcor.controller.store.StoreTx;

/**
 * Network ACLs, Alcor's own: stateless, ordered allow/deny rules that apply to whole subnets (a subnet has at most
 * one). Rules are embedded in the ACL and kept sorted by rule number; {@code subnets} is the association, mirrored
 * per subnet in {@link SubnetAcls}. Each ACL's writes run in its own lane.
 */
public final class NetworkAclService implements CollectionService {
    private final ResourceRepository acls;
    private final ResourceRepository subnets;
    private final SubnetAcls subnetAcls;
    private final WriteBatcher writes;

    public NetworkAclService(ResourceRepository acls, ResourceRepository subnets, SubnetAcls subnetAcls, WriteBatcher writes) {
        this.acls = acls;
        this.subnets = subnets;
        this.subnetAcls = subnetAcls;
        this.writes = writes;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Resource> create(Caller caller, List<Map<String, Object>> items) {
        List<Map<String, Object>> prepared = new ArrayList<>();
        for (Map<String, Object> item : items) {
            Map<String, Object> attrs = NewResources.standard(caller, item);
            attrs.put("rules", List.of());
            attrs.put("subnets", List.of());
            NewResources.withRequested(attrs, item);
            attrs.put("rules", NetworkAclRules.canonical((List<Map<String, Object>>) attrs.get("rules")));
            prepared.add(attrs);
        }
        return writes.submit((String) prepared.getFirst().get("id"), prepared.size(), tx -> {
            List<Resource> created = new ArrayList<>();
            for (Map<String, Object> attrs : prepared) {
                Resource acl = new Resource(attrs).with("subnets", List.of());
                created.add(acls.insert(tx, associate(tx, caller, acl, (List<String>) attrs.get("subnets"))));
            }
            return created;
        });
    }

    @Override public Resource show(Caller caller, String id) { return acls.show(caller, id); }

    @Override public ListPage list(Caller caller, ListQuery query) { return acls.list(caller, query); }

    @Override public Iterator<Resource> listAll(Caller caller, ListQuery query) { return acls.listAll(caller, query); }

    @Override
    @SuppressWarnings("unchecked")
    public Resource update(Caller caller, String id, Map<String, Object> changes, OptionalLong expectedRevision) {
        List<String> involved = changes.containsKey("subnets") ? involvedSubnets(caller, id, (List<String>) changes.get("subnets")) : List.of();
        return writes.submit(id, 1, tx -> {
            lockSubnetsFirst(tx, involved);
            Resource before = acls.requireOwned(tx, caller, id);
            ResourceRepository.checkRevision(before, expectedRevision);
            Resource after = before;
            for (var change : changes.entrySet()) {
                after = switch (change.getKey()) {
                    case "rules" -> after.with("rules", NetworkAclRules.canonical((List<Map<String, Object>>) change.getValue()));
                    case "subnets" -> associate(tx, caller, after, (List<String>) change.getValue());
                    default -> after.with(change.getKey(), change.getValue());
                };
            }
            return acls.update(tx, before, after);
        });
    }

    /** The subnets an association change touches (those it had and those it will have), from a committed read. */
    private List<String> involvedSubnets(Caller caller, String id, List<String> wanted) {
        var all = new java.util.TreeSet<>(wanted);
        all.addAll(acls.show(caller, id).<String>list("subnets"));
        return List.copyOf(all);
    }

    /**
     * Reads lock: a subnet delete takes its subnet, its ACL link, then the ACL. An association change takes them in
     * the same order (subnets and links first, then the ACL), or the two would deadlock.
     */
    private void lockSubnetsFirst(StoreTx tx, List<String> subnetIds) {
        subnets.getAll(tx, subnetIds);
        for (String subnetId : subnetIds) subnetAcls.aclOf(tx, subnetId);
    }

    /** Adds rules; a rule number already in use is a 409, so two clients adding at once never overwrite each other. */
    public Resource addRules(Caller caller, String id, List<Map<String, Object>> rules) {
        return changeRules(caller, id, current -> NetworkAclRules.plus(current, rules));
    }

    public Resource removeRules(Caller caller, String id, List<Integer> ruleNumbers) {
        return changeRules(caller, id, current -> NetworkAclRules.minus(current, ruleNumbers));
    }

    private Resource changeRules(Caller caller, String id, UnaryOperator<List<Map<String, Object>>> change) {
        return writes.submit(id, 1, tx -> {
            Resource before = acls.requireOwned(tx, caller, id);
            return acls.update(tx, before, before.with("rules", change.apply(before.list("rules"))));
        });
    }

    /** The ACL associated with exactly the given subnets: each must be the caller's and on no other ACL. */
    private Resource associate(StoreTx tx, Caller caller, Resource acl, List<String> wanted) {
        List<String> target = List.copyOf(new LinkedHashSet<>(wanted));
        for (String old : acl.<String>list("subnets")) if (!target.contains(old)) subnetAcls.remove(tx, old);
        for (String subnetId : target) {
            if (acl.<String>list("subnets").contains(subnetId)) continue;
            subnets.requireOwned(tx, caller, subnetId);
            subnetAcls.aclOf(tx, subnetId).ifPresent(other -> {
                throw AlcorException.conflict("SubnetHasNetworkAcl", "Subnet " + subnetId + " is already associated with network ACL " + other + ".");
            });
            subnetAcls.put(tx, subnetId, acl.id(), acl.projectId());
        }
        return acl.with("subnets", target);
    }

    @Override
    public void delete(Caller caller, String id) {
        writes.submit(id, 1, tx -> {
            Resource acl = acls.requireOwned(tx, caller, id);
            if (!acl.list("subnets").isEmpty()) {
                throw AlcorException.conflict("NetworkAclInUse", "Network ACL " + id + " is associated with subnets " + acl.list("subnets")
                        + "; disassociate them first.");
            }
            acls.delete(tx, id);
            return null;
        });
    }

    /** A deleted subnet leaves its ACL (runs in the subnet delete's transaction). */
    public void subnetDeleted(StoreTx tx, Resource subnet) {
        subnetAcls.aclOf(tx, subnet.id()).ifPresent(aclId -> {
            subnetAcls.remove(tx, subnet.id());
            acls.get(tx, aclId).ifPresent(acl -> acls.update(tx, acl,
                    acl.with("subnets", acl.<String>list("subnets").stream().filter(s -> !s.equals(subnet.id())).toList())));
        });
    }

    @Override
    public Resource updateTags(Caller caller, String id, UnaryOperator<List<String>> change) {
        return writes.submit(id, 1, tx -> acls.updateTags(tx, caller, id, change));
    }
}
