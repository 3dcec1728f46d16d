package org.alcor.agent.openflow;

/**
 * Encoders for the OpenFlow 1.3 messages the agent sends. Bundles use the ONF extension 2300 (EXT-230), the
 * OpenFlow 1.4 bundle messages carried in OFPT_EXPERIMENTER, which is how OVS offers bundles to 1.3
 * connections (and what {@code ovs-ofctl -O OpenFlow13 --bundle} sends).
 */
public final class OfMessages {
    public static final int VERSION = 4;
    public static final int HELLO = 0, ERROR = 1, ECHO_REQUEST = 2, ECHO_REPLY = 3, EXPERIMENTER = 4,
            SET_CONFIG = 9, PACKET_IN = 10, PACKET_OUT = 13, FLOW_MOD = 14,
            MULTIPART_REQUEST = 18, MULTIPART_REPLY = 19, BARRIER_REQUEST = 20, BARRIER_REPLY = 21;
    public static final int FC_ADD = 0, FC_DELETE = 3, FC_DELETE_STRICT = 4;
    public static final long ONF_EXPERIMENTER = 0x4F4E4600L;
    public static final int ONF_BUNDLE_CONTROL = 2300, ONF_BUNDLE_ADD = 2301;
    public static final int BUNDLE_OPEN = 0, BUNDLE_OPEN_REPLY = 1, BUNDLE_COMMIT = 4, BUNDLE_COMMIT_REPLY = 5,
            BUNDLE_DISCARD = 6;
    public static final int BUNDLE_ATOMIC = 1, BUNDLE_ORDERED = 2;
    private static final int ANY = 0xffffffff;
    private static final int TABLE_ALL = 0xff;

    private OfMessages() {}

    private static WireWriter header(int type, int xid, int capacity) {
        return new WireWriter(capacity).u8(VERSION).u8(type).u16(0).u32(xid & 0xffffffffL);
    }

    private static byte[] finish(WireWriter w) {
        w.setU16(2, w.position());
        return w.toByteArray();
    }

    public static byte[] hello(int xid) { return finish(header(HELLO, xid, 8)); }

    public static byte[] barrier(int xid) { return finish(header(BARRIER_REQUEST, xid, 8)); }

    public static byte[] echoReply(int xid, byte[] payload) { return finish(header(ECHO_REPLY, xid, 8 + payload.length).bytes(payload)); }

    public static byte[] echoRequest(int xid) { return finish(header(ECHO_REQUEST, xid, 8)); }

    /** miss_send_len 0xffff: whole packets in packet-ins; also what makes OVS send them on a service connection. */
    public static byte[] setConfig(int xid) { return finish(header(SET_CONFIG, xid, 12).u16(0).u16(0xffff)); }

    public static byte[] flowAdd(int xid, Flow f) {
        WireWriter w = header(FLOW_MOD, xid, 96);
        w.u64(f.cookie()).u64(0).u8(f.table()).u8(FC_ADD).u16(0).u16(0).u16(f.priority())
                .u32(ANY).u32(ANY).u32(ANY).u16(0).u16(0);
        f.match().writeTo(w);
        f.instructions().writeTo(w);
        return finish(w);
    }

    /** Removes every flow carrying exactly this cookie, in every table: cookies are unique per flow content. */
    public static byte[] flowDeleteByCookie(int xid, long cookie) {
        WireWriter w = header(FLOW_MOD, xid, 56);
        w.u64(cookie).u64(-1L).u8(TABLE_ALL).u8(FC_DELETE).u16(0).u16(0).u16(0)
                .u32(ANY).u32(ANY).u32(ANY).u16(0).u16(0);
        Match.ANY.writeTo(w);
        return finish(w);
    }

    /** Removes all flows of the bridge (benchmarks and tests; the agent itself reconciles by cookie). */
    public static byte[] flowDeleteAll(int xid) {
        WireWriter w = header(FLOW_MOD, xid, 56);
        w.u64(0).u64(0).u8(TABLE_ALL).u8(FC_DELETE).u16(0).u16(0).u16(0)
                .u32(ANY).u32(ANY).u32(ANY).u16(0).u16(0);
        Match.ANY.writeTo(w);
        return finish(w);
    }

    /** OFPMP_FLOW request for all flows of all tables. */
    public static byte[] flowStatsRequest(int xid) {
        WireWriter w = header(MULTIPART_REQUEST, xid, 56);
        w.u16(1).u16(0).zeros(4)
                .u8(TABLE_ALL).zeros(3).u32(ANY).u32(ANY).zeros(4).u64(0).u64(0);
        Match.ANY.writeTo(w);
        return finish(w);
    }

    public static byte[] bundleControl(int xid, int bundleId, int type, int flags) {
        WireWriter w = header(EXPERIMENTER, xid, 24);
        w.u32(ONF_EXPERIMENTER).u32(ONF_BUNDLE_CONTROL).u32(bundleId & 0xffffffffL).u16(type).u16(flags);
        return finish(w);
    }

    /** Wraps one message into a bundle; the inner message carries the same xid, which OVS requires. */
    public static byte[] bundleAdd(int xid, int bundleId, int flags, byte[] inner) {
        WireWriter w = header(EXPERIMENTER, xid, 24 + inner.length);
        w.u32(ONF_EXPERIMENTER).u32(ONF_BUNDLE_ADD).u32(bundleId & 0xffffffffL).u16(0).u16(flags).bytes(inner);
        return finish(w);
    }

    /** Sends {@code packet} out of {@code outPort} as if it came from the controller. */
    public static byte[] packetOut(int xid, int outPort, byte[] packet) {
        byte[] actions = Actions.of().output(outPort).encoded();
        WireWriter w = header(PACKET_OUT, xid, 24 + actions.length + packet.length);
        w.u32(ANY).u32(Actions.PORT_CONTROLLER & 0xffffffffL).u16(actions.length).zeros(6).bytes(actions).bytes(packet);
        return finish(w);
    }

    /** Sends {@code packet} with the given actions, as received on {@code inPort}. */
    public static byte[] packetOut(int xid, int inPort, Actions actions, byte[] packet) {
        byte[] a = actions.encoded();
        WireWriter w = header(PACKET_OUT, xid, 24 + a.length + packet.length);
        w.u32(ANY).u32(inPort & 0xffffffffL).u16(a.length).zeros(6).bytes(a).bytes(packet);
        return finish(w);
    }

    /** Sends {@code packet} through the pipeline from table 0 as if it arrived on {@code inPort}. */
    public static byte[] packetOutToTable(int xid, int inPort, byte[] packet) {
        byte[] actions = Actions.of().output(0xfffffff9).encoded();   // OFPP_TABLE
        WireWriter w = header(PACKET_OUT, xid, 24 + actions.length + packet.length);
        w.u32(ANY).u32(inPort & 0xffffffffL).u16(actions.length).zeros(6).bytes(actions).bytes(packet);
        return finish(w);
    }
}
