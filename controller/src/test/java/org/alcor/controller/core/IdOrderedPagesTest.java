package org.alcor.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.alcor.controller.store.IgniteStore;
import org.alcor.controller.store.MemoryStore;
import org.alcor.controller.store.Store;
import org.alcor.controller.store.StoreSettings;
import org.alcor.controller.store.Table;
import org.alcor.controller.testing.FreePorts;
import org.alcor.controller.testing.TestController;
import org.alcor.controller.testing.TestStore;
import org.junit.jupiter.api.Test;

/**
 * Pages in id order read from ordered indexes, and unpaged lists read as they are consumed, give exactly what a
 * full scan, filtered and sorted by id, gives:
 * random resources, random callers (admin, projects), random filters (indexed, not indexed, several values),
 * random limits, every page of each list followed by its marker to the end. On a real Ignite node, on a cluster
 * of two (pages merged across nodes), and on the memory store.
 */
class IdOrderedPagesTest {
    private static final List<String> PROJECTS = List.of("p-a", "p-b", "p-c");
    private static final List<String> NETWORKS = List.of("n-1", "n-2", "n-3", "n-4");
    private static final List<String> DEVICES = List.of("", "d-1", "d-2", "d-3");
    private static final List<String> HOSTS = List.of("", "h-1", "h-2");
    private static final List<String> OWNERS = List.of("", "compute:nova", "network:dhcp");
    private static final List<String> TAGS = List.of("red", "green", "blue");
    private static final int PORTS = 700, SHARED_NETWORKS = 300, LISTS = 150;

    @Test
    void pagesEqualAFullScanOnIgnite() {
        try (TestStore store = TestStore.start()) {
            compare(store.store(), new Random(91));
        }
    }

    @Test
    void pagesEqualAFullScanOnAClusterOfTwo() {
        Path dir = TestController.createTempDir();
        int a = FreePorts.next(), b = FreePorts.next();
        List<String> discovery = List.of("127.0.0.1:" + a, "127.0.0.1:" + b);
        IgniteStore first = null, second = null;
        try {
            first = IgniteStore.start(new StoreSettings(dir.resolve("a"), false, 128, "pages-a-" + a, discovery, "127.0.0.1",
                    a, FreePorts.next(), 1, 10_000).inMemory());
            second = IgniteStore.start(new StoreSettings(dir.resolve("b"), false, 128, "pages-b-" + b, discovery, "127.0.0.1",
                    b, FreePorts.next(), 1, 10_000).inMemory());
            compare(second, new Random(92));
        } finally {
            if (second != null) second.close();
            if (first != null) first.close();
            TestController.deleteRecursively(dir);
        }
    }

    @Test
    void pagesEqualAFullScanOnTheMemoryStore() {
        compare(new MemoryStore(), new Random(93));
    }

    @Test
    void aMarkerTheCallerCannotSeeIsNotFound() {
        Store store = new MemoryStore();
        var ports = new ResourceRepository(store, Table.PORTS, "port");
        Resource other = port(new Random(1), "p-b");
        store.transact(tx -> ports.insert(tx, other));
        var query = new ListQuery(Map.of(), List.of(), 10, other.id(), false);
        assertThrows(AlcorException.class, () -> ports.list(caller("p-a"), query));
        assertThrows(AlcorException.class, () -> ports.list(caller("p-a"), new ListQuery(Map.of(), List.of(), 10, "missing", false)));
        assertEquals(List.of(), ports.list(Caller.admin("r"), query).items());
    }

    private static void compare(Store store, Random random) {
        var ports = new ResourceRepository(store, Table.PORTS, "port");
        var networks = new ResourceRepository(store, Table.NETWORKS, "network");
        insert(store, ports, random, PORTS, r -> port(r, pick(r, PROJECTS)));
        insert(store, networks, random, SHARED_NETWORKS, IdOrderedPagesTest::network);
        for (int i = 0; i < LISTS; i++) {
            Caller caller = random.nextInt(3) == 0 ? Caller.admin("r") : caller(pick(random, PROJECTS));
            boolean portList = random.nextInt(4) != 0;
            var repository = portList ? ports : networks;
            Map<String, List<String>> filters = portList ? portFilters(random) : networkFilters(random);
            List<String> expected = fullScan(store, portList ? Table.PORTS : Table.NETWORKS, caller, filters);
            int limit = 1 + random.nextInt(random.nextBoolean() ? 8 : 120);
            List<ListQuery.Sort> sorts = random.nextBoolean() ? List.of() : List.of(new ListQuery.Sort("id", true));
            List<String> seen = new ArrayList<>();
            String marker = null;
            String what = caller + " " + filters + " limit " + limit;
            while (true) {
                ListPage page = repository.list(caller, new ListQuery(filters, sorts, limit, marker, false));
                List<String> ids = page.items().stream().map(Resource::id).toList();
                int from = seen.size();
                assertEquals(expected.subList(from, Math.min(expected.size(), from + limit)), ids, what + " after " + marker);
                assertEquals(from + limit < expected.size(), page.hasNext(), what + " hasNext after " + marker);
                assertEquals(marker != null, page.hasPrevious(), what);
                seen.addAll(ids);
                if (!page.hasNext()) break;
                marker = ids.getLast();
            }
            assertEquals(expected, seen, what);
            List<String> streamed = new ArrayList<>();
            repository.listAll(caller, new ListQuery(filters, sorts, null, null, false)).forEachRemaining(r -> streamed.add(r.id()));
            assertEquals(expected, streamed, what + " unpaged");
        }
    }

    /** Every row of the table, visible to the caller and matching the filters, in id order: what a page must cut. */
    private static List<String> fullScan(Store store, Table table, Caller caller, Map<String, List<String>> filters) {
        return store.scan(table).stream().map(ResourceRepository::decode)
                .filter(r -> ResourceRepository.visible(caller, r) && Filters.matches(r, filters))
                .map(Resource::id).sorted(Comparator.naturalOrder()).toList();
    }

    private static Map<String, List<String>> portFilters(Random r) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (r.nextInt(3) == 0) filters.put("network_id", some(r, NETWORKS));
        if (r.nextInt(4) == 0) filters.put("device_id", some(r, DEVICES));
        if (r.nextInt(5) == 0) filters.put("binding:host_id", some(r, HOSTS));
        if (r.nextInt(4) == 0) filters.put("device_owner", some(r, OWNERS));
        if (r.nextInt(5) == 0) filters.put(r.nextBoolean() ? "project_id" : "tenant_id", some(r, PROJECTS));
        if (r.nextInt(6) == 0) filters.put("tags", List.of(pick(r, TAGS)));
        if (r.nextInt(8) == 0) filters.put("name", List.of("port-" + r.nextInt(20)));
        return filters;
    }

    private static Map<String, List<String>> networkFilters(Random r) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (r.nextInt(3) == 0) filters.put("shared", List.of(r.nextBoolean() ? "true" : "false"));
        if (r.nextInt(4) == 0) filters.put("project_id", some(r, PROJECTS));
        return filters;
    }

    private static List<String> some(Random r, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) if (r.nextInt(3) == 0) out.add(v);
        if (out.isEmpty()) out.add(pick(r, values));
        return out;
    }

    private static Resource port(Random r, String project) {
        Map<String, Object> attrs = new HashMap<>();
        attrs.put("id", UUID.randomUUID().toString());
        attrs.put("project_id", project);
        attrs.put("tenant_id", project);
        attrs.put("network_id", pick(r, NETWORKS));
        attrs.put("device_id", pick(r, DEVICES));
        attrs.put("binding:host_id", pick(r, HOSTS));
        attrs.put("device_owner", pick(r, OWNERS));
        attrs.put("name", "port-" + r.nextInt(20));
        attrs.put("tags", r.nextBoolean() ? List.of() : List.of(pick(r, TAGS)));
        return new Resource(attrs);
    }

    private static Resource network(Random r) {
        String project = pick(r, PROJECTS);
        Map<String, Object> attrs = new HashMap<>();
        attrs.put("id", UUID.randomUUID().toString());
        attrs.put("project_id", project);
        attrs.put("tenant_id", project);
        attrs.put("name", "net-" + r.nextInt(20));
        attrs.put("shared", r.nextInt(4) == 0);
        return new Resource(attrs);
    }

    private static void insert(Store store, ResourceRepository repository, Random random, int count,
                               java.util.function.Function<Random, Resource> make) {
        for (int done = 0; done < count; done += 100) {
            List<Resource> batch = new ArrayList<>();
            for (int i = done; i < Math.min(count, done + 100); i++) batch.add(make.apply(random));
            store.transact(tx -> {
                for (Resource r : batch) repository.insert(tx, r);
                return null;
            });
        }
    }

    private static Caller caller(String project) { return new Caller(project, false, Set.of("member"), "r"); }

    private static String pick(Random r, List<String> values) { return values.get(r.nextInt(values.size())); }
}
