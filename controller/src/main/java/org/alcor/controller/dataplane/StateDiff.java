package org.alcor.controller.dataplane;

import com.google.protobuf.Message;
import java.util.Map;
import org.alcor.proto.Operation;

/** What turns what a host was sent into what it should have: CREATE for new, UPDATE for changed, DELETE for gone. */
public final class StateDiff {
    private StateDiff() {}

    /** Adds the changes to out and returns how many there were. */
    public static int diff(Map<StateKey, Message> sent, Map<StateKey, Message> desired, GoalStateAssembler out) {
        int changes = 0;
        for (var e : desired.entrySet()) {
            Message before = sent.get(e.getKey());
            if (before == null) {
                out.put(e.getKey(), e.getValue(), Operation.CREATE);
                changes++;
            } else if (!before.equals(e.getValue())) {
                out.put(e.getKey(), e.getValue(), Operation.UPDATE);
                changes++;
            }
        }
        for (var e : sent.entrySet()) {
            if (!desired.containsKey(e.getKey())) {
                out.put(e.getKey(), e.getValue(), Operation.DELETE);
                changes++;
            }
        }
        return changes;
    }
}
