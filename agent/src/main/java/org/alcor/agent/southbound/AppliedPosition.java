package org.alcor.agent.southbound;

/**
 * How far the agent has applied: a version and the epoch it is numbered in (the controller replica that sent it),
 * read together so a Hello never pairs one replica's epoch with another's version.
 */
public record AppliedPosition(long version, String epoch) {
    public static final AppliedPosition NONE = new AppliedPosition(0, "");
}
