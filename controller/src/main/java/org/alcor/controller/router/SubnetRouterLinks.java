package org.alcor.controller.router;

import java.util.List;
import java.util.Optional;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceCodec;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * The subnet → router table ({@link Table#SUBNET_ROUTERS}), keyed by subnet id: one key per subnet is what makes
 * "a subnet is attached to at most one router" a locked read, and subnet → router a key lookup, never a scan.
 */
public final class SubnetRouterLinks {
    private final Store store;

    public SubnetRouterLinks(Store store) { this.store = store; }

    /** Reads and locks the link of a subnet. */
    public Optional<SubnetRouterLink> get(StoreTx tx, String subnetId) { return tx.get(Table.SUBNET_ROUTERS, subnetId).map(SubnetRouterLinks::decode); }

    /** The committed link of a subnet, outside a transaction (readers such as the goal-state builder). */
    public Optional<SubnetRouterLink> get(String subnetId) { return store.get(Table.SUBNET_ROUTERS, subnetId).map(SubnetRouterLinks::decode); }

    /** The committed links of a router, by index. */
    public List<SubnetRouterLink> ofRouter(String routerId) {
        return store.find(Table.SUBNET_ROUTERS, Column.DEVICE, routerId).stream().map(SubnetRouterLinks::decode).toList();
    }

    public void put(StoreTx tx, SubnetRouterLink link) {
        byte[] doc = ResourceCodec.encode(new Resource(link.toMap()));
        tx.put(Table.SUBNET_ROUTERS, new StoredRow(link.subnetId(), link.projectId(), link.networkId(), null, link.routerId(),
                null, false, 1, doc));
    }

    public void remove(StoreTx tx, String subnetId) { tx.remove(Table.SUBNET_ROUTERS, subnetId); }

    private static SubnetRouterLink decode(StoredRow row) { return SubnetRouterLink.fromMap(ResourceCodec.decode(row.doc()).attrs()); }
}
