package org.alcor.controller.dataplane;

import com.google.protobuf.Message;
import org.alcor.southbound.digest.StateDigests;

/**
 * A 64-bit hash of a state's serialized form ({@link StateDigests#fingerprint}, which agents compute the same way
 * for reconciliation): what a host was sent is remembered as this, not as the message, which keeps a host's
 * delivery state to a few bytes per resource. Two different states of one resource collide with probability about
 * 2^-64.
 */
final class Fingerprint {
    private Fingerprint() {}

    static long of(Message state) { return StateDigests.fingerprint(state); }
}
