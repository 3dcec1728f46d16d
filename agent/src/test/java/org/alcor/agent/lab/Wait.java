package org.alcor.agent.lab;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline: the tests' only way to wait (no sleeps as synchronisation). */
public final class Wait {
    private Wait() {}

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) return;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            try { Thread.sleep(50); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new AssertionError("interrupted"); }
        }
    }
}
