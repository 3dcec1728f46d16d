package org.alcor.controller.southbound;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.alcor.controller.dataplane.DataplaneEngine;

/** The hosts this controller serves, connected or recently so (their outboxes wait for a reconnect). */
final class HostSessions {
    private final ConcurrentMap<String, HostSession> sessions = new ConcurrentHashMap<>();
    private final SouthboundSettings settings;

    HostSessions(SouthboundSettings settings) { this.settings = settings; }

    HostSession session(String hostId) {
        return sessions.computeIfAbsent(hostId, id -> new HostSession(id, settings.maxUnacked()));
    }

    List<HostSession> all() { return List.copyOf(sessions.values()); }

    /** One sweep: resends overdue outboxes, forgets hosts gone longer than the expiry. Returns messages resent. */
    int sweep(DataplaneEngine engine) {
        long now = System.nanoTime();
        int resent = 0;
        for (HostSession s : sessions.values()) {
            resent += s.resendIfOverdue(now, settings.resendAfterMs() * 1_000_000);
            if (!s.connected() && s.disconnectedForNanos(now) > settings.sessionExpiryMs() * 1_000_000) {
                sessions.remove(s.hostId(), s);
                engine.detach(s.hostId(), s);
            }
        }
        return resent;
    }

    long connected() { return sessions.values().stream().filter(HostSession::connected).count(); }

    long unacked() { return sessions.values().stream().mapToLong(HostSession::lag).sum(); }
}
