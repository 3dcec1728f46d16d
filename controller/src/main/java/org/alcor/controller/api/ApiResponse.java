package org.alcor.controller.api;

import java.util.Map;

/** A response: status, JSON (or other) body, content type. */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, Json.write(value), "application/json", Map.of());
    }

    /** This response with the given headers added. */
    public ApiResponse withHeaders(Map<String, String> more) {
        if (more.isEmpty()) return this;
        var all = new java.util.LinkedHashMap<>(headers);
        all.putAll(more);
        return new ApiResponse(status, body, contentType, Map.copyOf(all));
    }

    public static ApiResponse noContent() { return new ApiResponse(204, null, null, Map.of()); }

    public static ApiResponse of(int status, byte[] body, String contentType) { return new ApiResponse(status, body, contentType, Map.of()); }
}
