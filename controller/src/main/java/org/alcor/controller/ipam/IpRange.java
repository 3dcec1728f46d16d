package org.alcor.controller.ipam;

import java.util.Map;

/** An inclusive range of addresses: one allocation pool of a subnet. */
public record IpRange(IpAddress start, IpAddress end) {

    public boolean contains(IpAddress ip) { return ip.compareTo(start) >= 0 && ip.compareTo(end) <= 0; }

    public boolean overlaps(IpRange o) { return start.compareTo(o.end) <= 0 && o.start.compareTo(end) <= 0; }

    public Map<String, Object> toAttribute() { return Map.of("start", start.toString(), "end", end.toString()); }

    public static IpRange fromAttribute(Map<String, Object> pool) {
        return new IpRange(IpAddress.parse((String) pool.get("start")).orElseThrow(),
                IpAddress.parse((String) pool.get("end")).orElseThrow());
    }
}
