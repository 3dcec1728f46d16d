package org.alcor.controller.ipam;

import java.math.BigInteger;
import java.util.Optional;

/** An IP network: an address with its host bits clear, and a prefix length. */
public record Cidr(IpAddress network, int prefix) {

    public int version() { return network.version(); }

    /** Parses "a.b.c.d/n" or "x::/n"; with host bits set it fails, naming the network that was meant. */
    public static Cidr parse(String text) throws InvalidCidrException {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) throw new InvalidCidrException("'" + text + "' is not a valid IP subnet");
        var ip = IpAddress.parse(text.substring(0, slash));
        String len = text.substring(slash + 1);
        // ASCII digits only: Character.isDigit (and parseInt) also take other scripts' digits.
        if (ip.isEmpty() || len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidCidrException("'" + text + "' is not a valid IP subnet");
        }
        int prefix = Integer.parseInt(len);
        if (prefix > ip.get().bits()) throw new InvalidCidrException("'" + text + "' is not a valid IP subnet");
        Cidr exact = of(ip.get(), prefix);
        if (!exact.network().equals(ip.get())) {
            throw new InvalidCidrException("'" + text + "' isn't a recommended CIDR, it should be '" + exact + "'");
        }
        return exact;
    }

    public static Optional<Cidr> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (InvalidCidrException e) {
            return Optional.empty();
        }
    }

    /** The network containing ip with the given prefix (host bits cleared). */
    public static Cidr of(IpAddress ip, int prefix) {
        BigInteger hostMask = BigInteger.ONE.shiftLeft(ip.bits() - prefix).subtract(BigInteger.ONE);
        return new Cidr(new IpAddress(ip.version(), ip.value().andNot(hostMask)), prefix);
    }

    public BigInteger size() { return BigInteger.ONE.shiftLeft(network.bits() - prefix); }

    public IpAddress last() { return network.plus(size().subtract(BigInteger.ONE)); }

    public boolean contains(IpAddress ip) {
        return ip.version() == version() && ip.value().compareTo(network.value()) >= 0 && ip.value().compareTo(last().value()) <= 0;
    }

    public boolean overlaps(Cidr other) {
        return other.version() == version() && (contains(other.network) || other.contains(network));
    }

    /** Offset of an address from the network address. */
    public BigInteger offsetOf(IpAddress ip) { return ip.value().subtract(network.value()); }

    @Override public String toString() { return network + "/" + prefix; }

    public static final class InvalidCidrException extends Exception {
        public InvalidCidrException(String message) { super(message, null, false, false); }
    }
}
