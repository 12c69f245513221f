package io.ocppgw.route;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.support.ConfigException;
import io.ocppgw.support.Metrics;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.support.streams.StreamsService;
import io.ocppgw.topics.Topic;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The composition root of route-streams: the topology in a {@link StreamsService} (admin port with
 * readiness while RUNNING and metrics) plus the query API ({@link RouteQueries}) and store gauges.
 */
public final class RouteApp {

    private RouteApp() {}

    public static StreamsService start(RouteConfig config) {
        PrometheusMeterRegistry registry = Metrics.newRegistry("route-streams");
        RouteSettings settings = config.settings().withCommandPartitions(commandPartitions(config));
        CommitPacing pacing = CommitPacing.of(config.streams());
        StreamsService service = new StreamsService(
                        "route-streams",
                        config.streams(),
                        RouterTopology.build(settings, new RouterMetrics(registry), pacing),
                        pacing,
                        registry)
                .storeSizeGauge(
                        "ocppgw_route_table_size",
                        StoreNames.ROUTES,
                        "Routes in this instance's active partitions (RocksDB estimate)")
                .storeSizeGauge(
                        "ocppgw_route_open_commands", StoreNames.LEDGER, "Open commands here (RocksDB estimate)")
                .storeSizeGauge(
                        "ocppgw_route_finished_commands",
                        StoreNames.OUTCOMES,
                        "Finished commands remembered here (RocksDB estimate)");
        new RouteQueries(service.queries()).register(service.admin());
        return service.start();
    }

    /** The partitions of {@code commands}, to tell a command a foreign partitioner put on the wrong one. */
    private static int commandPartitions(RouteConfig config) {
        String topic = config.settings().topics().name(Topic.COMMANDS);
        try (Admin admin = Admin.create(config.streams().kafka())) {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().size();
        } catch (Exception e) {
            throw new ConfigException(
                    List.of("cannot read the partitions of " + topic + " (run 'ocppgw topics apply' first?): " + e));
        }
    }
}
