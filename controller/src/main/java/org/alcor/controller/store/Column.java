package org.alcor.controller.store;

/**
 * The indexed columns of a {@link StoredRow}: the keys that clients and hot paths filter on. Anything else is
 * filtered in memory after an index lookup, never by scanning a whole table.
 */
public enum Column {
    PROJECT("project"), NETWORK("network"), NAME("name"), DEVICE("device"), HOST("host"), SHARED("shared"),
    /** The security group a rule or a membership row belongs to. */
    SECURITY_GROUP("securityGroup"),
    /** The group a rule admits traffic from: which rules a group's membership changes, or its delete removes. */
    REMOTE_GROUP("remoteGroup"),
    /** A network's segmentation id (VNI) as text: which network holds an allocated VNI. */
    SEGMENT("segment");

    final String field;

    Column(String field) { this.field = field; }
}
