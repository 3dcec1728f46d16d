package org.alcor.controller.southbound;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.alcor.proto.PathAnnouncement;
import org.alcor.proto.SouthboundPath;

/**
 * Chooses each host's path once a second ({@link MqSettings.Mode}) and moves the quiet hosts that are on the wrong
 * one; gives up moves that did not complete in time (rollback) and leaves such a host alone for a while, so a broker
 * that cannot be reached costs one announcement per host per retry period, not a storm.
 */
final class PathSteering {
    private static final Logger LOG = Logger.getLogger(PathSteering.class.getName());
    private static final PathAnnouncement TO_GRPC = PathAnnouncement.newBuilder().setPath(SouthboundPath.GRPC).build();
    /**
     * Moves in flight at most: each ends with a Hello the controller must read and attach before the move times out.
     * All 10,000 hosts of a bench at once came in too late for 8,051 of them (rolled back, then their late Hellos
     * opened streams all the same: churn, and once a host lost).
     */
    static final int MAX_MOVES_IN_FLIGHT = 1_000;

    private final MqSettings settings;
    private final KafkaSouthbound kafka;
    private final Map<String, Long> notBefore = new ConcurrentHashMap<>();
    /** The settings' mode until an operator changes it ({@link #mode(MqSettings.Mode)}). */
    private volatile MqSettings.Mode mode;
    final AtomicLong moves = new AtomicLong(), rollbacks = new AtomicLong();

    PathSteering(MqSettings settings, KafkaSouthbound kafka) {
        this.settings = settings;
        this.kafka = kafka;
        this.mode = settings.mode();
    }

    /** From the next sweep on, hosts are moved to the paths this mode chooses (e.g. grpc drains Kafka). */
    void mode(MqSettings.Mode mode) {
        this.mode = mode;
        LOG.info(() -> "southbound: path mode is now " + mode.name().toLowerCase());
    }

    void run(List<HostSession> sessions) {
        long now = System.nanoTime();
        int onGrpc = 0, inFlight = 0;
        for (HostSession s : sessions) {
            if (s.rollBackIfLate(now)) {
                rollbacks.incrementAndGet();
                notBefore.put(s.hostId(), now + TimeUnit.MILLISECONDS.toNanos(settings.retryAfterMs()));
                LOG.warning(() -> "southbound: host " + s.hostId() + " did not say Hello on its new path within "
                        + settings.moveTimeoutMs() + " ms; it stays where it was");
                s.onReady();
            }
            // A host being moved counts where it is going: otherwise each sweep moves more while the last moves finish.
            SouthboundPath path = s.path();
            if (path != null && (path == SouthboundPath.GRPC) != s.moving()) onGrpc++;
            if (s.moving()) inFlight++;
        }
        int room = MAX_MOVES_IN_FLIGHT - inFlight;
        MqSettings.Mode mode = this.mode;
        int toMq = switch (mode) {
            case GRPC -> 0;
            case MQ -> Integer.MAX_VALUE;
            case AUTO -> onGrpc - settings.grpcMaxHosts();
        };
        int toGrpc = switch (mode) {
            case GRPC -> Integer.MAX_VALUE;
            case MQ -> 0;
            case AUTO -> (int) (settings.grpcMaxHosts() * 0.9) - onGrpc;
        };
        for (HostSession s : sessions) {
            if ((toMq <= 0 && toGrpc <= 0) || room <= 0) return;
            SouthboundPath path = s.path();
            if (path == null || !s.quiet() || now < notBefore.getOrDefault(s.hostId(), Long.MIN_VALUE)) continue;
            if (path == SouthboundPath.GRPC && toMq > 0 && s.readsMq()) {
                if (move(s, kafka.announcement(s.hostId()))) {
                    toMq--;
                    room--;
                }
            } else if (path == SouthboundPath.MQ && toGrpc > 0) {
                if (move(s, TO_GRPC)) {
                    toGrpc--;
                    room--;
                }
            }
        }
    }

    private boolean move(HostSession s, PathAnnouncement to) {
        if (!s.announce(to, TimeUnit.MILLISECONDS.toNanos(settings.moveTimeoutMs()))) return false;
        moves.incrementAndGet();
        notBefore.remove(s.hostId());
        LOG.fine(() -> "southbound: moving host " + s.hostId() + " to " + to.getPath());
        return true;
    }
}
