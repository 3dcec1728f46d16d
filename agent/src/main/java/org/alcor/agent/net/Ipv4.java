package org.alcor.agent.net;

/** IPv4 addresses as ints and prefixes as (address, length), the form OpenFlow and DHCP both want. */
public final class Ipv4 {
    private Ipv4() {}

    public record Prefix(int address, int length) {
        public int mask() { return length == 0 ? 0 : (int) (0xffffffffL << (32 - length)); }

        public boolean contains(int ip) { return (ip & mask()) == (address & mask()); }
    }

    /** Dotted quad to int; hand-rolled (no regex split) because it runs for every neighbor on each recompute. */
    public static int parse(String s) {
        int v = 0, octets = 0, cur = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
                if (cur > 255) throw new IllegalArgumentException("not an IPv4 address: " + s);
            } else if (c == '.' && cur >= 0 && octets < 3) {
                v = (v << 8) | cur; cur = -1; octets++;
            } else throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        if (octets != 3 || cur < 0) throw new IllegalArgumentException("not an IPv4 address: " + s);
        return (v << 8) | cur;
    }

    public static boolean isIpv4(String s) {
        if (s == null || s.isBlank() || s.contains(":")) return false;
        try { prefix(s); return true; } catch (RuntimeException e) { return false; }
    }

    /** "10.0.0.0/24", or a bare address meaning /32. */
    public static Prefix prefix(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) return new Prefix(parse(s), 32);
        int len = Integer.parseInt(s.substring(slash + 1).trim());
        if (len < 0 || len > 32) throw new IllegalArgumentException("bad prefix length: " + s);
        Prefix p = new Prefix(parse(s.substring(0, slash)), len);
        return new Prefix(p.address() & p.mask(), len);
    }

    public static String format(int ip) {
        return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }
}
