package io.ocppgw.route;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.support.Metrics;
import io.ocppgw.support.streams.StreamsService;

/**
 * The composition root of route-streams: the topology in a {@link StreamsService} (admin port with
 * readiness while RUNNING and metrics) plus the query API ({@link RouteQueries}) and store gauges.
 */
public final class RouteApp {

    private RouteApp() {
    }

    public static StreamsService start(RouteConfig config) {
        PrometheusMeterRegistry registry = Metrics.newRegistry("route-streams");
        StreamsService service = new StreamsService("route-streams", config.streams(),
                RouterTopology.build(config.settings(), new RouterMetrics(registry)), registry)
                .storeSizeGauge("ocppgw_route_table_size", StoreNames.ROUTES, "Routes in this instance's active partitions (RocksDB estimate)")
                .storeSizeGauge("ocppgw_route_ledgers", StoreNames.OPEN_COUNTS, "Charge points with open commands here (RocksDB estimate)")
                .storeSizeGauge("ocppgw_route_open_commands", StoreNames.LEDGER, "Open commands here (RocksDB estimate)");
        new RouteQueries(service.queries()).register(service.admin());
        return service.start();
    }
}
