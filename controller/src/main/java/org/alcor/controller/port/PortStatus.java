package org.alcor.controller.port;

import java.util.Map;
import org.alcor.controller.core.Resource;

/**
 * A port's status follows its host (DESIGN.md: ACTIVE means the host acknowledged it, not that the controller
 * accepted it): DOWN and unbound until the host it is bound to reports it programmed, ERROR with the host's
 * message in {@code binding:vif_details} when the host failed.
 */
final class PortStatus {
    private PortStatus() {}

    /** Bound to a new host (or to none): nothing is programmed there yet. */
    static Resource unbound(Resource port) {
        return port.with(Map.of("status", "DOWN", "binding:vif_type", "unbound", "binding:vif_details", Map.of()));
    }

    static Resource reported(Resource port, PortReport report) {
        if (report.ok()) {
            return port.with(Map.of("status", "ACTIVE", "binding:vif_type", "ovs",
                    "binding:vif_details", Map.of("port_filter", true, "connectivity", "l2")));
        }
        return port.with(Map.of("status", "ERROR", "binding:vif_type", "binding_failed",
                "binding:vif_details", Map.of("error", report.error())));
    }
}
