package org.alcor.agent.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches the Interface table over OVSDB's JSON-RPC {@code monitor} (RFC 7047) on ovsdb-server's unix socket:
 * one connection, pushed updates, no polling and no processes. Reports the map iface-id → ofport of every
 * interface that has both (what Nova and CNI plugins set when they plug a VM), after each change.
 * Reconnects with backoff when ovsdb-server goes away.
 */
public final class InterfaceMonitor implements AutoCloseable {
    private record Row(String name, long ofport, String ifaceId) {}

    private final Path socket;
    private final Consumer<Map<String, Integer>> listener;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Row> rows = new HashMap<>();
    private final Map<String, Integer> ofportByName = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile SocketChannel channel;

    public InterfaceMonitor(Path socket, Consumer<Map<String, Integer>> listener) {
        this.socket = socket;
        this.listener = listener;
        this.thread = new Thread(this::run, "ovsdb-monitor");
        this.thread.setDaemon(true);
    }

    public void start() { thread.start(); }

    /** ofport of an interface by name (e.g. the tunnel port), or -1. */
    public int ofportOf(String name) { return ofportByName.getOrDefault(name, -1); }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                channel = ch;
                backoff = 100;
                rows.clear();
                String req = "{\"id\":0,\"method\":\"monitor\",\"params\":[\"Open_vSwitch\",null,"
                        + "{\"Interface\":{\"columns\":[\"name\",\"ofport\",\"external_ids\"]}}]}";
                write(ch, req);
                InputStream in = Channels.newInputStream(ch);
                try (MappingIterator<JsonNode> it = json.readerFor(JsonNode.class).readValues(in)) {
                    while (it.hasNext()) handle(ch, it.next());
                }
            } catch (IOException | RuntimeException e) {
                if (closed) return;
            }
            try { Thread.sleep(backoff); } catch (InterruptedException e) { return; }
            backoff = Math.min(backoff * 2, 2000);
        }
    }

    private void handle(SocketChannel ch, JsonNode msg) throws IOException {
        String method = msg.path("method").asText("");
        if (method.equals("echo")) {
            ObjectNode reply = json.createObjectNode();
            reply.set("id", msg.get("id"));
            reply.set("result", msg.get("params"));
            reply.putNull("error");
            write(ch, json.writeValueAsString(reply));
            return;
        }
        JsonNode updates;
        if (method.equals("update")) updates = msg.path("params").path(1);
        else if (msg.has("result") && msg.path("id").asInt(-1) == 0) updates = msg.get("result");
        else return;
        Iterator<Map.Entry<String, JsonNode>> it = updates.path("Interface").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode nu = e.getValue().get("new");
            if (nu == null) rows.remove(e.getKey());
            else rows.put(e.getKey(), parseRow(nu));
        }
        Map<String, Integer> plugged = new HashMap<>();
        ofportByName.clear();
        for (Row r : rows.values()) {
            if (r.ofport() > 0) ofportByName.put(r.name(), (int) r.ofport());
            if (r.ifaceId() != null && r.ofport() > 0) plugged.put(r.ifaceId(), (int) r.ofport());
        }
        listener.accept(Map.copyOf(plugged));
    }

    private static Row parseRow(JsonNode n) {
        JsonNode of = n.path("ofport");
        long ofport = of.isNumber() ? of.asLong() : -1;       // ["set",[]] until vswitchd assigns one
        String ifaceId = null;
        JsonNode ext = n.path("external_ids");
        if (ext.isArray() && ext.path(0).asText().equals("map")) {
            for (JsonNode kv : ext.path(1)) if (kv.path(0).asText().equals("iface-id")) ifaceId = kv.path(1).asText();
        }
        return new Row(n.path("name").asText(""), ofport, ifaceId);
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
    }

    @Override public void close() {
        closed = true;
        SocketChannel ch = channel;
        if (ch != null) try { ch.close(); } catch (IOException ignored) { /* closing */ }
        thread.interrupt();
    }
}
