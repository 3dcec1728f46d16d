package org.alcor.controller.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.CollectionService;

/**
 * A resource type as the API serves it: its collection and member names, its declared attributes and member
 * actions, the URL segment of its collection ({@code path}), and the domain service behind it. Generic code does
 * everything else for every type.
 */
public record ResourceDefinition(String collection, String member, String resourceName, Map<String, Attribute> attributes,
                                 CollectionService service, Map<String, MemberAction> actions, String path) {

    /** The attributes every Neutron resource has (id, project, description, standard attributes). */
    static List<Attribute> standard() {
        List<Attribute> std = new ArrayList<>();
        std.add(Attribute.readOnly("id", AttributeType.UUID_STRING));
        std.add(Attribute.createOnly("project_id", AttributeType.string(255)));
        std.add(Attribute.createOnly("tenant_id", AttributeType.string(255)));
        std.add(Attribute.mutable("name", AttributeType.string(255)));
        std.add(Attribute.mutable("description", AttributeType.string(255)));
        std.add(Attribute.createOnly("tags", AttributeType.listOf(AttributeType.string(60))).unsortable());
        std.add(Attribute.readOnly("revision_number", AttributeType.integer(0, Long.MAX_VALUE)));
        std.add(Attribute.readOnly("created_at", AttributeType.string(64)));
        std.add(Attribute.readOnly("updated_at", AttributeType.string(64)));
        return std;
    }

    static ResourceDefinition of(String collection, String member, String resourceName, CollectionService service,
                                 List<Attribute> specific) {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        for (Attribute a : standard()) attrs.put(a.name(), a);
        for (Attribute a : specific) attrs.put(a.name(), a);
        return new ResourceDefinition(collection, member, resourceName, attrs, service, Map.of(), collection);
    }

    /** The same resource type with one more member action. */
    ResourceDefinition withAction(String name, MemberAction.Handler handler) {
        Map<String, MemberAction> more = new LinkedHashMap<>(actions);
        more.put(name, new MemberAction(name, handler));
        return new ResourceDefinition(collection, member, resourceName, attributes, service, Map.copyOf(more), path);
    }

    /**
     * A type whose URL segment differs from its JSON collection key: {@code /v2.0/security-groups} answers
     * {@code {"security_groups": [...]}}.
     */
    static ResourceDefinition of(String path, String collection, String member, String resourceName, CollectionService service,
                                 List<Attribute> specific) {
        return of(collection, member, resourceName, service, specific).withPath(path);
    }

    /** The same type without some standard attributes (a security group rule has no name and no tags). */
    ResourceDefinition without(String... names) {
        Map<String, Attribute> attrs = new LinkedHashMap<>(attributes);
        for (String name : names) attrs.remove(name);
        return new ResourceDefinition(collection, member, resourceName, attrs, service, actions, path);
    }

    /** The same resource type served under another URL segment (Neutron writes "security-groups" in URLs, "security_groups" in bodies). */
    ResourceDefinition withPath(String urlSegment) {
        return new ResourceDefinition(collection, member, resourceName, attributes, service, actions, urlSegment);
    }
}
