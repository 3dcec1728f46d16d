package org.alcor.controller.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.alcor.controller.testing.TestStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transactions, savepoints, index lookups and persistence of the store on a real Ignite node. */
class IgniteStoreTest {
    private static TestStore fixture;
    private static Store store;

    @BeforeAll
    static void start() {
        fixture = TestStore.start();
        store = fixture.store();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
    }

    private static String newId() { return UUID.randomUUID().toString(); }

    private static StoredRow port(String id, String network, String doc) {
        return new StoredRow(id, "project-1", network, "port-" + id, null, null, false, 1, doc.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> ids(List<StoredRow> rows) { return rows.stream().map(StoredRow::id).collect(Collectors.toSet()); }

    @Test
    void aReleasedSavepointsWritesCommit() {
        String id = newId();
        store.transact(tx -> {
            StoreTx savepoint = tx.savepoint();
            savepoint.put(Table.PORTS, port(id, "net-a", "{}"));
            savepoint.putBlock(new AllocBlock("released/" + id, 0).withBit(7, true));
            tx.release(savepoint);
            return null;
        });

        assertTrue(store.get(Table.PORTS, id).isPresent());
        assertTrue(store.transact(tx -> tx.block("released/" + id, 0)).orElseThrow().isSet(7));
    }

    @Test
    void anUnreleasedSavepointsWritesAreRolledBackWhileItsParentsSurvive() {
        String kept = newId(), dropped = newId(), scope = "unreleased/" + newId();
        store.transact(tx -> {
            tx.put(Table.PORTS, port(kept, "net-b", "parent"));
            tx.putBlock(new AllocBlock(scope, 0).withBit(1, true));
            StoreTx savepoint = tx.savepoint();
            savepoint.put(Table.PORTS, port(dropped, "net-b", "child"));
            savepoint.remove(Table.PORTS, kept);
            savepoint.putBlock(new AllocBlock(scope, 0).withBit(1, true).withBit(2, true));
            // Abandoned, as the batcher abandons the savepoint of a request that failed.
            return null;
        });

        assertEquals("parent", new String(store.get(Table.PORTS, kept).orElseThrow().doc(), StandardCharsets.UTF_8));
        assertTrue(store.get(Table.PORTS, dropped).isEmpty());
        AllocBlock block = store.transact(tx -> tx.block(scope, 0)).orElseThrow();
        assertTrue(block.isSet(1));
        assertFalse(block.isSet(2));
    }

    @Test
    void findByAnIndexedColumnSeesCommittedRowsAndStagedWritesButNotStagedDeletes() {
        String network = "net-" + newId();
        String committed = newId(), deleted = newId(), moved = newId(), staged = newId(), inSavepoint = newId();
        store.transact(tx -> {
            for (String id : List.of(committed, deleted, moved)) tx.put(Table.PORTS, port(id, network, "{}"));
            return null;
        });

        Set<String> seen = store.transact(tx -> {
            tx.put(Table.PORTS, port(staged, network, "{}"));
            tx.remove(Table.PORTS, deleted);
            tx.put(Table.PORTS, port(moved, "elsewhere", "{}"));
            StoreTx savepoint = tx.savepoint();
            savepoint.put(Table.PORTS, port(inSavepoint, network, "{}"));
            return ids(savepoint.find(Table.PORTS, Column.NETWORK, network));
        });

        assertEquals(Set.of(committed, staged, inSavepoint), seen);
    }

    @Test
    void aTransactionWhoseWorkThrowsCommitsNothing() {
        String id = newId(), scope = "failed/" + newId();
        var failure = assertThrows(IllegalStateException.class, () -> store.transact(tx -> {
            tx.put(Table.PORTS, port(id, "net-c", "{}"));
            tx.putBlock(new AllocBlock(scope, 0).withBit(0, true));
            throw new IllegalStateException("work failed");
        }));

        assertEquals("work failed", failure.getMessage());
        assertTrue(store.get(Table.PORTS, id).isEmpty());
        assertTrue(store.transact(tx -> tx.blocks(scope)).isEmpty());
    }

    @Test
    void findOnAColumnTheTableDoesNotIndexIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.find(Table.NETWORKS, Column.DEVICE, "device-1"));
        assertThrows(IllegalArgumentException.class,
                () -> store.transact(tx -> tx.find(Table.SUBNETS, Column.HOST, "host-1")));
    }

    @Test
    void committedRowsAndBlocksSurviveCloseAndReopen() {
        try (TestStore own = TestStore.start()) {
            String id = newId();
            StoredRow row = port(id, "net-persisted", "{\"name\":\"persisted\"}");
            own.store().transact(tx -> {
                tx.put(Table.PORTS, row);
                tx.putBlock(new AllocBlock("persisted", 3).withBit(42, true));
                return null;
            });

            Store reopened = own.reopen();

            StoredRow read = reopened.get(Table.PORTS, id).orElseThrow();
            assertEquals(row, read);
            assertArrayEquals(row.doc(), read.doc());
            assertEquals(Set.of(id), ids(reopened.find(Table.PORTS, Column.NETWORK, "net-persisted")));
            assertTrue(reopened.transact(tx -> tx.block("persisted", 3)).orElseThrow().isSet(42));
        }
    }

    @Test
    void everyIndexedColumnOfEveryTableGivesOrderedPages() {
        for (Table table : Table.values()) {
            String tag = newId();
            List<String> ids = List.of(tag + "-2", tag + "-1", tag + "-3");
            store.transact(tx -> {
                for (String id : ids) {
                    tx.put(table, new StoredRow(id, tag, tag, tag, tag, tag, true, tag, tag, tag, 1, new byte[0]));
                }
                return null;
            });
            List<String> sorted = ids.stream().sorted().toList();
            for (Column column : Column.values()) {
                if (!table.isIndexed(column)) continue;
                Object value = column == Column.SHARED ? Boolean.TRUE : tag;
                List<StoredRow> rows = store.ordered(table, column, value, sorted.getFirst(), 5);
                assertEquals(sorted.subList(1, 3), rows.stream().map(StoredRow::id).filter(id -> id.startsWith(tag)).toList(), table + " " + column);
            }
            assertEquals(sorted.subList(1, 3), store.ordered(table, null, null, sorted.getFirst(), 10_000).stream()
                    .map(StoredRow::id).filter(id -> id.startsWith(tag)).toList(), table + " by key");
        }
    }

    @Test
    void anyInATransactionSeesCommittedRowsPastItsOwnDeletes() {
        String network = "net-any-" + newId();
        List<String> ids = List.of(newId(), newId(), newId());
        store.transact(tx -> {
            for (String id : ids) tx.put(Table.PORTS, port(id, network, "{}"));
            return null;
        });
        assertEquals(2, store.find(Table.PORTS, Column.NETWORK, network, 2).size(), "a limit cuts the committed rows");
        assertTrue(store.<Boolean>transact(tx -> tx.any(Table.PORTS, Column.NETWORK, network)));
        assertTrue(store.<Boolean>transact(tx -> {
            tx.remove(Table.PORTS, ids.get(0));
            tx.remove(Table.PORTS, ids.get(1));
            return tx.any(Table.PORTS, Column.NETWORK, network);
        }), "one committed row left past the two this transaction deletes (and commits)");
        assertFalse(store.<Boolean>transact(tx -> {
            for (String id : ids) tx.remove(Table.PORTS, id);
            return tx.any(Table.PORTS, Column.NETWORK, network);
        }), "none left once it deletes the last");
    }
}
