package org.alcor.controller.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * A response: status, JSON (or other) body, content type. A streamed response has no body bytes but a writer that
 * produces them while they are sent (a list of a million ports is never held as one array).
 */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers, BodyWriter stream) {

    /** Writes a body to the connection; a failure half-way cuts the response short (its status is already sent). */
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    public ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
        this(status, body, contentType, headers, null);
    }

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, Json.write(value), "application/json", Map.of());
    }

    public static ApiResponse streamedJson(int status, BodyWriter writer) {
        return new ApiResponse(status, null, "application/json", Map.of(), writer);
    }

    /** This response with the given headers added. */
    public ApiResponse withHeaders(Map<String, String> more) {
        if (more.isEmpty()) return this;
        var all = new java.util.LinkedHashMap<>(headers);
        all.putAll(more);
        return new ApiResponse(status, body, contentType, Map.copyOf(all), stream);
    }

    public static ApiResponse noContent() { return new ApiResponse(204, null, null, Map.of()); }

    public static ApiResponse of(int status, byte[] body, String contentType) { return new ApiResponse(status, body, contentType, Map.of()); }
}
