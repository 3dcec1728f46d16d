package org.alcor.agent.lab;

import com.google.protobuf.ByteString;
import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.alcor.proto.GroupSet;
import org.alcor.proto.NeighborTable;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a columnar NeighborTable the way the controller encodes one: IPv4 entries first, group sets shared. */
public final class NeighborTables {
    private record Entry(String ip, String mac, String host, List<String> groups) {}

    private final String vpcId;
    private final List<Entry> v4 = new ArrayList<>(), v6 = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();

    private NeighborTables(String vpcId) { this.vpcId = vpcId; }

    public static NeighborTables of(String vpcId) { return new NeighborTables(vpcId); }

    public NeighborTables put(String ip, String mac, String hostIp, String... groups) {
        (ip.contains(":") ? v6 : v4).add(new Entry(ip, mac, hostIp, List.of(groups)));
        return this;
    }

    public NeighborTables delete(String ip) {
        deleted.add(ip);
        return this;
    }

    public NeighborTable build() {
        NeighborTable.Builder t = NeighborTable.newBuilder().setVpcId(vpcId);
        Map<List<String>, Integer> sets = new LinkedHashMap<>();
        ByteArrayOutputStream macs = new ByteArrayOutputStream(), ipv6 = new ByteArrayOutputStream(), deletedV6 = new ByteArrayOutputStream();
        List<Entry> all = new ArrayList<>(v4);
        all.addAll(v6);
        for (Entry e : all) {
            if (e.ip().contains(":")) ipv6.writeBytes(bytes(e.ip()));
            else t.addIpv4(Ipv4.parse(e.ip()));
            macs.writeBytes(Mac.bytes(Mac.parse(e.mac())));
            t.addHostIpv4(Ipv4.parse(e.host()));
            if (e.groups().isEmpty()) t.addGroupSet(0);
            else t.addGroupSet(sets.computeIfAbsent(e.groups(), g -> sets.size() + 1));
        }
        for (List<String> g : sets.keySet()) t.addGroupSets(GroupSet.newBuilder().addAllSecurityGroupIds(g));
        for (String d : deleted) {
            if (d.contains(":")) deletedV6.writeBytes(bytes(d));
            else t.addDeletedIpv4(Ipv4.parse(d));
        }
        return t.setMacs(ByteString.copyFrom(macs.toByteArray())).setIpv6(ByteString.copyFrom(ipv6.toByteArray()))
                .setDeletedIpv6(ByteString.copyFrom(deletedV6.toByteArray())).build();
    }

    /** An IPv6 literal's 16 bytes (a literal never goes to DNS). */
    public static byte[] bytes(String ipv6) {
        try {
            return InetAddress.getByName(ipv6).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ipv6, e);
        }
    }
}
