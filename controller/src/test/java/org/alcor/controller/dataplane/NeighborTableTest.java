package org.alcor.controller.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeighborTableTest {
    private static Neighbor neighbor(int i) {
        return new Neighbor("port-" + i, "subnet", "10.0.0." + i, false, 0x0a000000 + i, 0, 0, 0xfa163e000000L + i, 0xc0000201, List.of());
    }

    /** Collects everything the cursor is behind, with room for all of it. */
    private static NeighborTable.Collected collect(NeighborTable t, NeighborTable.Cursor c, List<String> upserts, List<String> deletes) {
        return t.collect(c, new NeighborTable.Sink() {
            @Override public boolean upsert(Neighbor n) { return upserts.add(n.ip()); }

            @Override public boolean delete(String ip) { return deletes.add(ip); }
        });
    }

    @Test
    void aFreshCursorThatIsRewoundStillGetsTheWholeTableAndNoSnapshot() {
        NeighborTable t = new NeighborTable("vpc", 100);
        for (int i = 1; i <= 5; i++) t.upsert(neighbor(i));
        t.remove("10.0.0.1", "port-1");
        t.purge(Long.MAX_VALUE);   // every host had it: the tombstone and its history go

        // A host whose VPC state was just sent (say, in a snapshot's part) holds nothing of the table yet; the VPC
        // flips back to PROACTIVE before its neighbours are sent.
        NeighborTable.Cursor fresh = new NeighborTable.Cursor();
        NeighborTable.rewind(fresh);
        List<String> upserts = new ArrayList<>(), deletes = new ArrayList<>();
        assertEquals(NeighborTable.Collected.DONE, collect(t, fresh, upserts, deletes),
                "nothing it needs was purged: no resync (which would stall a snapshot whose parts are unacked)");
        assertEquals(List.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"), upserts);
        assertEquals(List.of(), deletes);
    }

    @Test
    void aCursorRewoundPastPurgedDeletesNeedsASnapshot() {
        NeighborTable t = new NeighborTable("vpc", 100);
        for (int i = 1; i <= 3; i++) t.upsert(neighbor(i));
        NeighborTable.Cursor behind = new NeighborTable.Cursor();
        collect(t, behind, new ArrayList<>(), new ArrayList<>());
        t.remove("10.0.0.2", "port-2");
        t.purge(Long.MAX_VALUE);   // as the forced purge does when a host is far behind

        NeighborTable.rewind(behind);
        assertEquals(NeighborTable.Collected.RESYNC, collect(t, behind, new ArrayList<>(), new ArrayList<>()),
                "the host may hold 10.0.0.2 and the delete is gone: only a snapshot can say");
    }

    @Test
    void onDemandCursorsWithOnlyCreatesBetweenThemAreAtTheSamePlace() {
        NeighborTable t = new NeighborTable("vpc", 2);
        for (int i = 1; i <= 3; i++) t.upsert(neighbor(i));   // 3 > 2: ON_DEMAND
        NeighborTable.Cursor idle = new NeighborTable.Cursor(), moved = new NeighborTable.Cursor();
        collect(t, idle, new ArrayList<>(), new ArrayList<>());
        for (int i = 4; i <= 6; i++) t.upsert(neighbor(i));   // creates: nothing an on-demand host is sent
        collect(t, moved, new ArrayList<>(), new ArrayList<>());
        assertNotEquals(idle.seq, moved.seq, "the second cursor moved to the present, the first stood still");
        assertTrue(t.samePlace(idle, moved), "nothing lies between them that either would be sent");

        t.remove("10.0.0.5", "port-5");   // an invalidation: the idle cursor is now behind, the other too
        NeighborTable.Cursor after = new NeighborTable.Cursor();
        collect(t, after, new ArrayList<>(), new ArrayList<>());
        assertFalse(t.samePlace(idle, after), "the delete lies between them");
        assertTrue(t.samePlace(after, after));
    }

    @Test
    void proactiveCursorsAreAtTheSamePlaceOnlyAtTheSameNumber() {
        NeighborTable t = new NeighborTable("vpc", 100);
        t.upsert(neighbor(1));
        NeighborTable.Cursor early = new NeighborTable.Cursor(), late = new NeighborTable.Cursor();
        collect(t, early, new ArrayList<>(), new ArrayList<>());
        t.upsert(neighbor(2));
        collect(t, late, new ArrayList<>(), new ArrayList<>());
        assertFalse(t.samePlace(early, late), "the early one is still to be sent 10.0.0.2");
    }

    @Test
    void aHostThatCameAfterAPurgeGetsTheTableInPartsWithoutASnapshot() {
        NeighborTable t = new NeighborTable("vpc", 100);
        for (int i = 1; i <= 5; i++) t.upsert(neighbor(i));
        t.remove("10.0.0.2", "port-2");
        t.purge(Long.MAX_VALUE);   // every host then had it: the tombstone goes, the purge mark is past entries 1..5
        for (int i = 6; i <= 8; i++) t.upsert(neighbor(i));

        // A host new to the VPC, with room for one entry per message: it walks the old live entries first, its cursor
        // below the purge mark, and misses nothing (it never had 10.0.0.2). It was told to resync, at every part.
        NeighborTable.Cursor late = new NeighborTable.Cursor();
        List<String> got = new ArrayList<>();
        NeighborTable.Collected c;
        int parts = 0;
        do {
            int[] room = {1};
            c = t.collect(late, new NeighborTable.Sink() {
                @Override public boolean upsert(Neighbor n) { return room[0]-- > 0 && got.add(n.ip()); }

                @Override public boolean delete(String ip) { return room[0]-- > 0; }
            });
            assertNotEquals(NeighborTable.Collected.RESYNC, c, "part " + parts + ": nothing the host needs was purged");
            parts++;
        } while (c == NeighborTable.Collected.CUT && parts < 20);
        assertEquals(List.of("10.0.0.1", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8"), got);
    }
}
