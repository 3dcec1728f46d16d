package org.alcor.controller.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored resource: the indexed columns beside the serialized document. A plain class, not a record,
 * because Ignite cannot read field offsets of record classes.
 */
public final class StoredRow {
    private final String id;
    private final String project;
    private final String network;
    private final String name;
    private final String device;
    private final String host;
    private final boolean shared;
    private final String securityGroup;
    private final String segment;
    private final String remoteGroup;
    private final long revision;
    private final byte[] doc;

    public StoredRow(String id, String project, String network, String name, String device, String host,
                     boolean shared, long revision, byte[] doc) {
        this(id, project, network, name, device, host, shared, null, null, null, revision, doc);
    }

    public StoredRow(String id, String project, String network, String name, String device, String host,
                     boolean shared, String securityGroup, String segment, String remoteGroup, long revision, byte[] doc) {
        this.id = Objects.requireNonNull(id);
        this.project = project;
        this.network = network;
        this.name = name;
        this.device = device;
        this.host = host;
        this.shared = shared;
        this.securityGroup = securityGroup;
        this.segment = segment;
        this.remoteGroup = remoteGroup;
        this.revision = revision;
        this.doc = doc;
    }

    public String id() { return id; }
    public String project() { return project; }
    public String network() { return network; }
    public String name() { return name; }
    public String device() { return device; }
    public String host() { return host; }
    public boolean shared() { return shared; }
    public String securityGroup() { return securityGroup; }
    public String segment() { return segment; }
    public String remoteGroup() { return remoteGroup; }
    public long revision() { return revision; }
    public byte[] doc() { return doc; }

    Object column(Column column) {
        return switch (column) {
            case PROJECT -> project;
            case NETWORK -> network;
            case NAME -> name;
            case DEVICE -> device;
            case HOST -> host;
            case SHARED -> shared;
            case SECURITY_GROUP -> securityGroup;
            case SEGMENT -> segment;
            case REMOTE_GROUP -> remoteGroup;
        };
    }

    @Override public boolean equals(Object o) {
        return o instanceof StoredRow r && id.equals(r.id) && revision == r.revision && Arrays.equals(doc, r.doc);
    }

    @Override public int hashCode() { return id.hashCode() * 31 + Long.hashCode(revision); }
}
