package org.alcor.controller.pki;

import java.util.regex.Pattern;

/**
 * What a host id may be: it names a certificate's subject, an OVS bridge's external id and a log line, so letters,
 * digits and {@code . _ -} only (no spaces, slashes, quotes or commas), 1 to 253 characters, as a DNS name.
 */
public final class HostIds {
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$");

    private HostIds() {}

    public static boolean valid(String hostId) { return hostId != null && VALID.matcher(hostId).matches(); }

    public static String check(String hostId) {
        if (!valid(hostId)) {
            throw new IllegalArgumentException("a host id is 1-253 letters, digits, '.', '_' or '-' (starting with a letter or digit), not '" + hostId + "'");
        }
        return hostId;
    }
}
