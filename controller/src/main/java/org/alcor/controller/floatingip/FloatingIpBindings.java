package org.alcor.controller.floatingip;

import java.util.List;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceRepository;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.Table;

/** What the data plane needs of floating IPs: those of a port (NAT on the port's host), by index, from committed state. */
public final class FloatingIpBindings {
    /** One floating IP associated with one fixed IP of a port, through a router. */
    public record Binding(String floatingIpId, String floatingIpAddress, String floatingNetworkId, String portId,
                          String fixedIpAddress, String routerId) {}

    private final Store store;

    public FloatingIpBindings(Store store) { this.store = store; }

    public List<Binding> ofPort(String portId) {
        return store.find(Table.FLOATINGIPS, Column.DEVICE, portId).stream().map(ResourceRepository::decode)
                .filter(f -> portId.equals(f.string("port_id"))).map(FloatingIpBindings::binding).toList();
    }

    private static Binding binding(Resource f) {
        return new Binding(f.id(), f.string("floating_ip_address"), f.string("floating_network_id"), f.string("port_id"),
                f.string("fixed_ip_address"), f.string("router_id"));
    }
}
