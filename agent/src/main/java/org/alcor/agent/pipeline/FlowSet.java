package org.alcor.agent.pipeline;

import org.alcor.agent.flow.FlowCookie;
import org.alcor.agent.openflow.Flow;
import org.alcor.agent.openflow.Instructions;
import org.alcor.agent.openflow.Match;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects the desired flows. Two flows with the same table, priority and match would overwrite each other in
 * OVS, so the first one added wins and later duplicates are dropped (the builder adds in a stable order).
 */
final class FlowSet {
    private record Key(int table, int priority, Match match) {}

    private final Map<Key, Flow> flows = new LinkedHashMap<>();

    void add(String resource, int table, int priority, Match match, Instructions instructions) {
        Objects.requireNonNull(resource);
        Key k = new Key(table, priority, match);
        if (flows.containsKey(k)) return;
        long cookie = FlowCookie.of(resource, table, priority, match.fields(), instructions.encoded());
        flows.put(k, new Flow(table, priority, cookie, match, instructions));
    }

    /** Adds flows computed earlier (cached); same first-wins rule. */
    void addAll(List<Flow> computed) {
        for (Flow f : computed) flows.putIfAbsent(new Key(f.table(), f.priority(), f.match()), f);
    }

    List<Flow> toList() { return new ArrayList<>(flows.values()); }
}
