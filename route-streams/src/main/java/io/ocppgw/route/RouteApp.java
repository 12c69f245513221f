package io.ocppgw.route;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.support.AdminServer;
import io.ocppgw.support.HealthCheck;
import io.ocppgw.support.Metrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of route-streams: the topology in a KafkaStreams instance, and the admin
 * port with health (ready only while RUNNING), metrics and the query API ({@link RouteQueries}).
 */
public final class RouteApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteApp.class);

    private final RouteConfig config;
    private final KafkaStreams streams;
    private final AdminServer admin;
    private final HostInfo self;

    public static RouteApp start(RouteConfig config) {
        RouteApp app = new RouteApp(config);
        app.streams.start();
        app.admin.start();
        LOG.info("route-streams started: application.id={} guarantee={} admin=http://{}:{}", config.applicationId(),
                config.processingGuarantee(), config.host(), app.admin.port());
        return app;
    }

    private RouteApp(RouteConfig config) {
        this.config = config;
        PrometheusMeterRegistry registry = Metrics.newRegistry("route-streams");
        this.self = new HostInfo(config.advertisedHost(), config.adminPort());
        this.streams = new KafkaStreams(RouterTopology.build(config.settings(), new RouterMetrics(registry)), properties(config));
        new KafkaStreamsMetrics(streams).bindTo(registry);
        storeSizeGauge(registry, "ocppgw_route_table_size", StoreNames.ROUTES, "Routes in this instance's active partitions (RocksDB estimate)");
        storeSizeGauge(registry, "ocppgw_route_ledgers", StoreNames.LEDGER, "Charge points with open commands here (RocksDB estimate)");
        this.admin = new AdminServer(config.host(), config.adminPort(), registry)
                .readinessCheck(new HealthCheck("streams", () -> streams.state() == KafkaStreams.State.RUNNING
                        ? HealthCheck.Result.up("RUNNING") : HealthCheck.Result.down(streams.state().name())));
        new RouteQueries(streams, self).register(admin);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** A gauge of a store's estimated size; NaN while the store cannot be read (not RUNNING). */
    private void storeSizeGauge(PrometheusMeterRegistry registry, String name, String store, String description) {
        io.micrometer.core.instrument.Gauge.builder(name, this, app -> {
            try {
                return app.streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(store,
                        org.apache.kafka.streams.state.QueryableStoreTypes.keyValueStore())).approximateNumEntries();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description(description).strongReference(true).register(registry);
    }

    static Properties properties(RouteConfig config) {
        Properties p = new Properties();
        p.putAll(config.kafka());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) config.commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertisedHost() + ":" + config.adminPort());
        // Wait for every co-partitioned input before processing, so a command is never judged against a
        // route table that has not caught up with cp-connections (DESIGN §6 "Startup and rebalances").
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, config.maxTaskIdle().toMillis());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        p.put(BoundedRocksDbConfig.TOTAL_BYTES_CONFIG, String.valueOf(config.rocksDbBytes()));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        config.instanceId().ifPresent(id -> p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        return p;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int adminPort() {
        return admin.port();
    }

    @Override
    public void close() {
        admin.close();
        streams.close(Duration.ofSeconds(30));
    }
}
