package org.alcor.controller.api;

import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.ipavailability.IpAvailabilityService;

/** {@code GET /v2.0/network-ip-availabilities} and {@code GET /v2.0/network-ip-availabilities/{network_id}}. */
public final class IpAvailabilityEndpoints implements CustomCollection {
    private final IpAvailabilityService service;

    public IpAvailabilityEndpoints(IpAvailabilityService service) { this.service = service; }

    @Override public String collection() { return "network-ip-availabilities"; }

    @Override
    public String route(ApiRequest req) {
        return req.segments().size() == 1 ? "/v2.0/network-ip-availabilities" : "/v2.0/network-ip-availabilities/{network_id}";
    }

    @Override
    public ApiResponse handle(ApiRequest req) {
        if (!req.method().equals("GET")) throw ResourceEndpoints.methodNotAllowed();
        return switch (req.segments().size()) {
            case 1 -> {
                Map<String, java.util.List<String>> filters = new java.util.LinkedHashMap<>(req.query());
                filters.remove("fields");
                yield ApiResponse.json(200, Map.of("network_ip_availabilities", service.list(req.caller(), filters)));
            }
            case 2 -> ApiResponse.json(200, Map.of("network_ip_availability", service.show(req.caller(), req.segments().get(1))));
            default -> throw new AlcorException(org.alcor.controller.core.ErrorCode.NOT_FOUND, "HTTPNotFound",
                    "The resource could not be found.");
        };
    }
}
