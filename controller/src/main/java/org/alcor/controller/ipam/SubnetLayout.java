package org.alcor.controller.ipam;

import java.util.List;
import java.util.Map;
import org.alcor.controller.core.Resource;

/** What IP allocation needs to know of a subnet: its id, CIDR and allocation pools. */
public record SubnetLayout(String id, String networkId, Cidr cidr, List<IpRange> pools) {

    public static SubnetLayout of(Resource subnet) {
        Cidr cidr = Cidr.tryParse(subnet.string("cidr")).orElseThrow();
        List<IpRange> pools = subnet.<Map<String, Object>>list("allocation_pools").stream().map(IpRange::fromAttribute).toList();
        return new SubnetLayout(subnet.id(), subnet.string("network_id"), cidr, pools);
    }
}
