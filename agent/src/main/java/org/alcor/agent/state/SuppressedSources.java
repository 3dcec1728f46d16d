package org.alcor.agent.state;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sources ("<vpc_id>/<address>") whose new incoming connections are no longer punted to the agent for a while,
 * in ON_DEMAND VPCs. The punt exists only to learn a source the host does not know; once the agent has looked one
 * up (found or not) the flows give the verdict, so a further punt would only cost a packet-in and maybe a lookup
 * for every new packet a refused source sends (a ping, a SYN flood). The pipeline turns each entry into a drop
 * flow just above the punt and below every rule, so it never refuses what a rule admits.
 * <p>
 * Bounded, so that a scan from many addresses can neither grow memory nor the flow table without limit (the
 * oldest entry makes room, at worst costing one more lookup); and expiring, because ON_DEMAND pushes no creates:
 * an address that was nobody's may become a new port's, which is then judged again after at most {@link #ttlMillis}.
 * Times are passed in so that the state stays free of clocks. Owned by the apply thread.
 */
public final class SuppressedSources {
    public static final int DEFAULT_CAPACITY = 4096;
    public static final long DEFAULT_TTL_MILLIS = 10_000;

    private final int capacity;
    private final long ttlMillis;
    /** Insertion order is expiry order: every entry lives ttlMillis from its (re)insertion. */
    private final LinkedHashMap<String, Long> expiresAt = new LinkedHashMap<>();

    public SuppressedSources(int capacity, long ttlMillis) {
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
    }

    public long ttlMillis() { return ttlMillis; }

    /** Adds or renews {@code key}; evicts the oldest entry when full. */
    public void add(String key, long nowMillis) {
        expiresAt.remove(key);
        expiresAt.put(key, nowMillis + ttlMillis);
        if (expiresAt.size() > capacity) {
            Iterator<String> oldest = expiresAt.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    public boolean contains(String key) { return expiresAt.containsKey(key); }

    public boolean remove(String key) { return expiresAt.remove(key) != null; }

    public void removeVpc(String vpcId) { expiresAt.keySet().removeIf(k -> k.startsWith(vpcId + "/")); }

    public void clear() { expiresAt.clear(); }

    /** Drops the expired entries; true when there were any (the flows must then be recomputed). */
    public boolean expire(long nowMillis) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, Long>> it = expiresAt.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() > nowMillis) break;
            it.remove();
            changed = true;
        }
        return changed;
    }

    /** When the next entry expires, or Long.MAX_VALUE when there is none. */
    public long nextExpiry() { return expiresAt.isEmpty() ? Long.MAX_VALUE : expiresAt.values().iterator().next(); }

    public Set<String> keys() { return Collections.unmodifiableSet(expiresAt.keySet()); }

    public int size() { return expiresAt.size(); }
}
