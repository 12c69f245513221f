package io.ocppgw.support.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.support.AdminServer;
import io.ocppgw.support.HealthCheck;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topology running in a KafkaStreams instance next to its admin port: ready only while RUNNING,
 * Kafka Streams metrics bound, a failed stream thread replaced. The streams apps' composition roots
 * build one of these and add their queries and gauges before {@link #start()}.
 */
public final class StreamsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

    private final String name;
    private final StreamsSettings settings;
    private final KafkaStreams streams;
    private final AdminServer admin;
    private final PrometheusMeterRegistry registry;

    public StreamsService(String name, StreamsSettings settings, Topology topology, PrometheusMeterRegistry registry) {
        this.name = name;
        this.settings = settings;
        this.registry = registry;
        this.streams = new KafkaStreams(topology, settings.properties());
        new KafkaStreamsMetrics(streams).bindTo(registry);
        this.admin = new AdminServer(settings.host(), settings.adminPort(), registry)
                .readinessCheck(new HealthCheck("streams", () -> streams.state() == KafkaStreams.State.RUNNING
                        ? HealthCheck.Result.up("RUNNING") : HealthCheck.Result.down(streams.state().name())));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public StreamsService start() {
        streams.start();
        admin.start();
        LOG.info("{} started: application.id={} guarantee={} admin=http://{}:{}", name, settings.applicationId(),
                settings.processingGuarantee(), settings.host(), admin.port());
        return this;
    }

    /** A gauge of a store's estimated size in this instance's active tasks; NaN while it cannot be read. */
    public StreamsService storeSizeGauge(String metric, String store, String description) {
        Gauge.builder(metric, streams, s -> {
            try {
                return s.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())).approximateNumEntries();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description(description).strongReference(true).register(registry);
        return this;
    }

    /** Queries over this instance's stores, answering for the whole application. */
    public StoreQueries queries() {
        return new StoreQueries(streams, new HostInfo(settings.advertisedHost(), settings.adminPort()));
    }

    public KafkaStreams streams() {
        return streams;
    }

    public AdminServer admin() {
        return admin;
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
