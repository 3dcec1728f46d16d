package org.alcor.controller.subnet;

import org.alcor.controller.core.Resource;
import org.alcor.controller.store.StoreTx;

/**
 * Runs inside the transaction that deletes a subnet (alone, or with its network), before it goes: a feature that
 * refers to subnets (a network ACL association) drops its reference in the same commit, so none dangles.
 */
@FunctionalInterface
public interface SubnetDeleteHook {
    void beforeDelete(StoreTx tx, Resource subnet);
}
