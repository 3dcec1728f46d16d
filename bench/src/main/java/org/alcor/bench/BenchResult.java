package org.alcor.bench;

import java.util.List;

/** Everything one northbound run measured, for the comparison report and for tests. */
record BenchResult(List<UrlResult> urls) {
    BenchResult {
        urls = List.copyOf(urls);
    }

    /** Non-zero when any URL produced no measurements, so scripts notice a half-empty comparison. */
    int exitCode() {
        return urls.stream().allMatch(UrlResult::ok) ? 0 : 1;
    }

    UrlResult url(int i) {
        return urls.get(i);
    }
}
