package org.alcor.agent.openflow;

import java.util.Arrays;

/**
 * An ordered OpenFlow 1.3 action list, encoded as it goes. Covers what the Alcor pipeline uses: output,
 * set_field (OXM and NXM fields), dec_nw_ttl, and the Nicira extensions move (NXAST_REG_MOVE), ct (NXAST_CT)
 * and resubmit (NXAST_RESUBMIT_TABLE), whose layouts are those of OVS's nx-match.h / ofp-actions.c.
 */
public final class Actions {
    public static final int PORT_IN_PORT = 0xfffffff8;
    public static final int PORT_CONTROLLER = 0xfffffffd;
    /** OFPCML_NO_BUFFER: the whole packet goes to the controller, nothing is buffered in the switch. */
    public static final int NO_BUFFER = 0xffff;
    private static final int NX_VENDOR = 0x00002320;

    private final WireWriter w = new WireWriter(64);

    public static Actions of() { return new Actions(); }

    public Actions output(int port) { return output(port, 0); }

    public Actions output(int port, int maxLen) {
        w.u16(0).u16(16).u32(port & 0xffffffffL).u16(maxLen).zeros(6);
        return this;
    }

    public Actions controller() { return output(PORT_CONTROLLER, NO_BUFFER); }

    public Actions setField(Oxm f, long value) {
        int start = w.position();
        w.u16(25).u16(0).u32(f.header(false));
        for (int i = f.length() - 1; i >= 0; i--) w.u8((int) (value >>> (8 * i)));
        w.pad8();
        w.setU16(start + 2, w.position() - start);
        return this;
    }

    public Actions decTtl() { w.u16(24).u16(8).zeros(4); return this; }

    /** NXAST_REG_MOVE: copies {@code src} (whole field) into {@code dst}; both must have the same width. */
    public Actions move(Oxm src, Oxm dst) {
        if (src.bits() != dst.bits()) throw new IllegalArgumentException("move between fields of different width");
        w.u16(0xffff).u16(24).u32(NX_VENDOR).u16(6)
                .u16(src.bits()).u16(0).u16(0)
                .u32(src.header(false) & 0xffffffffL).u32(dst.header(false) & 0xffffffffL);
        return this;
    }

    /**
     * NXAST_CT with an immediate zone: {@code recircTable} &lt; 0 means no recirculation (as after commit),
     * otherwise the packet re-enters that table with ct_state set.
     */
    public Actions ct(boolean commit, int zone, int recircTable) {
        w.u16(0xffff).u16(24).u32(NX_VENDOR).u16(35)
                .u16(commit ? 1 : 0)
                .u32(0)             // zone_src 0: the zone is the immediate below
                .u16(zone)
                .u8(recircTable < 0 ? 0xff : recircTable)
                .zeros(3)
                .u16(0);            // alg: none
        return this;
    }

    /**
     * NXAST_RESUBMIT_TABLE with in_port OFPP_IN_PORT (the packet's own): continues the pipeline at {@code table}.
     * The only way for a packet-out to re-enter the pipeline mid-way; OpenFlow's own output to OFPP_TABLE starts at
     * table 0. Registers set before it stay set.
     */
    public Actions resubmit(int table) {
        w.u16(0xffff).u16(16).u32(NX_VENDOR).u16(14)
                .u16(0xfff8)        // OFPP_IN_PORT in the 16-bit OpenFlow 1.0 numbering the action uses
                .u8(table)
                .zeros(3);
        return this;
    }

    public boolean isEmpty() { return w.position() == 0; }

    public byte[] encoded() { return w.toByteArray(); }

    @Override public boolean equals(Object o) { return o instanceof Actions a && Arrays.equals(encoded(), a.encoded()); }

    @Override public int hashCode() { return Arrays.hashCode(encoded()); }
}
