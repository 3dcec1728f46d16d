package org.alcor.agent.openflow;

/** Big-endian reads from a byte array at an offset. */
public final class WireReader {
    private WireReader() {}

    public static int u8(byte[] b, int at) { return b[at] & 0xff; }

    public static int u16(byte[] b, int at) { return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff); }

    public static long u32(byte[] b, int at) { return ((long) u16(b, at) << 16) | u16(b, at + 2); }

    public static long u64(byte[] b, int at) { return (u32(b, at) << 32) | u32(b, at + 4); }
}
