package org.alcor.bench.southbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.alcor.proto.GoalState;
import org.alcor.proto.NeighborState;
import org.alcor.proto.NeighborTable;
import org.alcor.proto.Operation;
import org.alcor.proto.VpcState;
import org.junit.jupiter.api.Test;

class CompactNeighborsTest {
    @Test
    void intSetMatchesAHashSetUnderRandomAddsAndRemoves() {
        var random = new Random(7);
        var set = new CompactNeighbors.IntSet();
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            // A small range, so removals hit present values and runs collide; 0 is in it.
            int v = random.nextInt(5_000) - 100;
            if (random.nextInt(3) == 0) assertEquals(expected.remove(v), set.remove(v), "remove " + v);
            else assertEquals(expected.add(v), set.add(v), "add " + v);
            assertEquals(expected.size(), set.size());
        }
        for (int v = -100; v < 4_900; v++) assertEquals(expected.contains(v), set.contains(v), "contains " + v);
        Set<Integer> seen = new HashSet<>();
        set.forEach(seen::add);
        assertEquals(expected, seen);
    }

    @Test
    void compactStateCountsAndNamesTheNeighboursTheFullStateHolds() throws java.io.IOException {
        var random = new Random(11);
        var full = new AppliedState(false);
        var compact = new AppliedState(true);
        for (int m = 0; m < 2_000; m++) {
            GoalState gs = randomMessage(random, m);
            full.apply(gs);
            compact.apply(gs);
            assertEquals(full.count("neighbor"), compact.count("neighbor"), "after message " + m);
        }
        assertEquals(full.keys("neighbor"), compact.keys("neighbor"));
        assertEquals(full.minimalBytes(), compact.minimalBytes());
    }

    /**
     * Tables of two VPCs over a small address range (IPv4 and IPv6), now and then a single NeighborState for one of
     * those addresses, a snapshot or a VPC deletion.
     */
    private static GoalState randomMessage(Random random, int version) throws java.io.IOException {
        var gs = GoalState.newBuilder().setVersion(version + 1).setFullSnapshot(random.nextInt(200) == 0);
        if (random.nextInt(100) == 0) {
            gs.putVpcs("vpc-" + random.nextInt(2), VpcState.newBuilder().setOp(Operation.DELETE).build());
            return gs.build();
        }
        if (random.nextInt(10) == 0) {
            // The older encoding, one NeighborState per address, for the same addresses the tables carry.
            String key = "vpc-" + random.nextInt(2) + "/" + AppliedState.ipv4(0x0a000000 + random.nextInt(300));
            var op = random.nextBoolean() ? Operation.DELETE : Operation.CREATE;
            return gs.putNeighbors(key, NeighborState.newBuilder().setOp(op).build()).build();
        }
        var t = NeighborTable.newBuilder().setVpcId("vpc-" + random.nextInt(2));
        var macs = ByteString.newOutput();
        var v6 = ByteString.newOutput();
        int added = random.nextInt(20);
        int n4 = 0;
        for (int i = 0; i < added; i++) {
            if (random.nextInt(5) == 0) {
                v6.write(ipv6(random.nextInt(300)));
            } else {
                t.addIpv4(0x0a000000 + random.nextInt(300));
                n4++;
            }
        }
        // Table entries are the IPv4 ones first, then the IPv6 ones, each with a MAC and a host.
        int total = n4 + v6.size() / 16;
        for (int i = 0; i < total; i++) {
            macs.write(new byte[] {2, 0, 0, 0, 0, (byte) i});
            t.addHostIpv4(0x7f000001).addGroupSet(0);
        }
        for (int i = random.nextInt(10); i > 0; i--) t.addDeletedIpv4(0x0a000000 + random.nextInt(300));
        var deleted6 = ByteString.newOutput();
        for (int i = random.nextInt(3); i > 0; i--) deleted6.write(ipv6(random.nextInt(300)));
        return gs.addNeighborTables(t.setMacs(macs.toByteString()).setIpv6(v6.toByteString())
                .setDeletedIpv6(deleted6.toByteString())).build();
    }

    private static byte[] ipv6(int low) {
        return java.nio.ByteBuffer.allocate(16).putLong(0x20010db800000000L).putLong(low + 1).array();
    }
}
