package org.alcor.agent.net;

/** IPv6 addresses as text, in the form the controller uses for neighbour keys. */
public final class Ipv6 {
    private Ipv6() {}

    /**
     * RFC 5952 canonical text of the 16 bytes at {@code at}: lower case, no leading zeros, the longest run of two or
     * more zero groups (the first on a tie) as "::", no dotted IPv4 tail. This is how the controller renders
     * addresses (as Neutron does), so a key built here equals the key of the same address in the neighbors map.
     */
    public static String format(byte[] b, int at) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[at + 2 * i] & 0xff) << 8 | (b[at + 2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) sb.append(':');
        }
        return sb.toString();
    }
}
