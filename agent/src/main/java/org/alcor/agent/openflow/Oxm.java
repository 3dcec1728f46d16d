package org.alcor.agent.openflow;

/**
 * One match field as OVS reads it on the wire: OXM class, field number and value length. OpenFlow 1.3 basic
 * fields use class 0x8000; the Nicira ones (registers, conntrack state, tunnel destination) use NXM classes,
 * which OVS accepts in OXM matches and set_field actions alike. NXM class 0 names exist for the move action,
 * whose source and destination ovs-ofctl also encodes in the NXM form.
 */
public record Oxm(int oxmClass, int field, int length) {
    public static final Oxm IN_PORT = basic(0, 4);
    public static final Oxm METADATA = basic(2, 8);
    public static final Oxm ETH_DST = basic(3, 6);
    public static final Oxm ETH_SRC = basic(4, 6);
    public static final Oxm ETH_TYPE = basic(5, 2);
    public static final Oxm IP_PROTO = basic(10, 1);
    public static final Oxm IPV4_SRC = basic(11, 4);
    public static final Oxm IPV4_DST = basic(12, 4);
    public static final Oxm TCP_SRC = basic(13, 2);
    public static final Oxm TCP_DST = basic(14, 2);
    public static final Oxm UDP_SRC = basic(15, 2);
    public static final Oxm UDP_DST = basic(16, 2);
    public static final Oxm ICMPV4_TYPE = basic(19, 1);
    public static final Oxm ICMPV4_CODE = basic(20, 1);
    public static final Oxm ARP_OP = basic(21, 2);
    public static final Oxm ARP_SPA = basic(22, 4);
    public static final Oxm ARP_TPA = basic(23, 4);
    public static final Oxm ARP_SHA = basic(24, 6);
    public static final Oxm ARP_THA = basic(25, 6);
    public static final Oxm TUNNEL_ID = basic(38, 8);

    /** NXM_NX_REGn, 32 bits each: the pipeline's scratch space that survives resubmits and recirculation. */
    public static Oxm reg(int n) {
        if (n < 0 || n > 15) throw new IllegalArgumentException("register " + n);
        return new Oxm(0x0001, n, 4);
    }

    public static final Oxm TUN_IPV4_DST = new Oxm(0x0001, 32, 4);
    public static final Oxm CT_STATE = new Oxm(0x0001, 105, 4);

    // NXM class 0 (OpenFlow 1.0 era) names, as ovs-ofctl writes them in move actions.
    public static final Oxm NXM_ETH_DST = new Oxm(0x0000, 1, 6);
    public static final Oxm NXM_ETH_SRC = new Oxm(0x0000, 2, 6);
    public static final Oxm NXM_IP_SRC = new Oxm(0x0000, 7, 4);
    public static final Oxm NXM_IP_DST = new Oxm(0x0000, 8, 4);
    public static final Oxm NXM_ARP_SPA = new Oxm(0x0000, 16, 4);
    public static final Oxm NXM_ARP_TPA = new Oxm(0x0000, 17, 4);
    public static final Oxm NXM_ARP_SHA = new Oxm(0x0001, 17, 6);
    public static final Oxm NXM_ARP_THA = new Oxm(0x0001, 18, 6);

    private static Oxm basic(int field, int length) { return new Oxm(0x8000, field, length); }

    /** The 32-bit header: class(16) field(7) hasmask(1) length(8); a masked field doubles its length. */
    public int header(boolean masked) {
        return (oxmClass << 16) | (field << 9) | (masked ? 1 << 8 : 0) | (masked ? 2 * length : length);
    }

    public int bits() { return length * 8; }
}
