package org.alcor.agent.flow;

import org.alcor.agent.openflow.Flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Desired and installed flow tables (the ofctrl model of OVN): the pipeline computes the desired table from the
 * goal state with no I/O; the installed table is what the switch confirmed (after a committed bundle and a
 * barrier) or what a flow dump showed after a (re)connect. Only the difference is ever sent.
 * Not thread-safe: owned by the agent's apply thread.
 */
public final class FlowTables {
    private Map<Long, Flow> desired = Map.of();
    /** Installed cookies; the value is the flow when this agent installed it, null when only seen in a dump. */
    private final Map<Long, Flow> installed = new HashMap<>();

    public void setDesired(Collection<Flow> flows) {
        Map<Long, Flow> d = new HashMap<>(flows.size() * 2);
        for (Flow f : flows) d.put(f.cookie(), f);
        desired = d;
    }

    public Map<Long, Flow> desired() { return desired; }

    public int installedCount() { return installed.size(); }

    /** After a (re)connect: forget what we believed and take what the switch reports. */
    public void resetInstalled(Collection<Long> cookies) {
        installed.clear();
        for (long c : cookies) installed.put(c, null);
    }

    /** Whether the switch (its flow dump's cookies) holds exactly what is installed here. */
    public boolean installedAre(Collection<Long> cookies) {
        if (cookies.size() != installed.size()) return false;
        for (long c : cookies) if (!installed.containsKey(c)) return false;
        return true;
    }

    public FlowDelta delta() {
        List<Long> deletes = new ArrayList<>();
        for (Long c : installed.keySet()) if (!desired.containsKey(c)) deletes.add(c);
        List<Flow> adds = new ArrayList<>();
        for (Flow f : desired.values()) if (!installed.containsKey(f.cookie())) adds.add(f);
        // table order makes a fresh pipeline read naturally in dumps; OVS applies the bundle atomically anyway
        adds.sort((a, b) -> a.table() != b.table() ? Integer.compare(a.table(), b.table()) : Integer.compare(b.priority(), a.priority()));
        return new FlowDelta(deletes, adds);
    }

    /** Called once the switch has committed {@code delta} and answered the barrier after it. */
    public void markApplied(FlowDelta delta) {
        for (long c : delta.deletes()) installed.remove(c);
        for (Flow f : delta.adds()) installed.put(f.cookie(), f);
    }
}
