package org.alcor.controller.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Neutron's timestamp format: ISO-8601 UTC to the second, e.g. {@code 2026-11-23T19:05:10Z}. */
public final class Timestamps {
    private Timestamps() {}

    public static String now() { return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(); }
}
