package org.alcor.controller.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.alcor.controller.core.AlcorException;
import org.alcor.controller.core.Caller;

/**
 * Neutron's noauth: the project comes from {@code X-Project-Id} (or the older {@code X-Tenant-Id}), roles from
 * {@code X-Roles}; with no project header the caller is admin in {@code fake_project_id}, as Neutron does.
 */
public final class NoAuth implements Authenticator {
    private static final Pattern PROJECT = Pattern.compile("^[A-Za-z0-9_.:@-]{1,255}$");

    @Override
    public Caller authenticate(Function<String, Optional<String>> headers, String requestId) {
        Optional<String> project = headers.apply("X-Project-Id").or(() -> headers.apply("X-Tenant-Id")).filter(p -> !p.isBlank());
        if (project.isEmpty()) return Caller.admin(requestId);
        if (!PROJECT.matcher(project.get()).matches()) throw AlcorException.badRequest("Invalid X-Project-Id header.");
        Set<String> roles = headers.apply("X-Roles").map(r -> Arrays.stream(r.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
        return new Caller(project.get(), roles.contains("admin"), roles, requestId);
    }
}
