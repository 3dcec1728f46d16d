package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.alcor.controller.core.AlcorException;

/** The one place where failures become Neutron error bodies: {"NeutronError": {type, message, detail}}. */
final class NeutronErrors {
    private NeutronErrors() {}

    static ApiResponse render(AlcorException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", e.type());
        error.put("message", e.getMessage());
        error.put("detail", "");
        return ApiResponse.json(e.code().status, Map.of("NeutronError", error));
    }

    static ApiResponse internal() {
        return render(new AlcorException(org.alcor.controller.core.ErrorCode.INTERNAL, "HTTPInternalServerError",
                "Request Failed: internal server error while processing your request."));
    }
}
