package org.alcor.controller.core;

import java.util.Set;

/** Who is asking: every read and write is scoped to {@code projectId} unless the caller is admin. */
public record Caller(String projectId, boolean admin, Set<String> roles, String requestId) {

    public boolean canSee(String ownerProject) { return admin || projectId.equals(ownerProject); }

    public static Caller admin(String requestId) { return new Caller("fake_project_id", true, Set.of("admin"), requestId); }
}
