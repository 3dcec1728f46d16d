package org.alcor.controller.router;

import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;

/** Neutron's L3 errors, with its types and wording, so clients that match on them keep working. */
final class RouterErrors {
    private RouterErrors() {}

    /** Neutron's generic BadRequest: "Bad router request: ...". */
    static AlcorException badRequest(String message) {
        return new AlcorException(ErrorCode.BAD_REQUEST, "BadRequest", "Bad router request: " + message + ".");
    }

    static AlcorException routerInUse(String routerId) {
        return AlcorException.conflict("RouterInUse", "Router " + routerId + " still has ports");
    }

    static AlcorException interfaceInUse(String type, String subnetId, String routerId, String by) {
        return AlcorException.conflict(type, "Router interface for subnet " + subnetId + " on router " + routerId
                + " cannot be deleted, as it is required by one or more " + by + ".");
    }

    static AlcorException attachedElsewhere(String subnetId, String otherRouter) {
        return AlcorException.conflict("RouterInterfaceAttachmentConflict", "Error subnet " + subnetId
                + " is already attached to router " + otherRouter + " while attempting the operation.");
    }

    static AlcorException noInterfaceForSubnet(String routerId, String subnetId) {
        return new AlcorException(ErrorCode.NOT_FOUND, "RouterInterfaceNotFoundForSubnet",
                "Router " + routerId + " has no interface on subnet " + subnetId);
    }

    static AlcorException noInterfaceWithPort(String routerId, String portId) {
        return new AlcorException(ErrorCode.NOT_FOUND, "RouterInterfaceNotFound",
                "Router " + routerId + " does not have an interface with id " + portId);
    }
}
