package org.alcor.agent.lab;

import org.alcor.agent.AgentConfig;
import org.alcor.agent.AgentCore;
import org.alcor.agent.NeighborLookup;
import org.alcor.proto.GoalStateAck;
import org.alcor.proto.ResourceResult;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An agent core on one lab host with its acks collected, as the stream client would forward them. */
public final class TestAgent implements AutoCloseable {
    public final AgentCore core;
    private final List<GoalStateAck> acks = new ArrayList<>();

    public TestAgent(OvsLab.Host h, NeighborLookup lookup) throws IOException {
        AgentConfig cfg = new AgentConfig("host-" + h.n, h.ovsDb(), "br-int", h.underlayIp, h.mgmt(), "netdev", 50_000, 10_000);
        core = new AgentCore(cfg, this::record, lookup);
        core.start();
    }

    private synchronized void record(GoalStateAck a) { acks.add(a); }

    public synchronized List<GoalStateAck> acks() { return List.copyOf(acks); }

    /** Waits until {@code version} was acked with every result ok and the port (if given) reported ok. */
    public void awaitApplied(long version, String... ports) {
        Wait.until(Duration.ofSeconds(20), "host " + core.hostId() + " applies v" + version, () -> {
            if (core.appliedVersion() < version) return false;
            for (String p : ports) {
                boolean reported = acks().stream().flatMap(a -> a.getResultsList().stream())
                        .anyMatch(r -> r.getResourceId().equals(p) && r.getOk());
                if (!reported) return false;
            }
            // an error ack may come first (switch down); the latest ack of the version is what counts
            List<GoalStateAck> mine = acks().stream().filter(a -> a.getVersion() == version).toList();
            return mine.isEmpty() || mine.get(mine.size() - 1).getResultsList().stream().allMatch(ResourceResult::getOk);
        });
    }

    @Override public void close() { core.close(); }
}
