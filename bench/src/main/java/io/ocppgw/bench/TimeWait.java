package io.ocppgw.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Closed connections that Linux keeps in TIME_WAIT for 60 s, each holding a local port: a case that
 * opens 19,000 loopback connections right after one that closed 100,000 finds its ephemeral ports
 * taken and measures that instead of the pod (the handshake rate fell from 2,900/s to 450/s).
 */
final class TimeWait {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String STATE_TIME_WAIT = "06";

    private TimeWait() {}

    /** Sockets in TIME_WAIT now; 0 where {@code /proc/net/tcp} does not exist. */
    static long count() {
        long n = 0;
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(table)) {
                n += lines.skip(1).filter(TimeWait::isTimeWait).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    /** Waits until fewer than {@code limit} are left, at most {@code max}; returns the seconds waited. */
    static double awaitBelow(long limit, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (count() >= limit && System.nanoTime() < deadline) {
            Thread.sleep(2000);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** A row of /proc/net/tcp: "sl local_address rem_address st ...", the state in hex. */
    static boolean isTimeWait(String row) {
        String[] fields = row.trim().split("\\s+", 5);
        return fields.length > 3 && STATE_TIME_WAIT.equals(fields[3]);
    }
}
