package org.alcor.controller.dataplane;

/** Where the engine delivers one host's goal states (the southbound session of a connected host). */
public interface HostSink {
    /** Sends one goal state, a delta or a full snapshot. Called from the engine's thread only, in version order. */
    void send(GoalStateAssembler goalState);
}
