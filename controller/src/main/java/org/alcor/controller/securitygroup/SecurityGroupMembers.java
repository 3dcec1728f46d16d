package org.alcor.controller.securitygroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alcor.controller.core.Resource;
import org.alcor.controller.core.ResourceCodec;
import org.alcor.controller.store.Column;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreTx;
import org.alcor.controller.store.StoredRow;
import org.alcor.controller.store.Table;

/**
 * Which ports each security group holds, as rows keyed "group/port" and indexed by group, written in the
 * transaction that creates, updates or deletes the port. "Is the group in use" is then one index probe and
 * "the ports of group G" (remote-group rules) one index range, never a scan of the ports.
 */
public final class SecurityGroupMembers {
    private final Store store;

    public SecurityGroupMembers(Store store) { this.store = store; }

    private static String key(String groupId, String portId) { return groupId + "/" + portId; }

    public void join(StoreTx tx, Resource port, List<String> groupIds) {
        for (String groupId : groupIds) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("security_group_id", groupId);
            doc.put("port_id", port.id());
            doc.put("network_id", port.string("network_id"));
            tx.put(Table.SECURITY_GROUP_PORTS, new StoredRow(key(groupId, port.id()), port.projectId(), port.string("network_id"),
                    null, port.id(), null, false, groupId, null, null, 0, ResourceCodec.encode(new Resource(doc))));
        }
    }

    public void leave(StoreTx tx, String portId, List<String> groupIds) {
        for (String groupId : groupIds) tx.remove(Table.SECURITY_GROUP_PORTS, key(groupId, portId));
    }

    boolean inUse(StoreTx tx, String groupId) { return tx.any(Table.SECURITY_GROUP_PORTS, Column.SECURITY_GROUP, groupId); }

    /** The ids of the ports in a group, committed. */
    public List<String> portsOf(String groupId) {
        List<String> ports = new ArrayList<>();
        for (StoredRow row : store.find(Table.SECURITY_GROUP_PORTS, Column.SECURITY_GROUP, groupId)) ports.add(row.device());
        return ports;
    }
}
