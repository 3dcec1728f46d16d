package org.alcor.controller.core;

/**
 * A failure with a stable code and Neutron's error type name (e.g. {@code PortNotFound}), thrown by domain
 * services and rendered once, by the REST layer, as {@code {"NeutronError": {...}}}.
 */
public final class AlcorException extends RuntimeException {
    private final ErrorCode code;
    private final String type;

    public AlcorException(ErrorCode code, String type, String message) {
        super(message, null, false, false);
        this.code = code;
        this.type = type;
    }

    public ErrorCode code() { return code; }
    public String type() { return type; }

    public static AlcorException notFound(String resource, String id) {
        return new AlcorException(ErrorCode.NOT_FOUND, resource + "NotFound",
                resource + " " + id + " could not be found.");
    }

    public static AlcorException badRequest(String message) {
        return new AlcorException(ErrorCode.BAD_REQUEST, "HTTPBadRequest", message);
    }

    /** Neutron's wording for an attribute that failed validation. */
    public static AlcorException invalidInput(String attribute, String reason) {
        return new AlcorException(ErrorCode.BAD_REQUEST, "HTTPBadRequest",
                "Invalid input for " + attribute + ". Reason: " + reason + ".");
    }

    public static AlcorException invalidOperation(String message) {
        return new AlcorException(ErrorCode.BAD_REQUEST, "InvalidInput", "Invalid input for operation: " + message + ".");
    }

    public static AlcorException conflict(String type, String message) {
        return new AlcorException(ErrorCode.CONFLICT, type, message);
    }

    public static AlcorException forbidden(String message) {
        return new AlcorException(ErrorCode.FORBIDDEN, "PolicyNotAuthorized", message);
    }
}
