package org.alcor.controller.store;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The resource tables of the store. Each is one Ignite cache of {@link StoredRow}s keyed by resource id, with an
 * index on just the columns that table is queried by: every index costs every insert (measured: about 15% each).
 */
public enum Table {
    NETWORKS(EnumSet.of(Column.PROJECT, Column.NAME, Column.SHARED, Column.SEGMENT)),
    SUBNETS(EnumSet.of(Column.PROJECT, Column.NETWORK, Column.NAME, Column.SHARED)),
    PORTS(EnumSet.of(Column.PROJECT, Column.NETWORK, Column.NAME, Column.DEVICE, Column.HOST)),
    ROUTERS(EnumSet.of(Column.PROJECT, Column.NAME)),
    /** Keyed by subnet id: the router a subnet is attached to (DEVICE) and what uses that attachment. */
    SUBNET_ROUTERS(EnumSet.of(Column.DEVICE)),
    /** NETWORK is the floating network, DEVICE the associated port. */
    FLOATINGIPS(EnumSet.of(Column.PROJECT, Column.NETWORK, Column.DEVICE)),
    NETWORK_ACLS(EnumSet.of(Column.PROJECT, Column.NAME)),
    /** Keyed by subnet id: the network ACL a subnet is associated with (DEVICE). */
    SUBNET_ACLS(EnumSet.of(Column.DEVICE)),
    /** Compute hosts, keyed by host id (the name ports bind to): looked up by key only. */
    HOSTS(EnumSet.noneOf(Column.class)),
    SECURITY_GROUPS(EnumSet.of(Column.PROJECT, Column.NAME)),
    /** Rules are listed by their group (the goal-state builder reads a group's rules), by project and by remote group. */
    SECURITY_GROUP_RULES(EnumSet.of(Column.PROJECT, Column.SECURITY_GROUP, Column.REMOTE_GROUP)),
    /** One row per (group, port): which ports a group holds, without scanning ports. Keyed "group/port". */
    SECURITY_GROUP_PORTS(EnumSet.of(Column.SECURITY_GROUP)),
    /** One row per project: its quota limits and its usage counters, updated in the creating transaction. */
    QUOTAS(EnumSet.noneOf(Column.class)),
    NETWORK_SEGMENT_RANGES(EnumSet.of(Column.PROJECT, Column.NAME));

    private final Set<Column> indexed;

    Table(Set<Column> indexed) { this.indexed = indexed; }

    public boolean isIndexed(Column column) { return indexed.contains(column); }

    Set<Column> indexed() { return indexed; }

    String cacheName() { return name().toLowerCase(Locale.ROOT); }
}
