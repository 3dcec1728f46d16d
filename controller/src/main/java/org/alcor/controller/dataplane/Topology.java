package org.alcor.controller.dataplane;

import java.util.List;
import org.alcor.controller.core.Resource;
import org.alcor.proto.NeighborPolicy;

/**
 * The committed resources a host's local goal state is made of, as the engine holds them. {@link HostDesired}
 * computes from this and nothing else, so the same snapshot always gives the same desired state.
 */
interface Topology {
    Resource network(String id);

    Resource subnet(String id);

    /** The rules of a security group (empty when it has none or is gone). */
    List<Resource> rulesOf(String groupId);

    /** The router a subnet is attached to, or null. */
    Resource routerOfSubnet(String subnetId);

    /** Whether the VPC's neighbours are pushed to its hosts or looked up on demand. */
    NeighborPolicy neighborPolicy(String vpcId);
}
