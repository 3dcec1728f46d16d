package org.alcor.agent.net;

/** IPv4 addresses as ints and prefixes as (address, length), the form OpenFlow and DHCP both want. */
public final class Ipv4 {
    private Ipv4() {}

    public record Prefix(int address, int length) {
        public int mask() { return length == 0 ? 0 : (int) (0xffffffffL << (32 - length)); }

        public boolean contains(int ip) { return (ip & mask()) == (address & mask()); }
    }

    public static int parse(String s) {
        String[] p = s.trim().split("\\.");
        if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + s);
        int v = 0;
        for (String part : p) {
            int b = Integer.parseInt(part);
            if (b < 0 || b > 255) throw new IllegalArgumentException("not an IPv4 address: " + s);
            v = (v << 8) | b;
        }
        return v;
    }

    public static boolean isIpv4(String s) {
        if (s == null || s.isBlank() || s.contains(":")) return false;
        try { parse(s.contains("/") ? s.substring(0, s.indexOf('/')) : s); return true; } catch (RuntimeException e) { return false; }
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
