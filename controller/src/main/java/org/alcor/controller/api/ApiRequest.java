package org.alcor.controller.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.alcor.controller.core.Caller;

/** An authenticated request as the API layer sees it, free of the web server's types. Segments follow "/v2.0". */
public record ApiRequest(String method, List<String> segments, Map<String, List<String>> query,
                         Function<String, Optional<String>> headers, byte[] body, Caller caller) {

    public Optional<String> header(String name) { return headers.apply(name); }
}
