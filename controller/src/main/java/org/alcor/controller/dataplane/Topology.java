package org.alcor.controller.dataplane;

import java.util.Collection;
import java.util.List;
import org.alcor.controller.core.Resource;

/**
 * The committed resources a host's goal state is made of, as the engine holds them. {@link HostDesired} computes
 * from this and nothing else, so the same snapshot always gives the same desired state.
 */
interface Topology {
    Resource network(String id);

    Resource subnet(String id);

    /** The rules of a security group (empty when it has none or is gone). */
    List<Resource> rulesOf(String groupId);

    /** The ports in a security group, wherever they are bound: the addresses a remote-group rule admits. */
    Collection<Resource> membersOf(String groupId);

    /** The router a subnet is attached to, or null. */
    Resource routerOfSubnet(String subnetId);
}
