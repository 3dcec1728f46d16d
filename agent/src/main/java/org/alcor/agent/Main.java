package org.alcor.agent;

/**
 * {@code bin/alcor agent}: the per-host agent. It arrives with the southbound goal-state stream (issue 4) and the
 * Open vSwitch programming (issue 5); until then it says so instead of pretending to run.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("alcor agent: not available yet: the controller does not push goal states in this version");
        System.exit(2);
    }
}
