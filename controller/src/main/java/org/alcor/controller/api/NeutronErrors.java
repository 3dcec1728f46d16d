package org.alcor.controller.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;

/** The one place where failures become Neutron error bodies: {"NeutronError": {type, message, detail}}. */
final class NeutronErrors {
    private NeutronErrors() {}

    static ApiResponse render(AlcorException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", e.type());
        error.put("message", e.getMessage());
        error.put("detail", "");
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            // keystonemiddleware answers Neutron's 401s with {"error": {code, title, message}}; clients written
            // against either shape find what they look for, and every Alcor error still has its NeutronError.
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("NeutronError", error);
            body.put("error", Map.of("code", 401, "title", "Unauthorized", "message", e.getMessage()));
            return ApiResponse.json(401, body);
        }
        return ApiResponse.json(e.code().status, Map.of("NeutronError", error));
    }

    static ApiResponse internal() {
        return render(new AlcorException(ErrorCode.INTERNAL, "HTTPInternalServerError",
                "Request Failed: internal server error while processing your request."));
    }
}
