package org.alcor.controller.ipam;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a number. Parsing is strict and never touches DNS; IPv6 is rendered in the
 * RFC 5952 canonical form (lower case, longest zero run as "::") as Neutron renders it.
 */
public record IpAddress(int version, BigInteger value) implements Comparable<IpAddress> {

    public int bits() { return version == 4 ? 32 : 128; }

    public IpAddress plus(BigInteger delta) { return new IpAddress(version, value.add(delta)); }

    public IpAddress plus(long delta) { return plus(BigInteger.valueOf(delta)); }

    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) return Optional.empty();
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    private static Optional<IpAddress> parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return Optional.empty();
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(IpAddress::isAsciiDigit)) return Optional.empty();
            if (p.length() > 1 && p.charAt(0) == '0') return Optional.empty(); // "010" is octal to some parsers
            int octet = Integer.parseInt(p);
            if (octet > 255) return Optional.empty();
            v = (v << 8) | octet;
        }
        return Optional.of(new IpAddress(4, BigInteger.valueOf(v)));
    }

    private static Optional<IpAddress> parseV6(String text) {
        String s = text.toLowerCase(java.util.Locale.ROOT);
        // ASCII only: Character.digit (and parseInt) also take other scripts' digits and full-width letters.
        if (!s.chars().allMatch(c -> isAsciiDigit(c) || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) return Optional.empty();
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return Optional.empty();
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        // A dotted IPv4 may only fill the last 32 bits, so the part before "::" never holds one.
        var headGroups = groups(head, dbl < 0);
        var tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) return Optional.empty();
        int total = headGroups.length + tailGroups.length;
        if (dbl < 0 ? total != 8 : total > 7) return Optional.empty();
        BigInteger v = BigInteger.ZERO;
        for (int g : headGroups) v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        v = v.shiftLeft(16 * (8 - total));
        for (int g : tailGroups) v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        return Optional.of(new IpAddress(6, v));
    }

    /** 16-bit groups of one side of "::"; a trailing dotted IPv4 (where allowed) counts as two groups. Null when malformed. */
    private static int[] groups(String side, boolean mayEndInIpv4) {
        if (side.isEmpty()) return new int[0];
        String[] parts = side.split(":", -1);
        var out = new java.util.ArrayList<Integer>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (mayEndInIpv4 && i == parts.length - 1 && p.indexOf('.') >= 0) {
                var v4 = parseV4(p);
                if (v4.isEmpty()) return null;
                long n = v4.get().value().longValue();
                out.add((int) (n >>> 16));
                out.add((int) (n & 0xffff));
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || p.indexOf('.') >= 0) return null;
            out.add(Integer.parseInt(p, 16));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean isAsciiDigit(int c) { return c >= '0' && c <= '9'; }

    @Override
    public String toString() {
        if (version == 4) {
            long v = value.longValue();
            return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = value.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        var sb = new StringBuilder();
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

    @Override public int compareTo(IpAddress o) { return version != o.version ? version - o.version : value.compareTo(o.value); }
}
