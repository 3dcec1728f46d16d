package org.alcor.agent.openflow;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The instruction list of a flow: apply-actions, then optionally goto-table. OVS rejects instructions out of
 * the order the spec gives (apply before goto), so this type only builds that order.
 */
public final class Instructions {
    public static final Instructions DROP = new Instructions(new byte[0]);
    private final byte[] encoded;

    private Instructions(byte[] encoded) { this.encoded = encoded; }

    public static Instructions apply(Actions actions) { return of(actions, -1); }

    public static Instructions gotoTable(int table) { return of(null, table); }

    public static Instructions of(Actions actions, int gotoTable) {
        WireWriter w = new WireWriter(64);
        if (actions != null && !actions.isEmpty()) {
            byte[] a = actions.encoded();
            w.u16(4).u16(8 + a.length).zeros(4).bytes(a);
        }
        if (gotoTable >= 0) w.u16(1).u16(8).u8(gotoTable).zeros(3);
        return new Instructions(w.toByteArray());
    }

    public byte[] encoded() { return encoded.clone(); }

    public int length() { return encoded.length; }

    void writeTo(WireWriter w) { w.bytes(encoded); }

    @Override public boolean equals(Object o) { return o instanceof Instructions i && Arrays.equals(encoded, i.encoded); }

    @Override public int hashCode() { return Arrays.hashCode(encoded); }

    @Override public String toString() { return "instructions(" + HexFormat.of().formatHex(encoded) + ")"; }
}
