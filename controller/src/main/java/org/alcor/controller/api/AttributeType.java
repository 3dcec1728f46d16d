package org.alcor.controller.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.ipam.Cidr;
import org.alcor.controller.ipam.IpAddress;
import org.alcor.controller.mac.MacAddress;

/**
 * The value types of Neutron attributes. Each converts a JSON value into the canonical value a service gets
 * (or fails with Neutron's "Invalid input for X. Reason: ..." 400), and names its OpenAPI schema type.
 */
public interface AttributeType {
    Object convert(String attribute, Object value);

    String schemaType();

    Pattern UUID = Pattern.compile("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");

    static AttributeType string(int maxLength) {
        return new Simple("string", (attr, v) -> {
            if (!(v instanceof String s)) throw invalid(attr, "'" + v + "' is not a valid string");
            if (s.length() > maxLength) throw invalid(attr, "'" + s.substring(0, 20) + "...' exceeds maximum length of " + maxLength);
            return s;
        });
    }

    AttributeType BOOLEAN = new Simple("boolean", (attr, v) -> {
        if (v instanceof Boolean) return v;
        if (v instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> { return true; }
                case "false", "0" -> { return false; }
                default -> { }
            }
        }
        if (v instanceof Integer i && (i == 0 || i == 1)) return i == 1;
        throw invalid(attr, "'" + v + "' cannot be converted to boolean");
    });

    static AttributeType integer(long min, long max) {
        return new Simple("integer", (attr, v) -> {
            long n;
            if (v instanceof Integer || v instanceof Long) n = ((Number) v).longValue();
            else if (v instanceof String s && s.matches("-?\\d{1,18}")) n = Long.parseLong(s);
            else throw invalid(attr, "'" + v + "' is not an integer");
            if (n < min || n > max) throw invalid(attr, "'" + n + "' is not in range " + min + " through " + max);
            return n <= Integer.MAX_VALUE && n >= Integer.MIN_VALUE ? (Object) (int) n : (Object) n;
        });
    }

    AttributeType UUID_STRING = new Simple("string", (attr, v) -> {
        if (!(v instanceof String s) || !UUID.matcher(s).matches()) throw invalid(attr, "'" + v + "' is not a valid UUID");
        return s;
    });

    AttributeType IP = new Simple("string", (attr, v) -> {
        if (!(v instanceof String s) || IpAddress.parse(s).isEmpty()) throw invalid(attr, "'" + v + "' is not a valid IP address");
        return IpAddress.parse(s).get().toString();
    });

    AttributeType CIDR = new Simple("string", (attr, v) -> {
        if (!(v instanceof String s)) throw invalid(attr, "'" + v + "' is not a valid IP subnet");
        try {
            return Cidr.parse(s);
        } catch (Cidr.InvalidCidrException e) {
            throw invalid(attr, e.getMessage());
        }
    });

    AttributeType MAC = new Simple("string", (attr, v) -> {
        if (!(v instanceof String s)) throw invalid(attr, "'" + v + "' is not a valid MAC address");
        MacAddress mac = MacAddress.parse(s).orElseThrow(() -> invalid(attr, "'" + s + "' is not a valid MAC address"));
        if (mac.isMulticast() || mac.value() == 0) throw invalid(attr, "'" + s + "' is not a valid unicast MAC address");
        return mac.toString();
    });

    AttributeType DICT = new Simple("object", (attr, v) -> {
        if (!(v instanceof Map<?, ?>)) throw invalid(attr, "'" + v + "' is not a dictionary");
        return v;
    });

    static AttributeType oneOf(String... values) {
        Set<String> allowed = Set.of(values);
        return new Simple("string", (attr, v) -> {
            if (!(v instanceof String s) || !allowed.contains(s)) throw invalid(attr, "'" + v + "' is not in " + List.of(values));
            return s;
        });
    }

    static AttributeType listOf(AttributeType element) {
        return new Simple("array", (attr, v) -> {
            if (!(v instanceof List<?> list)) throw invalid(attr, "'" + v + "' is not a list");
            if (list.size() > 10_000) throw invalid(attr, "too many items");
            List<Object> out = new ArrayList<>();
            for (Object item : list) out.add(element.convert(attr, item));
            return out;
        });
    }

    /** A list of objects with the given keys (and their types); required keys must be present. */
    static AttributeType listOfObjects(Map<String, AttributeType> keys, Set<String> required) {
        return new Simple("array", (attr, v) -> {
            if (!(v instanceof List<?> list)) throw invalid(attr, "'" + v + "' is not a list");
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> map)) throw invalid(attr, "'" + item + "' is not a dictionary");
                Map<String, Object> converted = new LinkedHashMap<>();
                for (var e : map.entrySet()) {
                    AttributeType type = keys.get(String.valueOf(e.getKey()));
                    if (type == null) throw invalid(attr, "unexpected key '" + e.getKey() + "'; valid keys are " + keys.keySet());
                    if (e.getValue() != null) converted.put((String) e.getKey(), type.convert(attr, e.getValue()));
                }
                for (String key : required) if (!converted.containsKey(key)) throw invalid(attr, "'" + key + "' is required in " + item);
                out.add(converted);
            }
            return out;
        });
    }

    /** One object with the given keys (and their types); required keys must be present. */
    static AttributeType objectOf(Map<String, AttributeType> keys, Set<String> required) {
        AttributeType asList = listOfObjects(keys, required);
        return new Simple("object", (attr, v) -> {
            if (!(v instanceof Map<?, ?>)) throw invalid(attr, "'" + v + "' is not a dictionary");
            return ((List<?>) asList.convert(attr, List.of(v))).getFirst();
        });
    }

    /** An IP address or a CIDR (allowed address pairs may name a whole range). */
    AttributeType IP_OR_CIDR = new Simple("string", (attr, v) -> {
        if (v instanceof String s) {
            if (IpAddress.parse(s).isPresent()) return IpAddress.parse(s).get().toString();
            var cidr = Cidr.tryParse(s);
            if (cidr.isPresent()) return cidr.get().toString();
        }
        throw invalid(attr, "'" + v + "' is neither a valid IP address nor a valid CIDR");
    });

    AttributeType CIDR_STRING = new Simple("string", (attr, v) -> CIDR.convert(attr, v).toString());

    static AlcorException invalid(String attribute, String reason) { return AlcorException.invalidInput(attribute, reason); }

    record Simple(String schemaType, Converter converter) implements AttributeType {
        @Override public Object convert(String attribute, Object value) { return converter.convert(attribute, value); }
    }

    @FunctionalInterface
    interface Converter {
        Object convert(String attribute, Object value);
    }
}
