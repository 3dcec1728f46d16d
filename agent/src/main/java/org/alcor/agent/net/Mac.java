package org.alcor.agent.net;

/** MAC addresses as the low 48 bits of a long. */
public final class Mac {
    public static final long BROADCAST = 0xffffffffffffL;
    /** The group bit: set in broadcast and multicast destinations. */
    public static final long MULTICAST_BIT = 0x010000000000L;

    private Mac() {}

    /** "fa:16:3e:00:00:01" (or with '-'); hand-rolled because it runs for several flows of every neighbor. */
    public static long parse(String s) {
        long v = 0;
        int groups = 0, digits = 0, g = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0 && digits < 2) { g = (g << 4) | d; digits++; continue; }
            if ((c == ':' || c == '-') && digits > 0 && groups < 5) { v = (v << 8) | g; g = 0; digits = 0; groups++; continue; }
            throw new IllegalArgumentException("not a MAC address: " + s);
        }
        if (groups != 5 || digits == 0) throw new IllegalArgumentException("not a MAC address: " + s);
        return (v << 8) | g;
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
