package org.alcor.controller.core;

/**
 * Stable error codes, one per kind of failure, each with its HTTP status and whether retrying the same request
 * can succeed. The REST layer maps them to Neutron errors; the southbound will map them to gRPC statuses.
 */
public enum ErrorCode {
    BAD_REQUEST(400, false),
    UNAUTHORIZED(401, false),
    FORBIDDEN(403, false),
    NOT_FOUND(404, false),
    METHOD_NOT_ALLOWED(405, false),
    CONFLICT(409, false),
    PRECONDITION_FAILED(412, false),
    TOO_LARGE(413, false),
    UNAVAILABLE(503, true),
    INTERNAL(500, false);

    public final int status;
    public final boolean retriable;

    ErrorCode(int status, boolean retriable) {
        this.status = status;
        this.retriable = retriable;
    }
}
