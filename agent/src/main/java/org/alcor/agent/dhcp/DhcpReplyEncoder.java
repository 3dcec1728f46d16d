package org.alcor.agent.dhcp;

import org.alcor.agent.net.Mac;

import java.io.ByteArrayOutputStream;

/**
 * Builds the OFFER/ACK/NAK Ethernet frame. Options: 53 type, 54 server id, 51 lease, 58/59 renew/rebind,
 * 1 mask, 3 router, 6 DNS, 26 MTU, 121 classless routes. When 121 is sent, RFC 3442 clients ignore option 3,
 * so the default route is repeated inside 121.
 */
public final class DhcpReplyEncoder {
    private DhcpReplyEncoder() {}

    public static byte[] reply(DhcpRequest req, DhcpLease lease, int type) {
        ByteArrayOutputStream opt = new ByteArrayOutputStream();
        opt.write(53); opt.write(1); opt.write(type);
        option32(opt, 54, lease.server());
        if (type != DhcpRequest.NAK) {
            option32(opt, 51, lease.leaseSeconds());
            option32(opt, 58, lease.leaseSeconds() / 2);
            option32(opt, 59, lease.leaseSeconds() * 7 / 8);
            option32(opt, 1, lease.prefixLength() == 0 ? 0 : (int) (0xffffffffL << (32 - lease.prefixLength())));
            if (lease.gateway() != 0) option32(opt, 3, lease.gateway());
            if (!lease.dns().isEmpty()) {
                opt.write(6); opt.write(4 * lease.dns().size());
                for (int d : lease.dns()) write32(opt, d);
            }
            if (lease.mtu() > 0) { opt.write(26); opt.write(2); opt.write(lease.mtu() >>> 8); opt.write(lease.mtu()); }
            if (!lease.hostRoutes().isEmpty()) {
                ByteArrayOutputStream r = new ByteArrayOutputStream();
                for (int[] hr : lease.hostRoutes()) classlessRoute(r, hr[0], hr[1], hr[2]);
                if (lease.gateway() != 0) classlessRoute(r, 0, 0, lease.gateway());
                byte[] rb = r.toByteArray();
                opt.write(121); opt.write(rb.length); opt.write(rb, 0, rb.length);
            }
        }
        opt.write(255);
        byte[] options = opt.toByteArray();

        int bootpLen = 240 + options.length;
        byte[] bootp = new byte[Math.max(bootpLen, 300)];   // some clients expect at least the BOOTP minimum
        bootp[0] = 2; bootp[1] = 1; bootp[2] = 6;
        put32(bootp, 4, req.xid());
        put16(bootp, 10, req.flags());
        if (type != DhcpRequest.NAK) put32(bootp, 16, lease.ip());            // yiaddr
        put32(bootp, 20, lease.server());                                       // siaddr
        System.arraycopy(Mac.bytes(req.clientMac()), 0, bootp, 28, 6);
        put32(bootp, 236, 0x63825363);
        System.arraycopy(options, 0, bootp, 240, options.length);

        boolean broadcast = (req.flags() & 0x8000) != 0 || type == DhcpRequest.NAK;
        int dstIp = broadcast ? 0xffffffff : lease.ip();
        long dstMac = broadcast ? Mac.BROADCAST : req.clientMac();
        int udpLen = 8 + bootp.length;
        int ipLen = 20 + udpLen;
        byte[] f = new byte[14 + ipLen];
        System.arraycopy(Mac.bytes(dstMac), 0, f, 0, 6);
        System.arraycopy(Mac.bytes(lease.serverMac()), 0, f, 6, 6);
        put16(f, 12, 0x0800);
        int ip = 14;
        f[ip] = 0x45; put16(f, ip + 2, ipLen); f[ip + 8] = 64; f[ip + 9] = 17;
        put32(f, ip + 12, lease.server()); put32(f, ip + 16, dstIp);
        put16(f, ip + 10, checksum(f, ip, 20, 0));
        int udp = ip + 20;
        put16(f, udp, 67); put16(f, udp + 2, 68); put16(f, udp + 4, udpLen);
        System.arraycopy(bootp, 0, f, udp + 8, bootp.length);
        long pseudo = ((lease.server() >>> 16) & 0xffff) + (lease.server() & 0xffff)
                + ((dstIp >>> 16) & 0xffff) + (dstIp & 0xffff) + 17 + udpLen;
        int c = checksum(f, udp, udpLen, pseudo);
        put16(f, udp + 6, c == 0 ? 0xffff : c);
        return f;
    }

    /** RFC 3442: prefix length, the significant octets of the destination, the router. */
    private static void classlessRoute(ByteArrayOutputStream r, int dst, int len, int via) {
        r.write(len);
        for (int i = 0; i < (len + 7) / 8; i++) r.write(dst >>> (24 - 8 * i));
        write32(r, via);
    }

    private static void option32(ByteArrayOutputStream o, int code, int v) { o.write(code); o.write(4); write32(o, v); }

    private static void write32(ByteArrayOutputStream o, int v) { o.write(v >>> 24); o.write(v >>> 16); o.write(v >>> 8); o.write(v); }

    private static void put16(byte[] b, int at, int v) { b[at] = (byte) (v >>> 8); b[at + 1] = (byte) v; }

    private static void put32(byte[] b, int at, int v) { put16(b, at, v >>> 16); put16(b, at + 2, v); }

    /** Internet checksum over b[from, from+len) plus a pre-summed pseudo header. */
    static int checksum(byte[] b, int from, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) sum += ((b[from + i] & 0xff) << 8) | (b[from + i + 1] & 0xff);
        if ((len & 1) != 0) sum += (b[from + len - 1] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }
}
