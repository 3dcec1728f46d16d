package org.alcor.agent.openflow;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One persistent OpenFlow 1.3 session with a bridge over its management socket ({@code <rundir>/<bridge>.mgmt},
 * a {@code punix:} service listener every OVS bridge has).
 * <p>
 * Why the mgmt socket and not {@code set-controller tcp:}: it needs no Controller record, so attaching the agent
 * never flushes the bridge's flows (OVS flushes when the first controller is added or the last removed); it is a
 * file, so an agent reaches a vswitchd in another network namespace (where 127.0.0.1 is not its own); and an
 * agent restart does not make vswitchd fall back to fail-mode behaviour. A service connection receives
 * packet-ins once it sets a non-zero miss_send_len, which {@link #open} does.
 * <p>
 * Threads: one reader thread dispatches replies by xid, answers echo requests and hands packet-ins to the
 * listener; any thread may send (writes are serialised).
 */
public final class OfConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final AtomicInteger xids = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<byte[]>> replies = new ConcurrentHashMap<>();
    private final Map<Integer, MultipartCollector> multiparts = new ConcurrentHashMap<>();
    private final Consumer<PacketIn> packetIns;
    private final Consumer<OfError> errors;
    private final Object writeLock = new Object();
    private final Thread reader;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Errors no waiter claimed (e.g. a rejected bundle_add): callers check their xid range after a barrier. */
    private final java.util.concurrent.ConcurrentLinkedQueue<OfError> unclaimed = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record MultipartCollector(CompletableFuture<List<byte[]>> done, List<byte[]> parts) {}

    private OfConnection(SocketChannel channel, Consumer<PacketIn> packetIns, Consumer<OfError> errors) {
        this.channel = channel;
        this.packetIns = packetIns;
        this.errors = errors;
        this.reader = new Thread(this::readLoop, "openflow-reader");
        this.reader.setDaemon(true);
    }

    /** Connects, says hello, asks for packet-ins and starts reading. */
    public static OfConnection open(Path mgmtSocket, Consumer<PacketIn> packetIns, Consumer<OfError> errors) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(mgmtSocket));
        OfConnection c = new OfConnection(ch, packetIns, errors);
        c.send(OfMessages.hello(c.nextXid()));
        c.send(OfMessages.setConfig(c.nextXid()));
        c.reader.start();
        return c;
    }

    public int nextXid() { return xids.getAndIncrement(); }

    public boolean isOpen() { return channel.isOpen() && !closed.isDone(); }

    public CompletableFuture<Void> closedFuture() { return closed; }

    /** One message (a packet-out, a barrier): written as is, without the batching buffer. */
    public void send(byte[] msg) {
        synchronized (writeLock) {
            try {
                writeFully(ByteBuffer.wrap(msg));
            } catch (IOException e) {
                close();
                throw new OfException("OpenFlow connection lost: " + e.getMessage(), e);
            }
        }
    }

    /** Writes many messages with few system calls: bundles of 100k flows are one stream of bytes. */
    public void sendAll(List<byte[]> msgs) {
        synchronized (writeLock) {
            try {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                for (byte[] m : msgs) {
                    if (m.length > buf.remaining()) {
                        flush(buf);
                        if (m.length > buf.capacity()) { writeFully(ByteBuffer.wrap(m)); continue; }
                    }
                    buf.put(m);
                }
                flush(buf);
            } catch (IOException e) {
                close();
                throw new OfException("OpenFlow connection lost: " + e.getMessage(), e);
            }
        }
    }

    private void flush(ByteBuffer buf) throws IOException {
        buf.flip();
        writeFully(buf);
        buf.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) channel.write(b);
    }

    /** Registers for the reply to {@code xid} before sending it, so a fast reply cannot be missed. */
    public CompletableFuture<byte[]> expectReply(int xid) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        replies.put(xid, f);
        if (closed.isDone()) f.completeExceptionally(new OfException("OpenFlow connection closed"));
        return f;
    }

    public CompletableFuture<byte[]> barrier() {
        int xid = nextXid();
        CompletableFuture<byte[]> f = expectReply(xid);
        send(OfMessages.barrier(xid));
        return f;
    }

    /** Every installed flow (cookie, table, priority, age, packets), from one OFPMP_FLOW request. */
    public CompletableFuture<List<InstalledFlow>> dumpFlows() {
        int xid = nextXid();
        MultipartCollector c = new MultipartCollector(new CompletableFuture<>(), new ArrayList<>());
        multiparts.put(xid, c);
        send(OfMessages.flowStatsRequest(xid));
        return c.done().thenApply(parts -> {
            List<InstalledFlow> flows = new ArrayList<>();
            for (byte[] p : parts) InstalledFlow.parseEntries(p, flows);
            return flows;
        });
    }

    /** Removes and returns the unclaimed errors whose xid lies in [fromXid, toXid]. */
    public List<OfError> takeErrors(int fromXid, int toXid) {
        List<OfError> out = new ArrayList<>();
        unclaimed.removeIf(e -> {
            boolean mine = Integer.compareUnsigned(e.xid(), fromXid) >= 0 && Integer.compareUnsigned(e.xid(), toXid) <= 0;
            if (mine) out.add(e);
            return mine;
        });
        return out;
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try {
            while (true) {
                if (channel.read(buf) < 0) break;
                buf.flip();
                while (buf.remaining() >= 8) {
                    int len = Short.toUnsignedInt(buf.getShort(buf.position() + 2));
                    if (len < 8) throw new IOException("bad OpenFlow length " + len);
                    if (buf.remaining() < len) break;
                    byte[] msg = new byte[len];
                    buf.get(msg);
                    dispatch(msg);
                }
                buf.compact();
                if (!buf.hasRemaining()) {   // a message larger than the buffer: grow it
                    ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
                    buf.flip();
                    bigger.put(buf);
                    buf = bigger;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the connection is gone; close() below fails every waiter
        }
        close();
    }

    private void dispatch(byte[] msg) {
        int type = msg[1] & 0xff;
        int xid = (int) WireReader.u32(msg, 4);
        switch (type) {
            case OfMessages.ECHO_REQUEST -> send(OfMessages.echoReply(xid, java.util.Arrays.copyOfRange(msg, 8, msg.length)));
            case OfMessages.PACKET_IN -> packetIns.accept(PacketIn.parse(msg));
            case OfMessages.ERROR -> {
                OfError err = new OfError(xid, WireReader.u16(msg, 8), WireReader.u16(msg, 10));
                errors.accept(err);
                CompletableFuture<byte[]> f = replies.remove(xid);
                if (f != null) f.completeExceptionally(new OfException(err.toString()));
                MultipartCollector c = multiparts.remove(xid);
                if (c != null) c.done().completeExceptionally(new OfException(err.toString()));
                if (f == null && c == null) {
                    unclaimed.add(err);
                    while (unclaimed.size() > 1000) unclaimed.poll();
                }
            }
            case OfMessages.MULTIPART_REPLY -> {
                MultipartCollector c = multiparts.get(xid);
                if (c == null) return;
                c.parts().add(msg);
                boolean more = (WireReader.u16(msg, 10) & 1) != 0;
                if (!more) { multiparts.remove(xid); c.done().complete(c.parts()); }
            }
            default -> {
                CompletableFuture<byte[]> f = replies.remove(xid);
                if (f != null) f.complete(msg);
            }
        }
    }

    @Override public void close() {
        try { channel.close(); } catch (IOException ignored) { /* closing anyway */ }
        OfException gone = new OfException("OpenFlow connection closed");
        replies.values().forEach(f -> f.completeExceptionally(gone));
        replies.clear();
        multiparts.values().forEach(c -> c.done().completeExceptionally(gone));
        multiparts.clear();
        closed.complete(null);
    }
}
