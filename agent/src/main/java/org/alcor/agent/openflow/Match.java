package org.alcor.agent.openflow;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An OpenFlow 1.3 OXM match, kept as its encoded fields (without the ofp_match header) so that two matches
 * are equal exactly when OVS would see the same fields in the same order. Build with {@link #builder()}.
 */
public final class Match {
    public static final Match ANY = new Match(new byte[0]);
    private final byte[] fields;

    private Match(byte[] fields) { this.fields = fields; }

    public static Builder builder() { return new Builder(); }

    /** The oxm_fields only; {@link #writeTo} adds the ofp_match header and padding. */
    public byte[] fields() { return fields.clone(); }

    /** ofp_match: type OFPMT_OXM (1), length without padding, fields, padding to 8. */
    public void writeTo(WireWriter w) {
        w.u16(1).u16(4 + fields.length).bytes(fields);
        w.zeros((8 - (4 + fields.length) % 8) % 8);
    }

    @Override public boolean equals(Object o) { return o instanceof Match m && Arrays.equals(fields, m.fields); }

    @Override public int hashCode() { return Arrays.hashCode(fields); }

    @Override public String toString() { return "match(" + HexFormat.of().formatHex(fields) + ")"; }

    public static final class Builder {
        private final WireWriter w = new WireWriter(64);

        public Builder field(Oxm f, long value) {
            w.u32(f.header(false));
            writeValue(f.length(), value);
            return this;
        }

        public Builder masked(Oxm f, long value, long mask) {
            w.u32(f.header(true));
            writeValue(f.length(), value);
            writeValue(f.length(), mask);
            return this;
        }

        private void writeValue(int len, long v) {
            for (int i = len - 1; i >= 0; i--) w.u8((int) (v >>> (8 * i)));
        }

        public Builder inPort(int port) { return field(Oxm.IN_PORT, port & 0xffffffffL); }
        public Builder ethType(int t) { return field(Oxm.ETH_TYPE, t); }
        public Builder ethSrc(long mac) { return field(Oxm.ETH_SRC, mac); }
        public Builder ethDst(long mac) { return field(Oxm.ETH_DST, mac); }
        public Builder reg(int n, long v) { return field(Oxm.reg(n), v & 0xffffffffL); }
        public Builder tunnelId(long vni) { return field(Oxm.TUNNEL_ID, vni); }
        public Builder ipProto(int p) { return field(Oxm.IP_PROTO, p); }

        /** ct_state with a mask: only the bits in {@code mask} must equal those in {@code state}. */
        public Builder ctState(int state, int mask) { return masked(Oxm.CT_STATE, state, mask); }

        /** An IPv4 prefix: a /32 is sent unmasked, /0 not at all (a zero mask would match anything anyway). */
        public Builder ipv4(Oxm f, int addr, int prefixLen) {
            if (prefixLen == 0) return this;
            if (prefixLen == 32) return field(f, addr & 0xffffffffL);
            long mask = (0xffffffffL << (32 - prefixLen)) & 0xffffffffL;
            return masked(f, addr & mask, mask);
        }

        public Match build() { return new Match(w.toByteArray()); }
    }
}
