package io.ocppgw.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for processes of a scenario to get somewhere, with a named give-up. */
final class Waits {

    private Waits() {}

    /** Something a scenario does that may fail or be interrupted (a fault, a restart). */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
