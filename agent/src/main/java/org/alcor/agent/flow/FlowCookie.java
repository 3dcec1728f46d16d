package org.alcor.agent.flow;

import java.nio.charset.StandardCharsets;

/**
 * Cookie layout: the high 32 bits name the owning resource (a hash of e.g. {@code "port/<id>"}), the low 32 bits
 * hash the flow's table, priority, match and instructions. So a resource's flows can be found with a cookie
 * mask, and equal cookies mean equal flows: a restarted agent can reconcile from cookies alone, keeping every
 * flow whose cookie it still wants (with its counters and age) and replacing the rest.
 */
public final class FlowCookie {
    private FlowCookie() {}

    public static long of(String resource, int table, int priority, byte[] match, byte[] instructions) {
        long res = fnv1a(resource.getBytes(StandardCharsets.UTF_8), 0xcbf29ce484222325L);
        long h = fnv1a(new byte[] {(byte) table, (byte) (priority >>> 8), (byte) priority}, 0xcbf29ce484222325L);
        h = fnv1a(match, h);
        h = fnv1a(new byte[] {0x7f}, h);   // separator: match and instructions cannot trade bytes
        h = fnv1a(instructions, h);
        long cookie = (fold(res) << 32) | fold(h);
        // cookie 0 is what flows installed by hand carry; -1 is the "all" mask: never produce either
        return cookie == 0 || cookie == -1 ? 1 : cookie;
    }

    public static long resourceBits(String resource) {
        return fold(fnv1a(resource.getBytes(StandardCharsets.UTF_8), 0xcbf29ce484222325L)) << 32;
    }

    private static long fold(long h) { return (h ^ (h >>> 32)) & 0xffffffffL; }

    private static long fnv1a(byte[] data, long h) {
        for (byte b : data) { h ^= b & 0xff; h *= 0x100000001b3L; }
        return h;
    }
}
