package org.alcor.controller.mac;

import java.util.Optional;
import java.util.regex.Pattern;

/** A 48-bit MAC address, rendered as Neutron does: lower case, colon separated. */
public record MacAddress(long value) {
    private static final Pattern FORMAT = Pattern.compile("(?i)^([0-9a-f]{2})([:-][0-9a-f]{2}){5}$");

    public static Optional<MacAddress> parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) return Optional.empty();
        return Optional.of(new MacAddress(Long.parseLong(text.replaceAll("[:-]", ""), 16)));
    }

    /** Multicast (group) addresses cannot be given to a port. */
    public boolean isMulticast() { return ((value >>> 40) & 1) == 1; }

    @Override
    public String toString() {
        var sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) sb.append(':');
            sb.append(String.format("%02x", (value >>> shift) & 0xff));
        }
        return sb.toString();
    }
}
