package org.alcor.agent.openflow;

import org.alcor.agent.lab.Sh;
import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** The encoder checked by OVS's own decoder ({@code ovs-ofctl ofp-print}), field by field. */
class OfMessagesTest {
    @BeforeAll
    static void needsOvsOfctl() {
        boolean ok = Sh.run("sh", "-c", "command -v ovs-ofctl").ok();
        if (!ok && "true".equals(System.getenv("CI"))) throw new AssertionError("CI=true but ovs-ofctl is missing");
        Assumptions.assumeTrue(ok, "needs ovs-ofctl");
    }

    static String print(byte[] msg) {
        return Sh.run("ovs-ofctl", "ofp-print", HexFormat.of().formatHex(msg)).out();
    }

    static Flow flow(Match m, Instructions i) { return new Flow(10, 100, 0x1122334455667788L, m, i); }

    @Test
    void aFlowModWithNiciraRegistersTunnelFieldsAndGotoDecodesAsOvsReadsIt() {
        Match m = Match.builder().inPort(7).ethSrc(Mac.parse("fa:16:3e:00:01:01")).ethType(0x0800)
                .ipv4(Oxm.IPV4_SRC, Ipv4.parse("10.1.0.0"), 24).reg(6, 1001).build();
        Actions a = Actions.of().setField(Oxm.TUNNEL_ID, 1001).setField(Oxm.TUN_IPV4_DST, Ipv4.parse("172.31.250.2") & 0xffffffffL)
                .setField(Oxm.reg(7), 5).decTtl().output(4000);
        String out = print(OfMessages.flowAdd(9, flow(m, Instructions.of(a, 21))));
        assertTrue(out.contains("OFPT_FLOW_MOD (OF1.3)"), out);
        assertTrue(out.contains("cookie:0x1122334455667788"), out);
        assertTrue(out.contains("table:10"), out);
        assertTrue(out.contains("priority=100,ip,reg6=0x3e9,in_port=7,dl_src=fa:16:3e:00:01:01,nw_src=10.1.0.0/24"), out);
        assertTrue(out.contains("set_field:0x3e9->tun_id,set_field:172.31.250.2->tun_dst,set_field:0x5->reg7,dec_ttl,output:4000"), out);
        assertTrue(out.contains("goto_table:21"), out);
    }

    @Test
    void conntrackAndMoveActionsDecodeAsCtAndMove() {
        String ct = print(OfMessages.flowAdd(1, flow(Match.builder().ethType(0x0800).build(), Instructions.apply(Actions.of().ct(false, 7, 21)))));
        assertTrue(ct.contains("ct(table=21,zone=7)"), ct);
        Actions a = Actions.of().move(Oxm.NXM_ETH_SRC, Oxm.NXM_ETH_DST).move(Oxm.NXM_ARP_SPA, Oxm.NXM_ARP_TPA);
        String out = print(OfMessages.flowAdd(1, flow(Match.builder().ethType(0x0806).field(Oxm.ARP_OP, 1).build(), Instructions.apply(a))));
        assertTrue(out.contains("move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]"), out);
        assertTrue(out.contains("move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]"), out);
        String commit = print(OfMessages.flowAdd(1, flow(Match.builder().ethType(0x0800).ctState(0x21, 0x21).build(),
                Instructions.apply(Actions.of().ct(true, 3, -1).output(5)))));
        assertTrue(commit.contains("ct_state=+new+trk"), commit);
        assertTrue(commit.contains("ct(commit,zone=3),output:5"), commit);
    }

    @Test
    void maskedPortsAndMulticastDestinationsDecodeWithTheirMasks() {
        Match m = Match.builder().ethType(0x0800).ipProto(6).masked(Oxm.TCP_DST, 1024, 0xfc00)
                .masked(Oxm.ETH_DST, Mac.MULTICAST_BIT, Mac.MULTICAST_BIT).build();
        String out = print(OfMessages.flowAdd(1, flow(m, Instructions.DROP)));
        assertTrue(out.contains("tp_dst=0x400/0xfc00"), out);
        assertTrue(out.contains("dl_dst=01:00:00:00:00:00/01:00:00:00:00:00"), out);
    }

    @Test
    void bundleMessagesAreOnfExtensionsWithTheInnerFlowMod() {
        String open = print(OfMessages.bundleControl(3, 42, OfMessages.BUNDLE_OPEN, OfMessages.BUNDLE_ATOMIC | OfMessages.BUNDLE_ORDERED));
        assertTrue(open.contains("bundle_id=0x2a type=OPEN_REQUEST flags=atomic ordered"), open);
        byte[] inner = OfMessages.flowDeleteByCookie(4, 0xabcL);
        String add = print(OfMessages.bundleAdd(4, 42, OfMessages.BUNDLE_ATOMIC, inner));
        assertTrue(add.contains("ONFT_BUNDLE_ADD_MESSAGE"), add);
        assertTrue(add.contains("OFPT_FLOW_MOD (OF1.3)") && add.contains("DEL") && add.contains("cookie:0xabc/0xffffffffffffffff"), add);
    }

    @Test
    void packetOutCarriesTheFrameAndItsActions() {
        byte[] frame = new byte[60];
        frame[12] = 0x08;
        String out = print(OfMessages.packetOut(5, 7, Actions.of().output(Actions.PORT_IN_PORT), frame));
        assertTrue(out.contains("OFPT_PACKET_OUT (OF1.3)") && out.contains("in_port=7") && out.contains("actions=IN_PORT"), out);
    }

    @Test
    void aPacketOutThatRestoresRegistersAndResubmitsIntoATableDecodesAsOvsReadsIt() {
        byte[] frame = new byte[60];
        frame[12] = 0x08;
        Actions a = Actions.of().setField(Oxm.reg(6), 1001).setField(Oxm.reg(7), 5).resubmit(70);
        assertEquals(16, Actions.of().resubmit(70).encoded().length, "NXAST_RESUBMIT_TABLE is 16 bytes");
        String out = print(OfMessages.packetOut(6, 4000, a, frame));
        assertTrue(out.contains("in_port=4000"), out);
        assertTrue(out.contains("actions=set_field:0x3e9->reg6,set_field:0x5->reg7,resubmit(,70)"), out);
        String flow = print(OfMessages.flowAdd(1, flow(Match.ANY, Instructions.apply(Actions.of().resubmit(71)))));
        assertTrue(flow.contains("resubmit(,71)"), flow);
    }
}
