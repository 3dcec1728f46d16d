package org.alcor.controller.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
    private static Resource port(Object... keyValues) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("id", "p1");
        attrs.put("project_id", "proj");
        attrs.put("name", "web");
        attrs.put("admin_state_up", true);
        attrs.put("mtu", 1450);
        attrs.put("tags", List.of("a", "b"));
        attrs.put("security_groups", List.of("sg1", "sg2"));
        attrs.put("fixed_ips", List.of(Map.of("subnet_id", "s1", "ip_address", "10.0.0.5"),
                Map.of("subnet_id", "s2", "ip_address", "2001:db8::5")));
        for (int i = 0; i < keyValues.length; i += 2) attrs.put((String) keyValues[i], keyValues[i + 1]);
        return new Resource(attrs);
    }

    private static boolean matches(Resource r, Object... filterPairs) {
        Map<String, List<String>> filters = new HashMap<>();
        for (int i = 0; i < filterPairs.length; i += 2) {
            @SuppressWarnings("unchecked") List<String> values = (List<String>) filterPairs[i + 1];
            filters.put((String) filterPairs[i], values);
        }
        return Filters.matches(r, filters);
    }

    @Test
    void noFiltersMatchEverything() {
        assertTrue(matches(port()));
    }

    @Test
    void aValueMatchesItsAttribute() {
        assertTrue(matches(port(), "name", List.of("web")));
        assertFalse(matches(port(), "name", List.of("db")));
    }

    @Test
    void severalValuesOfOneAttributeMatchAnyOfThem() {
        assertTrue(matches(port(), "name", List.of("db", "web")));
        assertFalse(matches(port(), "name", List.of("db", "cache")));
    }

    @Test
    void severalAttributesMustAllMatch() {
        assertTrue(matches(port(), "name", List.of("web"), "mtu", List.of("1450")));
        assertFalse(matches(port(), "name", List.of("web"), "mtu", List.of("1500")));
    }

    @Test
    void booleansMatchTheirTextInAnyCase() {
        assertTrue(matches(port(), "admin_state_up", List.of("True")));
        assertTrue(matches(port(), "admin_state_up", List.of("true")));
        assertFalse(matches(port(), "admin_state_up", List.of("False")));
    }

    @Test
    void stringsMatchExactlyNotIgnoringCase() {
        assertFalse(matches(port(), "name", List.of("WEB")));
    }

    @Test
    void aListAttributeMatchesWhenAnyElementDoes() {
        assertTrue(matches(port(), "security_groups", List.of("sg2")));
        assertFalse(matches(port(), "security_groups", List.of("sg3")));
    }

    @Test
    void anEmptyValueMatchesAnEmptyOrMissingAttribute() {
        assertTrue(matches(port("device_id", ""), "device_id", List.of("")));
        assertTrue(matches(port(), "device_id", List.of("")));
        assertFalse(matches(port("device_id", "vm1"), "device_id", List.of("")));
    }

    @Test
    void tenantIdFiltersOnTheProject() {
        assertTrue(matches(port(), "tenant_id", List.of("proj")));
        assertFalse(matches(port(), "tenant_id", List.of("other")));
    }

    @Test
    void tagsNeedEveryListedTag() {
        assertTrue(matches(port(), "tags", List.of("a,b")));
        assertTrue(matches(port(), "tags", List.of("a")));
        assertFalse(matches(port(), "tags", List.of("a,c")));
    }

    @Test
    void repeatedTagsParametersAddUp() {
        assertTrue(matches(port(), "tags", List.of("a", "b")));
        assertFalse(matches(port(), "tags", List.of("a", "c")));
    }

    @Test
    void tagsAnyNeedsOneListedTag() {
        assertTrue(matches(port(), "tags-any", List.of("c,b")));
        assertFalse(matches(port(), "tags-any", List.of("c,d")));
    }

    @Test
    void notTagsExcludesOnlyResourcesWithEveryListedTag() {
        assertFalse(matches(port(), "not-tags", List.of("a,b")));
        assertTrue(matches(port(), "not-tags", List.of("a,c")));
    }

    @Test
    void notTagsAnyExcludesResourcesWithAnyListedTag() {
        assertFalse(matches(port(), "not-tags-any", List.of("c,a")));
        assertTrue(matches(port(), "not-tags-any", List.of("c,d")));
    }

    @Test
    void aResourceWithoutTagsMatchesTheNegativeTagFiltersOnly() {
        var untagged = port("tags", List.of());
        assertFalse(matches(untagged, "tags", List.of("a")));
        assertFalse(matches(untagged, "tags-any", List.of("a")));
        assertTrue(matches(untagged, "not-tags", List.of("a")));
        assertTrue(matches(untagged, "not-tags-any", List.of("a")));
    }

    @Test
    void fixedIpsMatchOnAnAddress() {
        assertTrue(matches(port(), "fixed_ips", List.of("ip_address=10.0.0.5")));
        assertTrue(matches(port(), "fixed_ips", List.of("ip_address=2001:db8::5")));
        assertFalse(matches(port(), "fixed_ips", List.of("ip_address=10.0.0.6")));
    }

    @Test
    void fixedIpsMatchOnASubnet() {
        assertTrue(matches(port(), "fixed_ips", List.of("subnet_id=s2")));
        assertFalse(matches(port(), "fixed_ips", List.of("subnet_id=s3")));
    }

    @Test
    void severalFixedIpsFiltersMustAllMatch() {
        assertTrue(matches(port(), "fixed_ips", List.of("subnet_id=s1", "ip_address=10.0.0.5")));
        assertFalse(matches(port(), "fixed_ips", List.of("subnet_id=s1", "ip_address=10.0.0.6")));
    }

    @Test
    void aFixedIpsFilterWithoutAKeyMatchesNothing() {
        assertFalse(matches(port(), "fixed_ips", List.of("10.0.0.5")));
    }
}
