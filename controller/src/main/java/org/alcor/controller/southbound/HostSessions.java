package org.alcor.controller.southbound;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.alcor.controller.dataplane.DataplaneEngine;

/** The hosts this controller serves, connected or recently so (their delivery state waits for a reconnect). */
final class HostSessions {
    private final ConcurrentMap<String, HostSession> sessions = new ConcurrentHashMap<>();
    private final SouthboundSettings settings;
    private final DataplaneEngine engine;
    private final AtomicLong messagesSent = new AtomicLong(), bytesSent = new AtomicLong();
    /** This replica's numbering of versions, new at each start (GoalState.epoch). */
    private final String epoch = java.util.UUID.randomUUID().toString();

    HostSessions(SouthboundSettings settings, DataplaneEngine engine) {
        this.settings = settings;
        this.engine = engine;
    }

    HostSession session(String hostId) {
        return sessions.computeIfAbsent(hostId, id -> new HostSession(id, epoch, settings.window(), engine, messagesSent, bytesSent));
    }

    List<HostSession> all() { return List.copyOf(sessions.values()); }

    /** Forgets hosts disconnected longer than the expiry: their delivery state is dropped. */
    void expire() {
        long now = System.nanoTime();
        for (HostSession s : sessions.values()) {
            if (!s.connected() && s.disconnectedForNanos(now) > settings.sessionExpiryMs() * 1_000_000) {
                sessions.remove(s.hostId(), s);
                engine.detach(s.hostId(), s);
            }
        }
    }

    /**
     * Sends each host connected here that another replica owns now to its owner, and forgets it at once (its
     * delivery state is the owner's business now, and this replica's engine stops computing for it).
     */
    int rebalance(Ownership ownership) {
        int moved = 0;
        for (HostSession s : sessions.values()) {
            Ownership.Owner owner = ownership.elsewhere(s.hostId());
            if (owner != null && s.redirect(owner)) {
                forget(s);
                moved++;
            }
        }
        return moved;
    }

    /** Drops a host this replica does not serve. */
    void forget(HostSession s) {
        if (sessions.remove(s.hostId(), s)) engine.detach(s.hostId(), s);
    }

    long connected() { return sessions.values().stream().filter(HostSession::connected).count(); }

    long unacked() { return sessions.values().stream().mapToLong(HostSession::lag).sum(); }

    long messagesSent() { return messagesSent.get(); }

    long bytesSent() { return bytesSent.get(); }
}
