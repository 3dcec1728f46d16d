package org.alcor.controller.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, never on a fixed sleep: a slow machine only makes a test slower. */
public final class Await {
    private static final Duration DEFAULT = Duration.ofSeconds(30);

    private Await() {}

    public static void until(String what, BooleanSupplier condition) { until(what, DEFAULT, condition); }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Waits until the value satisfies the condition, and returns it; the failure names the last value seen. */
    public static <T> T value(String what, Supplier<T> value, java.util.function.Predicate<T> condition) {
        long deadline = System.nanoTime() + DEFAULT.toNanos();
        T last = value.get();
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "; last: " + last);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
            last = value.get();
        }
        return last;
    }
}
