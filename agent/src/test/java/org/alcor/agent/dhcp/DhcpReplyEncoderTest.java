package org.alcor.agent.dhcp;

import org.alcor.agent.net.Ipv4;
import org.alcor.agent.net.Mac;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DhcpReplyEncoderTest {
    static final long CLIENT = Mac.parse("fa:16:3e:00:01:01");

    static DhcpLease lease() {
        return new DhcpLease(CLIENT, Ipv4.parse("10.1.0.11"), 24, Ipv4.parse("10.1.0.1"), List.of(Ipv4.parse("10.255.255.53")),
                1450, 3600, List.<int[]>of(new int[] {Ipv4.parse("192.168.77.0"), 24, Ipv4.parse("10.1.0.1")}),
                Ipv4.parse("10.1.0.1"), DhcpResponder.SERVER_MAC);
    }

    /** A DISCOVER as udhcpc sends it: from 0.0.0.0 to broadcast, with option 53 and a parameter list. */
    static byte[] discover(int type, int requested) {
        byte[] f = new byte[14 + 20 + 8 + 240 + 16];
        System.arraycopy(Mac.bytes(Mac.BROADCAST), 0, f, 0, 6);
        System.arraycopy(Mac.bytes(CLIENT), 0, f, 6, 6);
        f[12] = 0x08; f[14] = 0x45; f[23] = 17;
        f[34] = 0; f[35] = 68; f[36] = 0; f[37] = 67;
        int b = 42;
        f[b] = 1; f[b + 1] = 1; f[b + 2] = 6;
        f[b + 4] = 0x12; f[b + 5] = 0x34; f[b + 6] = 0x56; f[b + 7] = 0x78;
        System.arraycopy(Mac.bytes(CLIENT), 0, f, b + 28, 6);
        f[b + 236] = 0x63; f[b + 237] = (byte) 0x82; f[b + 238] = 0x53; f[b + 239] = 0x63;
        int o = b + 240;
        f[o++] = 53; f[o++] = 1; f[o++] = (byte) type;
        if (requested != 0) { f[o++] = 50; f[o++] = 4; for (int i = 3; i >= 0; i--) f[o++] = (byte) (requested >>> (8 * i)); }
        f[o] = (byte) 255;
        return f;
    }

    static int option(byte[] f, int code) {
        int i = 42 + 240;
        while (i < f.length && (f[i] & 0xff) != 255) {
            if ((f[i] & 0xff) == code) return i;
            i += 2 + (f[i + 1] & 0xff);
        }
        return -1;
    }

    @Test
    void aDiscoverIsParsedWithItsTransactionIdAndClientMac() {
        DhcpRequest r = DhcpRequest.parse(discover(DhcpRequest.DISCOVER, 0));
        assertNotNull(r);
        assertEquals(DhcpRequest.DISCOVER, r.messageType());
        assertEquals(0x12345678, r.xid());
        assertEquals(CLIENT, r.clientMac());
    }

    @Test
    void theOfferCarriesAddressMaskRouterDnsMtuLeaseAndClasslessRoutes() {
        byte[] f = DhcpReplyEncoder.reply(DhcpRequest.parse(discover(1, 0)), lease(), DhcpRequest.OFFER);
        assertEquals(Ipv4.parse("10.1.0.11"), DhcpRequest.u32(f, 42 + 16), "yiaddr");
        assertEquals(0x12345678, DhcpRequest.u32(f, 42 + 4), "xid");
        assertEquals(2, f[42], "BOOTREPLY");
        assertEquals(2, f[option(f, 53) + 2], "OFFER");
        assertEquals(0xffffff00, DhcpRequest.u32(f, option(f, 1) + 2));
        assertEquals(Ipv4.parse("10.1.0.1"), DhcpRequest.u32(f, option(f, 3) + 2));
        assertEquals(Ipv4.parse("10.255.255.53"), DhcpRequest.u32(f, option(f, 6) + 2));
        assertEquals(1450, DhcpRequest.u16(f, option(f, 26) + 2));
        assertEquals(3600, DhcpRequest.u32(f, option(f, 51) + 2));
        assertEquals(Ipv4.parse("10.1.0.1"), DhcpRequest.u32(f, option(f, 54) + 2));
        int r = option(f, 121);
        // 192.168.77.0/24 via 10.1.0.1, then the default route via the gateway (RFC 3442 clients ignore option 3)
        assertEquals("18c0a84d0a010001" + "000a010001",
                HexFormat.of().formatHex(f, r + 2, r + 2 + (f[r + 1] & 0xff)));
    }

    @Test
    void ipAndUdpChecksumsVerify() {
        byte[] f = DhcpReplyEncoder.reply(DhcpRequest.parse(discover(1, 0)), lease(), DhcpRequest.OFFER);
        assertEquals(0, DhcpReplyEncoder.checksum(f, 14, 20, 0), "IP header checksum");
        int udpLen = DhcpRequest.u16(f, 38);
        int src = DhcpRequest.u32(f, 26), dst = DhcpRequest.u32(f, 30);
        long pseudo = ((src >>> 16) & 0xffff) + (src & 0xffff) + ((dst >>> 16) & 0xffff) + (dst & 0xffff) + 17 + udpLen;
        assertEquals(0, DhcpReplyEncoder.checksum(f, 34, udpLen, pseudo), "UDP checksum");
    }

    @Test
    void aRequestForTheLeasedAddressIsAckedAndForAnotherNaked() {
        DhcpResponder responder = new DhcpResponder();
        org.alcor.agent.state.HostState st = new org.alcor.agent.state.HostState();
        st.dhcp.put("p1", org.alcor.agent.lab.GoalStates.dhcp("p1", "s1", "fa:16:3e:00:01:01", "10.1.0.11", "10.1.0.1"));
        responder.update(st);
        byte[] ack = responder.answer(discover(DhcpRequest.REQUEST, Ipv4.parse("10.1.0.11")));
        assertEquals(DhcpRequest.ACK, ack[option(ack, 53) + 2]);
        byte[] nak = responder.answer(discover(DhcpRequest.REQUEST, Ipv4.parse("10.1.0.99")));
        assertEquals(DhcpRequest.NAK, nak[option(nak, 53) + 2]);
        assertNull(responder.answer(new byte[64]), "not DHCP: no answer");
    }

    @Test
    void anUnknownClientGetsNoAnswer() {
        DhcpResponder responder = new DhcpResponder();
        assertNull(responder.answer(discover(DhcpRequest.DISCOVER, 0)));
    }
}
