package org.alcor.controller.dataplane;

/**
 * What a committed change means to goal states, decoded once from the store's row by {@link Snapshot}: the
 * engine's nodes react to these, never to rows. Changes that no goal state can see (a port turning ACTIVE, a
 * renamed network) produce none.
 */
sealed interface TopologyChange {
    /** A bound port came, changed what hosts see of it, moved or went (before or after is null). */
    record PortChanged(PortRecord before, PortRecord after) implements TopologyChange {}

    /** A VPC's network, subnets or routers changed: its hosts' local states are recomputed. */
    record VpcChanged(String networkId) implements TopologyChange {}

    /** A security group's rules changed: the hosts holding the group recompute. */
    record RulesChanged(String groupId) implements TopologyChange {}

    /** A host's tunnel endpoint changed (or became known): every neighbour entry of its ports follows. */
    record HostAddressChanged(String hostId) implements TopologyChange {}
}
