package org.alcor.controller.api;

import java.util.Map;
import org.alcor.controller.core.Caller;

/**
 * A Neutron member action, {@code PUT /v2.0/{collection}/{id}/{name}} (e.g. a router's add_router_interface):
 * declared beside the resource's attributes, served by the generic endpoints. The handler gets the parsed JSON
 * body and returns the response body; a {@link org.alcor.controller.core.Resource} is rendered as the member.
 */
public record MemberAction(String name, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        Object apply(Caller caller, String id, Map<String, Object> body);
    }
}
