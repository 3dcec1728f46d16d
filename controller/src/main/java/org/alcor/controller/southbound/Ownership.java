package org.alcor.controller.southbound;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.alcor.controller.store.Replicas;

/**
 * Which replica serves which host: rendezvous (highest-random-weight) hashing of the host id over the live
 * replicas, so every replica that sees the same members names the same owner without asking anyone, and a replica
 * joining or leaving moves only the hosts it takes or held (about 1/N of them). Until this replica is live itself
 * (announced, a member) or while it is alone, it owns every host that comes to it: a host is never turned away to
 * nowhere.
 */
final class Ownership {
    /** A host's owner when it is another replica. */
    record Owner(String replica, String address) {}

    private final Replicas replicas;
    private final String self;
    private final boolean partitioned;
    private volatile Map<String, String> live = Map.of();

    /** partitioned false: this replica serves whichever host comes (--southbound-ownership any). */
    Ownership(Replicas replicas, boolean partitioned) {
        this.replicas = replicas;
        this.self = replicas.self();
        this.partitioned = partitioned;
    }

    String self() { return self; }

    Map<String, String> live() { return live; }

    /** Re-reads the live replicas; true when they changed. */
    boolean refresh() {
        Map<String, String> now = replicas.live();
        if (now.equals(live)) return false;
        live = Map.copyOf(now);
        return true;
    }

    /** The owner of hostId when it is another live replica; null when this replica serves it. */
    Owner elsewhere(String hostId) {
        Map<String, String> view = live;
        if (!partitioned || view.size() < 2 || !view.containsKey(self)) return null;
        String best = ownerAmong(hostId, view.keySet());
        return best.equals(self) ? null : new Owner(best, view.get(best));
    }

    /** The replica of those given that owns hostId: the highest score, the smaller name on a tie. */
    static String ownerAmong(String hostId, java.util.Collection<String> replicas) {
        String best = null;
        long bestScore = 0;
        for (String replica : replicas) {
            long score = score(hostId, replica);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0 || (score == bestScore && replica.compareTo(best) < 0)) {
                best = replica;
                bestScore = score;
            }
        }
        return best;
    }

    /** FNV-1a over host, a separator and replica, through SplitMix64's finalizer (FNV alone clusters on short ids). */
    static long score(String hostId, String replica) {
        long h = 0xcbf29ce484222325L;
        for (byte b : hostId.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        h = (h ^ 0xff) * 0x100000001b3L; // 0xff never occurs in UTF-8
        for (byte b : replica.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
