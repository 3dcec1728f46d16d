package org.alcor.bench.southbound;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The neighbours a compact {@link AppliedState} holds: per VPC a set of packed IPv4 addresses (4 bytes an entry,
 * plus the table's slack), and the rare others (IPv6) by their "vpc/ip" key. A
 * proactive 1,000-host run holds 100,000 neighbours on every host, 100 million in all, which string-keyed maps
 * (about 100 bytes an entry) cannot fit in one bench JVM.
 */
final class CompactNeighbors {
    private final Map<String, IntSet> ipv4ByVpc = new HashMap<>();
    private final Set<String> others = new HashSet<>();

    void putIpv4(String vpcId, int ip) { ipv4ByVpc.computeIfAbsent(vpcId, k -> new IntSet()).add(ip); }

    void removeIpv4(String vpcId, int ip) {
        IntSet set = ipv4ByVpc.get(vpcId);
        if (set != null) set.remove(ip);
    }

    /** A neighbour by its "vpc/ip" key; an IPv4 one joins its VPC's packed set, so each address is held once. */
    void put(String key) {
        int slash = key.lastIndexOf('/');
        Integer ip = slash < 0 ? null : ipv4(key.substring(slash + 1));
        if (ip == null) others.add(key);
        else putIpv4(key.substring(0, slash), ip);
    }

    void remove(String key) {
        int slash = key.lastIndexOf('/');
        Integer ip = slash < 0 ? null : ipv4(key.substring(slash + 1));
        if (ip == null) others.remove(key);
        else removeIpv4(key.substring(0, slash), ip);
    }

    /** The packed form of a dotted-quad address, or null for anything else (IPv6). */
    private static Integer ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) return null;
        int v = 0;
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit)) return null;
            int n = Integer.parseInt(o);
            if (n > 255) return null;
            v = v << 8 | n;
        }
        return v;
    }

    void removeVpc(String vpcId) {
        ipv4ByVpc.remove(vpcId);
        others.removeIf(k -> k.startsWith(vpcId + "/"));
    }

    void clear() {
        ipv4ByVpc.clear();
        others.clear();
    }

    int size() { return others.size() + ipv4ByVpc.values().stream().mapToInt(IntSet::size).sum(); }

    /** Every key as "vpc/ip", as the full state names them (for tests; costs a string per entry). */
    Set<String> keys() {
        Set<String> out = new HashSet<>(others);
        ipv4ByVpc.forEach((vpc, set) -> set.forEach(ip -> out.add(vpc + "/" + AppliedState.ipv4(ip))));
        return out;
    }

    /** An open-addressing set of ints; 0 (0.0.0.0, never a port's address) is kept by a flag. */
    static final class IntSet {
        private int[] slots = new int[16];
        private int size;
        private boolean hasZero;

        boolean add(int v) {
            if (v == 0) {
                boolean added = !hasZero;
                hasZero = true;
                if (added) size++;
                return added;
            }
            if ((size + 1) * 2 > slots.length) grow();
            int i = find(slots, v);
            if (slots[i] == v) return false;
            slots[i] = v;
            size++;
            return true;
        }

        boolean remove(int v) {
            if (v == 0) {
                boolean removed = hasZero;
                hasZero = false;
                if (removed) size--;
                return removed;
            }
            int i = find(slots, v);
            if (slots[i] != v) return false;
            slots[i] = 0;
            size--;
            // Backward-shift the run after the hole, so that lookups (which stop at an empty slot) still find it.
            int mask = slots.length - 1;
            for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
                int moved = slots[j];
                slots[j] = 0;
                slots[find(slots, moved)] = moved;
            }
            return true;
        }

        boolean contains(int v) { return v == 0 ? hasZero : slots[find(slots, v)] == v; }

        int size() { return size; }

        void forEach(java.util.function.IntConsumer action) {
            if (hasZero) action.accept(0);
            for (int v : slots) if (v != 0) action.accept(v);
        }

        private void grow() {
            int[] old = slots;
            slots = new int[old.length * 2];
            for (int v : old) if (v != 0) slots[find(slots, v)] = v;
        }

        /** The slot holding v, or the empty slot where it would go. */
        private static int find(int[] slots, int v) {
            int mask = slots.length - 1;
            int i = (v * 0x9E3779B9) >>> 1 & mask;
            while (slots[i] != 0 && slots[i] != v) i = (i + 1) & mask;
            return i;
        }
    }
}
