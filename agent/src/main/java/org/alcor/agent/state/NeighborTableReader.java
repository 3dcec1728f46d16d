package org.alcor.agent.state;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Ipv6;
import org.alcor.agent.net.Mac;
import org.alcor.proto.GroupSet;
import org.alcor.proto.NeighborTable;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one VPC's columnar {@link NeighborTable}: entry i is (address i, macs[6i, 6i+6), host_ipv4[i],
 * group_set[i]), the IPv4 addresses first, then the IPv6 ones. Columns that do not line up reject the whole table
 * rather than guess which entries are right. An empty group_set column means no entry has groups.
 */
final class NeighborTableReader {
    record Decoded(List<Neighbor> upserts, List<String> deletedIps) {}

    private NeighborTableReader() {}

    static Decoded read(NeighborTable t) {
        if (t.getVpcId().isEmpty()) throw new IllegalArgumentException("neighbour table without vpc_id");
        if (t.getIpv6().size() % 16 != 0 || t.getDeletedIpv6().size() % 16 != 0) {
            throw new IllegalArgumentException("IPv6 column of " + t.getVpcId() + " is not a multiple of 16 bytes");
        }
        int v4 = t.getIpv4Count(), n = v4 + t.getIpv6().size() / 16;
        if (t.getMacs().size() != 6 * n || t.getHostIpv4Count() != n || (t.getGroupSetCount() != n && t.getGroupSetCount() != 0)) {
            throw new IllegalArgumentException("columns of the neighbour table of " + t.getVpcId() + " do not line up: " + n
                    + " addresses, " + t.getMacs().size() + " MAC bytes, " + t.getHostIpv4Count() + " hosts, " + t.getGroupSetCount() + " group sets");
        }
        // one shared list per group set: entries of a VPC mostly share a few sets
        List<List<String>> sets = new ArrayList<>(t.getGroupSetsCount() + 1);
        sets.add(List.of());
        for (GroupSet g : t.getGroupSetsList()) sets.add(List.copyOf(g.getSecurityGroupIdsList()));
        byte[] macs = t.getMacs().toByteArray();
        byte[] v6 = t.getIpv6().toByteArray();
        List<Neighbor> upserts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int set = t.getGroupSetCount() == 0 ? 0 : t.getGroupSet(i);
            if (set >= sets.size()) throw new IllegalArgumentException("group_set " + set + " of " + t.getVpcId() + " names no group set");
            String ip = i < v4 ? Ipv4.format(t.getIpv4(i)) : Ipv6.format(v6, 16 * (i - v4));
            upserts.add(new Neighbor(t.getVpcId(), ip, Mac.of(macs, 6 * i), t.getHostIpv4(i), 0, "", sets.get(set)));
        }
        List<String> deleted = new ArrayList<>(t.getDeletedIpv4Count() + t.getDeletedIpv6().size() / 16);
        for (int a : t.getDeletedIpv4List()) deleted.add(Ipv4.format(a));
        byte[] d6 = t.getDeletedIpv6().toByteArray();
        for (int at = 0; at < d6.length; at += 16) deleted.add(Ipv6.format(d6, at));
        return new Decoded(upserts, deleted);
    }
}
