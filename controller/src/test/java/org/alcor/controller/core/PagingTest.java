package org.alcor.controller.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagingTest {
    private static final AlcorException MARKER_NOT_FOUND = AlcorException.notFound("Network", "marker");

    private static Resource net(String id, String name, Integer mtu) {
        Map<String, Object> attrs = new HashMap<>();
        attrs.put("id", id);
        attrs.put("name", name);
        attrs.put("mtu", mtu);
        return new Resource(attrs);
    }

    /** Ids 1..5 with names and mtus in another order, stored out of id order. */
    private static final List<Resource> NETS = List.of(net("3", "c", 1400), net("1", "e", 1450), net("5", "a", 1300),
            net("2", "d", 1450), net("4", "b", null));

    private static ListPage page(List<ListQuery.Sort> sorts, Integer limit, String marker, boolean reverse) {
        return Paging.page(NETS, new ListQuery(Map.of(), sorts, limit, marker, reverse), m -> MARKER_NOT_FOUND);
    }

    private static List<String> ids(ListPage page) { return page.items().stream().map(Resource::id).toList(); }

    private static ListQuery.Sort asc(String key) { return new ListQuery.Sort(key, true); }

    private static ListQuery.Sort desc(String key) { return new ListQuery.Sort(key, false); }

    @Test
    void withoutSortKeysItemsAreInIdOrder() {
        var page = page(List.of(), null, null, false);
        assertEquals(List.of("1", "2", "3", "4", "5"), ids(page));
        assertFalse(page.hasNext());
        assertFalse(page.hasPrevious());
    }

    @Test
    void aSortKeyOrdersAscending() {
        assertEquals(List.of("5", "4", "3", "2", "1"), ids(page(List.of(asc("name")), null, null, false)));
    }

    @Test
    void aDescendingSortKeyReversesTheOrder() {
        assertEquals(List.of("1", "2", "3", "4", "5"), ids(page(List.of(desc("name")), null, null, false)));
    }

    @Test
    void numbersSortAsNumbersWithNullFirstAndIdBreakingTies() {
        assertEquals(List.of("4", "5", "3", "1", "2"), ids(page(List.of(asc("mtu")), null, null, false)));
    }

    @Test
    void aSecondSortKeyBreaksTiesOfTheFirst() {
        assertEquals(List.of("2", "1", "3", "5", "4"), ids(page(List.of(desc("mtu"), asc("name")), null, null, false)));
    }

    @Test
    void aLimitCutsTheFirstPageAndSaysMoreFollow() {
        var page = page(List.of(), 2, null, false);
        assertEquals(List.of("1", "2"), ids(page));
        assertTrue(page.hasNext());
        assertFalse(page.hasPrevious());
    }

    @Test
    void aMarkerStartsThePageAfterIt() {
        var page = page(List.of(), 2, "2", false);
        assertEquals(List.of("3", "4"), ids(page));
        assertTrue(page.hasNext());
        assertTrue(page.hasPrevious());
    }

    @Test
    void theLastPageSaysNothingFollows() {
        var page = page(List.of(), 2, "4", false);
        assertEquals(List.of("5"), ids(page));
        assertFalse(page.hasNext());
        assertTrue(page.hasPrevious());
    }

    @Test
    void aMarkerOnTheLastItemGivesAnEmptyPage() {
        var page = page(List.of(), 2, "5", false);
        assertEquals(List.of(), ids(page));
        assertFalse(page.hasNext());
    }

    @Test
    void aMarkerFollowsTheSortOrder() {
        assertEquals(List.of("3", "2"), ids(page(List.of(asc("name")), 2, "4", false)));
    }

    @Test
    void aReversePageTakesTheItemsBeforeTheMarker() {
        var page = page(List.of(), 2, "4", true);
        assertEquals(List.of("2", "3"), ids(page));
        assertTrue(page.hasNext());
        assertTrue(page.hasPrevious());
    }

    @Test
    void aReversePageAtTheStartSaysNothingPrecedes() {
        var page = page(List.of(), 2, "3", true);
        assertEquals(List.of("1", "2"), ids(page));
        assertFalse(page.hasPrevious());
    }

    @Test
    void aMarkerWithoutALimitGivesEverythingAfterIt() {
        assertEquals(List.of("4", "5"), ids(page(List.of(), null, "3", false)));
    }

    @Test
    void limitZeroMeansNoLimit() {
        var page = page(List.of(), 0, null, false);
        assertEquals(5, page.items().size());
        assertFalse(page.hasNext());
    }

    @Test
    void anUnknownMarkerFailsWithTheGivenError() {
        var e = assertThrows(AlcorException.class, () -> page(List.of(), 2, "nope", false));
        assertSame(MARKER_NOT_FOUND, e);
    }

    @Test
    void pagingDoesNotChangeTheGivenList() {
        var items = new java.util.ArrayList<>(NETS);
        Paging.page(items, new ListQuery(Map.of(), List.of(asc("name")), 2, null, false), m -> MARKER_NOT_FOUND);
        assertEquals(NETS, items);
    }
}
