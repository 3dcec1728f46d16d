package org.alcor.bench;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Outcome for one URL. {@code failure} is set when the URL was unreachable or refused the network/subnet,
 * in which case there are no phases; {@code warmup} is kept apart because it is not part of the comparison.
 */
record UrlResult(URI url, String failure, PhaseResult warmup, List<PhaseResult> phases, List<ListTimings.Timing> lists) {
    UrlResult {
        phases = List.copyOf(phases);
        lists = List.copyOf(lists);
    }

    static UrlResult failed(URI url, String failure) {
        return new UrlResult(url, failure, null, List.of(), List.of());
    }

    boolean ok() {
        return failure == null;
    }

    Optional<PhaseResult> phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
