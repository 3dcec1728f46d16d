package org.alcor.agent.flow;

import org.alcor.agent.openflow.Flow;

import java.util.List;

/**
 * What must change on the bridge: cookies to delete and flows to add. A changed flow is a delete of its old
 * cookie plus an add of the new one; when the match and priority are unchanged the add alone would replace it,
 * and the delete then finds nothing, so the pair is safe in one atomic bundle either way.
 */
public record FlowDelta(List<Long> deletes, List<Flow> adds) {
    public boolean isEmpty() { return deletes.isEmpty() && adds.isEmpty(); }

    public int size() { return deletes.size() + adds.size(); }
}
