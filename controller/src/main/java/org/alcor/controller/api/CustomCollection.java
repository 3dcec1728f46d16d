package org.alcor.controller.api;

/**
 * A {@code /v2.0/<collection>} that is not a plain resource collection (quotas are keyed by project and have
 * sub-resources): it handles every request under its path itself, still through the one error mapping.
 */
public interface CustomCollection {
    /** The first path segment after /v2.0. */
    String collection();

    ApiResponse handle(ApiRequest req);

    /** The route template of a request, for metrics (no ids in it). */
    String route(ApiRequest req);
}
