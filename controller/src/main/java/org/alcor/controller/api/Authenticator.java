package org.alcor.controller.api;

import java.util.Optional;
import java.util.function.Function;
import org.alcor.controller.core.Caller;

/** Establishes who a request comes from (noauth headers today; Keystone tokens later). */
public interface Authenticator {
    Caller authenticate(Function<String, Optional<String>> headers, String requestId);
}
