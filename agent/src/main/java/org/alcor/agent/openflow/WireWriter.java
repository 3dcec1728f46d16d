package org.alcor.agent.openflow;

import java.util.Arrays;

/** Growable big-endian byte buffer: OpenFlow is network byte order and every message is built front to back. */
public final class WireWriter {
    private byte[] buf;
    private int pos;

    public WireWriter(int capacity) { buf = new byte[Math.max(16, capacity)]; }

    private void ensure(int n) {
        if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    public WireWriter u8(int v) { ensure(1); buf[pos++] = (byte) v; return this; }

    public WireWriter u16(int v) { ensure(2); buf[pos++] = (byte) (v >>> 8); buf[pos++] = (byte) v; return this; }

    public WireWriter u32(long v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24); buf[pos++] = (byte) (v >>> 16); buf[pos++] = (byte) (v >>> 8); buf[pos++] = (byte) v;
        return this;
    }

    public WireWriter u64(long v) { u32(v >>> 32); return u32(v & 0xffffffffL); }

    public WireWriter bytes(byte[] b) { ensure(b.length); System.arraycopy(b, 0, buf, pos, b.length); pos += b.length; return this; }

    public WireWriter zeros(int n) { ensure(n); pos += n; return this; }

    /** Pads with zeros to the next multiple of 8, the alignment of OpenFlow matches, actions and instructions. */
    public WireWriter pad8() { return zeros((8 - pos % 8) % 8); }

    public int position() { return pos; }

    /** Overwrites a 16-bit field already written, for lengths known only at the end. */
    public void setU16(int at, int v) { buf[at] = (byte) (v >>> 8); buf[at + 1] = (byte) v; }

    public void setU32(int at, long v) {
        buf[at] = (byte) (v >>> 24); buf[at + 1] = (byte) (v >>> 16); buf[at + 2] = (byte) (v >>> 8); buf[at + 3] = (byte) v;
    }

    public byte[] toByteArray() { return Arrays.copyOf(buf, pos); }
}
