package org.alcor.agent.openflow;

/** An OFPT_ERROR from the switch: type/code as in the spec (bundle errors are type 17 in OVS's numbering). */
public record OfError(int xid, int type, int code) {
    @Override public String toString() { return "OpenFlow error type=" + type + " code=" + code + " (xid " + xid + ")"; }
}
