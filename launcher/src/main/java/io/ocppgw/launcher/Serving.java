package io.ocppgw.launcher;

import java.util.concurrent.CountDownLatch;

/** How a long-running subcommand lives: until SIGTERM or Ctrl-C, then a clean close and exit 0. */
final class Serving {

    private Serving() {
    }

    /** Blocks until the JVM is asked to stop; then closes {@code app} (it drains) and exits 0, not the JVM's 143. */
    static int untilStopped(AutoCloseable app, String name) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println(name + " did not stop cleanly: " + e);
            }
            stopped.countDown();
            Runtime.getRuntime().halt(0);
        }, name + "-shutdown"));
        stopped.await();
        return 0;
    }
}
