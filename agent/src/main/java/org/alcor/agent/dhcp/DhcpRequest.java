package org.alcor.agent.dhcp;

import org.alcor.agent.net.Mac;

/** What the responder needs from a client's DISCOVER or REQUEST. */
public record DhcpRequest(int messageType, int xid, int flags, long clientMac, int ciaddr, int requestedIp) {
    public static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, DECLINE = 4, ACK = 5, NAK = 6, RELEASE = 7, INFORM = 8;

    /** Parses an Ethernet frame; returns null for anything that is not an IPv4/UDP BOOTREQUEST with a message type. */
    public static DhcpRequest parse(byte[] f) {
        if (f.length < 14 + 20 + 8 + 240) return null;
        if (u16(f, 12) != 0x0800) return null;
        int ihl = (f[14] & 0x0f) * 4;
        if ((f[14 + 9] & 0xff) != 17) return null;
        int udp = 14 + ihl;
        if (u16(f, udp + 2) != 67) return null;
        int b = udp + 8;
        if (f.length < b + 240 || f[b] != 1) return null;              // op BOOTREQUEST
        if (u32(f, b + 236) != 0x63825363) return null;                 // magic cookie
        int xid = u32(f, b + 4);
        int flags = u16(f, b + 10);
        int ciaddr = u32(f, b + 12);
        long chaddr = Mac.of(f, b + 28);
        int type = 0, requested = 0;
        int i = b + 240;
        while (i < f.length) {
            int code = f[i] & 0xff;
            if (code == 255) break;
            if (code == 0) { i++; continue; }
            if (i + 1 >= f.length) break;
            int len = f[i + 1] & 0xff;
            if (i + 2 + len > f.length) break;
            if (code == 53 && len >= 1) type = f[i + 2] & 0xff;
            if (code == 50 && len == 4) requested = u32(f, i + 2);
            i += 2 + len;
        }
        return type == 0 ? null : new DhcpRequest(type, xid, flags, chaddr, ciaddr, requested);
    }

    static int u16(byte[] b, int at) { return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff); }

    static int u32(byte[] b, int at) { return (u16(b, at) << 16) | u16(b, at + 2); }
}
