package org.alcor.controller.api;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.alcor.controller.core.Caller;

/** Establishes who a request comes from: noauth headers, or a Keystone token ({@code org.alcor.controller.auth}). */
public interface Authenticator {
    /** The caller; throws an {@code AlcorException} with {@code UNAUTHORIZED} (401) or {@code UNAVAILABLE} (503). */
    Caller authenticate(Function<String, Optional<String>> headers, String requestId);

    /** Headers a 401 carries to tell the client where to authenticate (keystonemiddleware's {@code WWW-Authenticate}). */
    default Map<String, String> challengeHeaders() { return Map.of(); }
}
