package io.ocppgw.simulator;

import io.ocppgw.protocol.OcppVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * N simulated charge points running a charging scenario: connect (spread over time), boot, then
 * repeatedly a transaction with periodic meter values. Timers only; no thread per charge point.
 */
public final class Fleet implements AutoCloseable {

    /** The scenario: who, how many, how often. */
    public record Scenario(
            String url,
            int count,
            OcppVersion version,
            String idPrefix,
            Optional<String> password,
            int connectsPerSecond,
            Duration heartbeat,
            Duration meterInterval,
            int samplesPerTransaction,
            Duration pauseBetweenTransactions) {
        public Scenario {
            if (count < 1 || connectsPerSecond < 1 || samplesPerTransaction < 0) {
                throw new IllegalArgumentException(
                        "count and connectsPerSecond must be >= 1, samplesPerTransaction >= 0");
            }
        }
    }

    private final Scenario scenario;
    private final FleetStats stats = new FleetStats();
    private final ScheduledExecutorService timers =
            Executors.newScheduledThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "fleet");
                t.setDaemon(true);
                return t;
            });
    private final List<SimulatedChargePoint> chargePoints = new ArrayList<>();

    public Fleet(Scenario scenario) {
        this.scenario = scenario;
    }

    public FleetStats stats() {
        return stats;
    }

    public List<SimulatedChargePoint> chargePoints() {
        return List.copyOf(chargePoints);
    }

    public void start() {
        long gapMicros = 1_000_000L / scenario.connectsPerSecond();
        for (int i = 0; i < scenario.count(); i++) {
            SimulatedChargePoint.Settings settings = SimulatedChargePoint.Settings.of(
                            scenario.url(), scenario.idPrefix() + i, scenario.version())
                    .withHeartbeat(scenario.heartbeat());
            if (scenario.password().isPresent()) {
                settings = settings.withPassword(scenario.password().get());
            }
            SimulatedChargePoint cp = new SimulatedChargePoint(settings, timers, stats, Clock.systemUTC());
            chargePoints.add(cp);
            timers.schedule(
                    () -> {
                        cp.start();
                        scheduleTransaction(cp, Duration.ofSeconds(1));
                    },
                    i * gapMicros,
                    TimeUnit.MICROSECONDS);
        }
    }

    private void scheduleTransaction(SimulatedChargePoint cp, Duration after) {
        timers.schedule(
                () -> {
                    if (!cp.isOnline()) {
                        scheduleTransaction(cp, Duration.ofSeconds(1));
                        return;
                    }
                    long meter = ThreadLocalRandom.current().nextLong(0, 1_000_000);
                    SimulatedChargePoint.LocalTransaction tx = cp.startTransaction(1, "TAG-" + cp.identity(), meter);
                    sample(cp, tx, meter, scenario.samplesPerTransaction());
                },
                after.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void sample(SimulatedChargePoint cp, SimulatedChargePoint.LocalTransaction tx, long meter, int left) {
        timers.schedule(
                () -> {
                    long now = meter + ThreadLocalRandom.current().nextLong(10, 500);
                    if (left > 0) {
                        cp.meterValue(tx, now);
                        sample(cp, tx, now, left - 1);
                    } else {
                        cp.stopTransaction(tx, now);
                        scheduleTransaction(cp, scenario.pauseBetweenTransactions());
                    }
                },
                scenario.meterInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        chargePoints.forEach(SimulatedChargePoint::close);
        timers.shutdownNow();
    }
}
