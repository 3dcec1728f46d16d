package org.alcor.controller.securitygroup;

import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.ErrorCode;

/** Neutron's security group errors (neutron/extensions/securitygroup.py), with their types and statuses. */
final class SecurityGroupErrors {
    private SecurityGroupErrors() {}

    static AlcorException groupNotFound(String id) {
        return new AlcorException(ErrorCode.NOT_FOUND, "SecurityGroupNotFound", "Security group " + id + " does not exist");
    }

    static AlcorException ruleNotFound(String id) {
        return new AlcorException(ErrorCode.NOT_FOUND, "SecurityGroupRuleNotFound", "Security group rule " + id + " does not exist");
    }

    static AlcorException badRule(String type, String message) { return new AlcorException(ErrorCode.BAD_REQUEST, type, message); }

    static AlcorException inUse(String id) {
        return AlcorException.conflict("SecurityGroupInUse", "Security Group " + id + " in use.");
    }
}
