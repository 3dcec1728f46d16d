package org.alcor.agent;

import org.alcor.proto.NeighborState;

import java.util.Optional;

/** On-demand resolution of an address the host has no neighbor entry for (GoalStateService.LookupNeighbor). */
@FunctionalInterface
public interface NeighborLookup {
    Optional<NeighborState> lookup(String vpcId, String ip);

    NeighborLookup NONE = (vpc, ip) -> Optional.empty();
}
