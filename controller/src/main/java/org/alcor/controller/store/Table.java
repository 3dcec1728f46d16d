package org.alcor.controller.store;

/** The resource tables of the store. Each is one Ignite cache of {@link StoredRow}s keyed by resource id. */
public enum Table {
    NETWORKS, SUBNETS, PORTS;

    String cacheName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
