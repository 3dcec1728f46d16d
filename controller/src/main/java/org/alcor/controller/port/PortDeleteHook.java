package org.alcor.controller.port;

import org.alcor.controller.core.Resource;
import org.alcor.controller.store.StoreTx;

/**
 * Runs inside a port delete's transaction, before the port goes: another feature undoes what referred to the port
 * (a floating IP associated with it is disassociated, as Neutron does), so nothing is left pointing at nothing.
 */
@FunctionalInterface
public interface PortDeleteHook {
    void beforeDelete(StoreTx tx, Resource port);
}
