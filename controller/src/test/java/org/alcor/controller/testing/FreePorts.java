package org.alcor.controller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free loopback ports, so test controllers never join each other's Ignite cluster or API port. Taken below the
 * kernel's ephemeral range (32768 and up here): a port the OS picks for port 0 is also what it hands outgoing
 * connections, so one chosen that way could be taken by any process's connect() before the controller that was to
 * listen on it started (seen: a replica of ReplicaKillAgentsTest failed to bind its API port while the other replicas'
 * Ignite nodes were connecting). Each JVM starts at its own place in the range, and a port is only offered if it binds.
 */
public final class FreePorts {
    private static final int LOW = 20_000, SIZE = 12_000;
    private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() * 7_919 % SIZE));

    private FreePorts() {}

    public static int next() {
        for (int tries = 0; tries < SIZE; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement(), SIZE);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in " + LOW + "-" + (LOW + SIZE - 1)));
    }
}
