package org.alcor.agent.net;

/** MAC addresses as the low 48 bits of a long. */
public final class Mac {
    public static final long BROADCAST = 0xffffffffffffL;
    /** The group bit: set in broadcast and multicast destinations. */
    public static final long MULTICAST_BIT = 0x010000000000L;

    private Mac() {}

    public static long parse(String s) {
        String[] p = s.trim().split("[:-]");
        if (p.length != 6) throw new IllegalArgumentException("not a MAC address: " + s);
        long v = 0;
        for (String part : p) v = (v << 8) | Integer.parseInt(part, 16);
        return v;
    }

    public static byte[] bytes(long mac) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) (mac >>> (8 * (5 - i)));
        return b;
    }

    public static long of(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) v = (v << 8) | (b[at + i] & 0xff);
        return v;
    }

    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xff));
            if (i > 0) sb.append(':');
        }
        return sb.toString();
    }
}
