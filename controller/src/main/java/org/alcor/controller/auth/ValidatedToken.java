package org.alcor.controller.auth;

import java.time.Instant;
import java.util.Set;

/** What Keystone said about a token: its project and role names, and when it expires. */
public record ValidatedToken(String projectId, Set<String> roles, Instant expiresAt) {}
