package org.alcor.southbound.digest;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The hashes both ends of the southbound compute for reconciliation (StateDigest), so that equal states give equal
 * digests whoever holds them and however they keep them. A group's hash is the sum, mod 2^64, of a well-mixed
 * 64-bit hash per member: order-free, so each side adds its members in whatever order it stores them, and a member
 * that changes is one subtraction and one addition (the controller keeps its neighbour sums up to date that way).
 */
public final class StateDigests {
    private StateDigests() {}

    /**
     * A 64-bit hash (FNV-1a) of a local state's serialized form without its operation: the controller remembers what
     * it sent a host as this. States have no map fields, so equal states serialize to equal bytes.
     */
    public static long fingerprint(Message state) {
        FieldDescriptor op = state.getDescriptorForType().findFieldByName("op");
        if (op != null && state.hasField(op)) state = state.toBuilder().clearField(op).build();
        byte[] bytes = state.toByteArray();
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h ^ bytes.length;
    }

    /** The member hash of one local state: its key and its fingerprint. */
    public static long member(String id, long fingerprint) { return mix(text(id) ^ Long.rotateLeft(fingerprint, 29)); }

    /**
     * The member hash of one neighbour entry: address (IPv4 as (0, the address); IPv6 as its two halves), MAC, the
     * tunnel endpoint of its host and its port's security groups in order, which is all a neighbour table carries.
     */
    public static long neighbor(long addressHigh, long addressLow, long mac, int hostIpv4, List<String> groups) {
        long h = mix(addressHigh) ^ Long.rotateLeft(mix(addressLow + 0x9e3779b97f4a7c15L), 7);
        h = mix(h + mac) ^ Long.rotateLeft(mix(hostIpv4 & 0xffffffffL), 13);
        long g = 0;
        for (String id : groups) g = mix(g + text(id));
        return mix(h + g);
    }

    /** An address in text as neighbor() takes it: {high, low}; null when it is not an IP address literal. */
    public static long[] address(String ip) {
        if (ip.indexOf('.') < 0 && ip.indexOf(':') < 0) return null;
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();   // a literal: parsed, never looked up
            long high = 0, low = 0;
            if (b.length == 4) {
                for (byte x : b) low = (low << 8) | (x & 0xff);
                return new long[] {0, low};
            }
            for (int i = 0; i < 8; i++) high = (high << 8) | (b[i] & 0xff);
            for (int i = 8; i < 16; i++) low = (low << 8) | (b[i] & 0xff);
            return new long[] {high, low};
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** FNV-1a of a string's UTF-8 bytes. */
    static long text(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finalizer: every input bit moves about half the output bits, so sums of members do not cancel. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A group being summed: count and hash. */
    public static final class Sum {
        private long count, hash;

        public void add(long member) {
            count++;
            hash += member;
        }

        public void remove(long member) {
            count--;
            hash -= member;
        }

        public long count() { return count; }

        public long hash() { return hash; }

        public boolean matches(long count, long hash) { return this.count == count && this.hash == hash; }
    }
}
