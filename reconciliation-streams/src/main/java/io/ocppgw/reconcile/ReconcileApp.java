package io.ocppgw.reconcile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.support.Metrics;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.support.streams.StreamsService;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The composition root of reconciliation-streams: the topology in a {@link StreamsService} (admin port
 * with readiness while RUNNING and metrics) plus the query API ({@link ReconcileQueries}) and gauges.
 */
public final class ReconcileApp {

    private ReconcileApp() {}

    public static StreamsService start(ReconcileConfig config) {
        PrometheusMeterRegistry registry = Metrics.newRegistry("reconciliation-streams");
        CommitPacing pacing = CommitPacing.of(config.streams());
        StreamsService service = new StreamsService(
                        "reconciliation-streams",
                        config.streams(),
                        ReconcileTopology.build(config.settings(), new ReconcileMetrics(registry), pacing),
                        pacing,
                        registry)
                .storeSizeGauge(
                        "ocppgw_reconcile_charge_points",
                        StoreNames.BOOKS,
                        "Charge points with transaction books here (RocksDB estimate)");
        ReconcileQueries queries = new ReconcileQueries(service.queries());
        queries.register(service.admin());
        Gauge.builder("ocppgw_reconcile_open_transactions", new OpenCount(queries), OpenCount::get)
                .description(
                        "OPEN and SUSPECT transactions in this instance's partitions (recounted at most every 15 s)")
                .strongReference(true)
                .register(registry);
        return service.start();
    }

    /** Counting walks the local books, so a scrape reuses a recent count. */
    private static final class OpenCount {
        private final ReconcileQueries queries;
        private Instant countedAt = Instant.EPOCH;
        private double open = Double.NaN;

        OpenCount(ReconcileQueries queries) {
            this.queries = queries;
        }

        synchronized double get() {
            if (Duration.between(countedAt, Instant.now()).compareTo(Duration.ofSeconds(15)) > 0) {
                countedAt = Instant.now();
                try {
                    Map<String, Long> totals = queries.localStats();
                    open = totals.get("open") + totals.get("suspect");
                } catch (RuntimeException notReadable) {
                    open = Double.NaN; // not RUNNING: no count rather than a wrong one
                }
            }
            return open;
        }
    }
}
