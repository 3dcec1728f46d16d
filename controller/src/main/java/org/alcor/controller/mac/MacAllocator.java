package org.alcor.controller.mac;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.alcor.controller.alloc.BitmapAllocator;
import org.alcor.controller.alloc.ValueRange;
import org.alcor.controller.store.StoreTx;

/**
 * MACs unique per network (as Neutron), with a configurable prefix (default {@code fa:16:3e}). A network's
 * first allocation starts at a random place in the prefix's space, so networks do not all begin with the
 * same MAC; later ones continue from there, so a bulk create touches few blocks.
 */
public final class MacAllocator {
    private final BitmapAllocator bitmap;
    private final ValueRange space;

    public MacAllocator(BitmapAllocator bitmap, String prefix) {
        this.bitmap = bitmap;
        this.space = spaceOf(prefix);
    }

    /** The values that start with the prefix: "fa:16:3e" → fa:16:3e:00:00:00 … fa:16:3e:ff:ff:ff. */
    static ValueRange spaceOf(String prefix) {
        String hex = prefix.replaceAll("[:-]", "");
        if (hex.isEmpty() || hex.length() > 10 || hex.length() % 2 != 0 || !hex.matches("(?i)[0-9a-f]+")) {
            throw new IllegalArgumentException("bad MAC prefix: " + prefix);
        }
        int freeBits = 48 - 4 * hex.length();
        long base = Long.parseLong(hex, 16) << freeBits;
        if (new MacAddress(base).isMulticast()) throw new IllegalArgumentException("MAC prefix is multicast: " + prefix);
        return new ValueRange(base, base + (1L << freeBits) - 1);
    }

    private static String scope(String networkId) { return "mac/" + networkId; }

    public OptionalLong allocate(StoreTx tx, String networkId) {
        long start = space.first() + ThreadLocalRandom.current().nextLong(space.size());
        return bitmap.allocate(tx, scope(networkId), List.of(space), start, 4096);
    }

    public boolean claim(StoreTx tx, String networkId, MacAddress mac) { return bitmap.claim(tx, scope(networkId), mac.value()); }

    public void release(StoreTx tx, String networkId, MacAddress mac) { bitmap.release(tx, scope(networkId), mac.value()); }

    public void releaseAll(StoreTx tx, String networkId) { bitmap.releaseAll(tx, scope(networkId)); }
}
