package org.alcor.controller.nacl;

import java.util.Map;
import java.util.Optional;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceCodec;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * Subnet → network ACL ({@link Table#SUBNET_ACLS}), keyed by subnet id: one key per subnet makes "at most one ACL
 * per subnet" a locked read, and lets the goal-state builder find a subnet's ACL without a search.
 */
public final class SubnetAcls {
    private final Store store;

    public SubnetAcls(Store store) { this.store = store; }

    /** The committed ACL id of a subnet. */
    public Optional<String> aclOf(String subnetId) { return store.get(Table.SUBNET_ACLS, subnetId).map(SubnetAcls::aclId); }

    Optional<String> aclOf(StoreTx tx, String subnetId) { return tx.get(Table.SUBNET_ACLS, subnetId).map(SubnetAcls::aclId); }

    void put(StoreTx tx, String subnetId, String aclId, String projectId) {
        byte[] doc = ResourceCodec.encode(new Resource(Map.of("id", subnetId, "network_acl_id", aclId)));
        tx.put(Table.SUBNET_ACLS, new StoredRow(subnetId, projectId, null, null, aclId, null, false, 1, doc));
    }

    void remove(StoreTx tx, String subnetId) { tx.remove(Table.SUBNET_ACLS, subnetId); }

    private static String aclId(StoredRow row) { return row.device(); }
}
