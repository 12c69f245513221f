package io.ocppgw.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters a fleet of simulated charge points shares: for live progress and for tests. Thread-safe. */
public final class FleetStats {

    private final AtomicInteger connected = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder everConnected = new LongAdder();
    /** Connection attempts that failed, by why (an HTTP status of a refused upgrade, or the socket's error). */
    private final Map<String, LongAdder> refused = new ConcurrentSkipListMap<>();

    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toMicros(5), 3);
    private final Histogram total = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);

    void connected(boolean first) {
        connected.incrementAndGet();
        if (first) {
            everConnected.increment();
        }
    }

    void refused(String why) {
        refused.computeIfAbsent(why, w -> new LongAdder()).increment();
    }

    void disconnected() {
        connected.decrementAndGet();
    }

    void reconnecting() {
        reconnects.increment();
    }

    void sent() {
        sent.increment();
    }

    void answered(long micros, boolean ok) {
        if (ok) {
            acked.increment();
        } else {
            errors.increment();
        }
        latency.recordValue(Math.min(micros, TimeUnit.MINUTES.toMicros(5)));
    }

    void failed() {
        errors.increment();
    }

    /** A snapshot; latency percentiles cover the interval since the previous snapshot. */
    public synchronized Snapshot snapshot() {
        Histogram interval = latency.getIntervalHistogram();
        total.add(interval);
        Map<String, Long> why = new TreeMap<>();
        refused.forEach((k, v) -> why.put(k, v.sum()));
        return new Snapshot(
                connected.get(),
                everConnected.intValue(),
                sent.sum(),
                acked.sum(),
                errors.sum(),
                reconnects.sum(),
                why,
                interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(50) / 1000.0,
                interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1000.0,
                total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(99) / 1000.0);
    }

    /** {@code everConnected}: charge points that connected at least once; {@code refused}: failed connection attempts by why. */
    public record Snapshot(
            int connected,
            int everConnected,
            long sent,
            long acked,
            long errors,
            long reconnects,
            Map<String, Long> refused,
            double p50Ms,
            double p99Ms,
            double p99MsOverall) {
        public String line() {
            return String.format(
                            "connected %d  sent %d  acked %d  errors %d  reconnects %d  latency p50 %.1f ms  p99 %.1f ms",
                            connected, sent, acked, errors, reconnects, p50Ms, p99Ms)
                    + (refused.isEmpty() ? "" : "  refused " + refusals());
        }

        /** e.g. {@code HTTP 401 (credentials refused) 3, connection refused 2}. */
        public String refusals() {
            StringBuilder b = new StringBuilder();
            refused.forEach((why, n) -> b.append(b.length() == 0 ? "" : ", ")
                    .append(why)
                    .append(' ')
                    .append(n));
            return b.toString();
        }
    }
}
