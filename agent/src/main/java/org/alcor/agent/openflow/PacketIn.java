package org.alcor.agent.openflow;

/**
 * The parts of an OpenFlow 1.3 packet-in the agent uses: where it came from, its VNI (reg6), the local port it
 * was being delivered to (reg7, 0 when unset) and the frame. OVS puts the registers that are set into the match.
 */
public record PacketIn(int inPort, int tableId, long cookie, long reg6, long reg7, byte[] data) {

    /** Parses an OFPT_PACKET_IN body (after the 8-byte header); in_port comes from the OXM match. */
    static PacketIn parse(byte[] msg) {
        int p = 8;
        int tableId = msg[p + 7] & 0xff;
        long cookie = WireReader.u64(msg, p + 8);
        int matchStart = p + 16;
        int matchLen = WireReader.u16(msg, matchStart + 2);
        int inPort = -1;
        long reg6 = 0, reg7 = 0;
        int q = matchStart + 4;
        while (q + 4 <= matchStart + matchLen) {
            int header = (int) WireReader.u32(msg, q);
            int len = header & 0xff;
            if ((header >>> 16) == 0x8000 && ((header >>> 9) & 0x7f) == 0) inPort = (int) WireReader.u32(msg, q + 4);
            if ((header >>> 16) == 0x0001 && ((header >>> 9) & 0x7f) == 6) reg6 = WireReader.u32(msg, q + 4);
            if ((header >>> 16) == 0x0001 && ((header >>> 9) & 0x7f) == 7) reg7 = WireReader.u32(msg, q + 4);
            q += 4 + len;
        }
        int dataStart = matchStart + ((matchLen + 7) / 8) * 8 + 2;
        byte[] data = java.util.Arrays.copyOfRange(msg, dataStart, msg.length);
        return new PacketIn(inPort, tableId, cookie, reg6, reg7, data);
    }
}
