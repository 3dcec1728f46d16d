package org.alcor.agent.southbound;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The controller replicas an agent knows (its {@code --controller a:9697,b:9697,...}) and the one it talks to now.
 * A replica that does not own the host says which one does ({@code Redirect}): the agent goes there. When a
 * stream fails the agent tries the next address it was given, and whoever answers sends it on to its owner; so
 * losing a replica strands no host that knows another. One channel per address, made when first needed.
 */
public final class Controllers implements AutoCloseable {
    private final List<String> given;
    private final Function<String, ManagedChannel> dial;
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private String current;                         // guarded by this
    private int next;                               // guarded by this: the given address tried after a failure

    /** addresses: host:port each; dial opens a channel to one (with the agent's TLS). */
    public Controllers(List<String> addresses, Function<String, ManagedChannel> dial) {
        if (addresses.isEmpty()) throw new IllegalArgumentException("at least one controller address is needed");
        for (String a : addresses) hostPort(a);
        this.given = List.copyOf(addresses);
        this.dial = dial;
        this.current = given.getFirst();
        this.next = 1 % given.size();
    }

    /** One controller, on a channel made elsewhere (tests). */
    public static Controllers of(ManagedChannel channel) {
        return new Controllers(List.of("given:0"), address -> channel);
    }

    /** host:port split, the port checked. */
    public static Map.Entry<String, Integer> hostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("a controller address is HOST:PORT, not '" + address + "'");
        try {
            return Map.entry(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a controller address is HOST:PORT, not '" + address + "'");
        }
    }

    /** The channel to the replica talked to now. */
    public synchronized ManagedChannel channel() { return channels.computeIfAbsent(current, dial); }

    public synchronized String current() { return current; }

    /** The owner is there: talk to it from now on. */
    public synchronized void redirect(String ownerAddress) {
        hostPort(ownerAddress);
        current = ownerAddress;
    }

    /** The stream failed: try the next given address (the same one when only one was given). */
    public synchronized void failed() {
        current = given.get(next);
        next = (next + 1) % given.size();
    }

    @Override
    public void close() {
        List<ManagedChannel> all;
        synchronized (this) {
            all = new ArrayList<>(channels.values());
            channels.clear();
        }
        for (ManagedChannel c : all) c.shutdownNow();
        for (ManagedChannel c : all) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
