package org.alcor.controller.store;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The resource tables of the store. Each is one Ignite cache of {@link StoredRow}s keyed by resource id, with an
 * index on just the columns that table is queried by: every index costs every insert (measured: about 15% each).
 */
public enum Table {
    NETWORKS(EnumSet.of(Column.PROJECT, Column.NAME, Column.SHARED)),
    SUBNETS(EnumSet.of(Column.PROJECT, Column.NETWORK, Column.NAME, Column.SHARED)),
    PORTS(EnumSet.of(Column.PROJECT, Column.NETWORK, Column.NAME, Column.DEVICE, Column.HOST)),
    /** Compute hosts, keyed by host id (the name ports bind to): looked up by key only. */
    HOSTS(EnumSet.noneOf(Column.class));

    private final Set<Column> indexed;

    Table(Set<Column> indexed) { this.indexed = indexed; }

    public boolean isIndexed(Column column) { return indexed.contains(column); }

    Set<Column> indexed() { return indexed; }

    String cacheName() { return name().toLowerCase(Locale.ROOT); }
}
