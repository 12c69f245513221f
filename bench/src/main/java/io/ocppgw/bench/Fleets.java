package io.ocppgw.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Charge points spread over several {@link FleetProcess}es (at most {@code perProcess} each, under the
 * per-process file limit), each connecting from its own source address 127.0.0.2–127.0.0.9 so no
 * address runs out of ephemeral ports; read as one.
 */
public final class Fleets implements AutoCloseable {

    /** The fleets' statuses added up; handshake p99 is the worst process's, the last CSMS CALL the latest one's. */
    public record Totals(
            long connected,
            long handshakes,
            long failures,
            long closes,
            double handshakeP99Ms,
            long csmsCalls,
            long lastCsmsCallAtMillis) {}

    private final List<FleetProcess> processes = new ArrayList<>();
    private final long target;

    private Fleets(long target) {
        this.target = target;
    }

    /**
     * @param template the settings every process shares; its count, first index and bind address are set here
     * @param addressOffset where in 127.0.0.2–.9 the first process binds, so groups started together use different addresses
     */
    public static Fleets start(
            Path jar, Path dir, String name, LightFleet.Settings template, int perProcess, int addressOffset)
            throws IOException {
        Fleets f = new Fleets(template.count());
        int processes = (template.count() + perProcess - 1) / perProcess;
        for (int k = 0; k < processes; k++) {
            int first = k * perProcess;
            int count = Math.min(perProcess, template.count() - first);
            String bind = "127.0.0." + (2 + (addressOffset + k) % 8);
            f.processes.add(FleetProcess.start(
                    jar,
                    dir,
                    name + "-" + k,
                    new LightFleet.Settings(
                            template.urls(),
                            count,
                            template.idPrefix(),
                            template.firstIndex() + first,
                            Optional.of(bind),
                            template.password(),
                            template.backoff(),
                            template.connectsPerSecond(),
                            template.maxInFlight(),
                            template.callInterval(),
                            template.calls())));
        }
        return f;
    }

    public static List<URI> urls(String... urls) {
        return java.util.Arrays.stream(urls).map(URI::create).toList();
    }

    public long target() {
        return target;
    }

    /** The fleet processes' ids. */
    public List<Long> pids() {
        return processes.stream().map(FleetProcess::pid).toList();
    }

    public Totals totals() {
        long connected = 0;
        long handshakes = 0;
        long failures = 0;
        long closes = 0;
        double p99 = 0;
        long csmsCalls = 0;
        long lastCsmsCall = 0;
        for (FleetProcess p : processes) {
            Optional<LightFleet.Snapshot> s = p.status();
            if (s.isPresent()) {
                connected += s.get().connected();
                handshakes += s.get().handshakes();
                failures += s.get().failures().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                closes += s.get().closes();
                p99 = Math.max(p99, s.get().handshakeP99Ms());
                csmsCalls += s.get().csmsCalls();
                lastCsmsCall = Math.max(lastCsmsCall, s.get().lastCsmsCallAtMillis());
            }
        }
        return new Totals(connected, handshakes, failures, closes, p99, csmsCalls, lastCsmsCall);
    }

    /**
     * Polls every 250 ms until the groups together hold {@code want} connections, or nothing moved for
     * {@code stall}; feeds each poll (seconds, connected) to {@code onPoll}. The seconds it took, or NaN.
     */
    public static double awaitConnected(
            List<Fleets> groups, long want, Duration stall, java.util.function.BiConsumer<Double, Long> onPoll)
            throws InterruptedException {
        long start = System.nanoTime();
        long best = -1;
        long lastProgress = start;
        while (true) {
            long connected =
                    groups.stream().mapToLong(f -> f.totals().connected()).sum();
            double seconds = (System.nanoTime() - start) / 1e9;
            onPoll.accept(seconds, connected);
            if (connected >= want) {
                return seconds;
            }
            if (connected > best) {
                best = connected;
                lastProgress = System.nanoTime();
            }
            if (System.nanoTime() - lastProgress > stall.toNanos()) {
                return Double.NaN;
            }
            Thread.sleep(250);
        }
    }

    /** Stops every process; the message ids their charge points had answered. */
    public List<String> stop() throws IOException, InterruptedException {
        List<String> acked = new ArrayList<>();
        for (FleetProcess p : processes) {
            acked.addAll(p.stop());
        }
        return acked;
    }

    @Override
    public void close() {
        processes.forEach(FleetProcess::close);
    }
}
