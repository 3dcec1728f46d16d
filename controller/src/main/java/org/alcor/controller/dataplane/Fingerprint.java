package org.alcor.controller.dataplane;

import com.google.protobuf.Message;

/**
 * A 64-bit hash (FNV-1a) of a state's serialized form: what a host was sent is remembered as this, not as the
 * message, which keeps a host's delivery state to a few bytes per resource. States have no map fields, so equal
 * states serialize to equal bytes. Two different states of one resource collide with probability about 2^-64.
 */
final class Fingerprint {
    private Fingerprint() {}

    static long of(Message state) {
        byte[] bytes = state.toByteArray();
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h ^ bytes.length;
    }
}
