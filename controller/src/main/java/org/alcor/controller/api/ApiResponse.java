package org.alcor.controller.api;

import java.util.Map;

/** A response: status, JSON (or other) body, content type. */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, Json.write(value), "application/json", Map.of());
    }

    public static ApiResponse noContent() { return new ApiResponse(204, null, null, Map.of()); }

    public static ApiResponse of(int status, byte[] body, String contentType) { return new ApiResponse(status, body, contentType, Map.of()); }
}
