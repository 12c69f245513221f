package io.ocppgw.launcher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a long-running subcommand lives: until SIGTERM or Ctrl-C, then a clean close and exit 0; or until
 * the app says it failed for good, then a clean close and exit 1 with the reason on stderr.
 */
final class Serving {

    private Serving() {}

    /** Blocks until the JVM is asked to stop; then closes {@code app} (it drains) and exits 0, not the JVM's 143. */
    static int untilStopped(AutoCloseable app, String name) throws InterruptedException {
        return untilStopped(app, name, new CompletableFuture<>());
    }

    /** As {@link #untilStopped(AutoCloseable, String)}, or until {@code failure} completes: then the exit code is 1. */
    static int untilStopped(AutoCloseable app, String name, CompletableFuture<String> failure)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    app.close();
                } catch (Exception e) {
                    System.err.println(name + " did not stop cleanly: " + e);
                }
            }
        };
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            closeOnce.run();
                            stopped.countDown();
                            Runtime.getRuntime().halt(exitCode.get());
                        },
                        name + "-shutdown"));
        failure.whenComplete((why, error) -> {
            exitCode.set(1);
            System.err.println(name + " failed and stops: " + (why != null ? why : error));
            stopped.countDown();
        });
        stopped.await();
        if (exitCode.get() != 0) {
            closeOnce.run();
        }
        return exitCode.get();
    }
}
