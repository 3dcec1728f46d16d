package org.alcor.controller.dataplane;

import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.alcor.controller.core.Resource;

/** What the engine knows of one host served here: its ports, and its local state as last sent (the "installed" side). */
final class HostView {
    final String hostId;
    HostSink sink;
    final Map<String, Resource> ports = new HashMap<>();
    Map<StateKey, Message> sent = new HashMap<>();
    Set<String> vpcs = new LinkedHashSet<>();
    Set<String> groups = Set.of();
    Set<String> remoteGroups = Set.of();

    HostView(String hostId, HostSink sink) {
        this.hostId = hostId;
        this.sink = sink;
    }
}
