package org.alcor.agent.openflow;

/** What a flow-stats reply tells about one installed flow: enough to reconcile by cookie and to prove age. */
public record InstalledFlow(int table, int priority, long cookie, long durationSeconds, long packets) {

    /** Parses the entries of one OFPMP_FLOW reply body (after the 16-byte multipart header). */
    static void parseEntries(byte[] msg, java.util.List<InstalledFlow> out) {
        int p = 16;
        while (p + 56 <= msg.length) {
            int len = WireReader.u16(msg, p);
            if (len < 56) break;
            out.add(new InstalledFlow(WireReader.u8(msg, p + 2), WireReader.u16(msg, p + 12), WireReader.u64(msg, p + 24),
                    WireReader.u32(msg, p + 4), WireReader.u64(msg, p + 32)));
            p += len;
        }
    }
}
