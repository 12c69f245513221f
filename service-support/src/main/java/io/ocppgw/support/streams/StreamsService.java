package io.ocppgw.support.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.support.AdminServer;
import io.ocppgw.support.ConfigException;
import io.ocppgw.support.HealthCheck;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Kafka Streams metrics bound, records it cannot use dead-lettered ({@link BadRecords}). A stream
 * thread that fails is replaced at most {@code maxThreadReplacements} times; after that the instance
 * shuts down, goes not ready, and {@link #failure()} names the record, so the process exits non-zero
 * instead of failing on the same record in silence forever. The streams apps' composition roots
 * build one of these and add their queries and gauges before {@link #start()}.
 */
public final class StreamsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);
    /** A transaction open this long (a healthy one lasts a commit interval) with no member left to commit it is abandoned. */
    private static final Duration ABANDONED_TRANSACTION_AGE = Duration.ofSeconds(3);

    private static final Duration ABANDONED_TRANSACTION_CHECK = Duration.ofSeconds(1);

    private final String name;
    private final StreamsSettings settings;
    private final KafkaStreams streams;
    private final AdminServer admin;
    private final PrometheusMeterRegistry registry;
    private final BadRecords badRecords;
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private final AtomicInteger replacements = new AtomicInteger();
    private AbandonedTransactions abandonedTransactions;

    /**
     * @param pacing the pacing the topology's processors were built with ({@link CommitPacing#of}): its client
     *               supplier lets them see how far behind their inputs are
     */
    public StreamsService(
            String name,
            StreamsSettings settings,
            Topology topology,
            CommitPacing pacing,
            PrometheusMeterRegistry registry) {
        this.name = name;
        this.settings = settings;
        this.registry = registry;
        this.badRecords = new BadRecords(settings.deadLetterTopic(), registry);
        Properties properties = settings.properties();
        // a record that cannot be read or used is dead-lettered and skipped; it never stops its partition
        properties.putAll(badRecords.configs());
        this.streams = new KafkaStreams(topology, properties, pacing.clientSupplier());
        new KafkaStreamsMetrics(streams).bindTo(registry);
        this.admin = new AdminServer(settings.host(), settings.adminPort(), registry)
                .readinessCheck(new HealthCheck(
                        "streams",
                        () -> streams.state() == KafkaStreams.State.RUNNING
                                ? HealthCheck.Result.up("RUNNING")
                                : HealthCheck.Result.down(streams.state().name())));
        streams.setUncaughtExceptionHandler(e -> {
            // the global thread (a global store's updater) cannot be replaced: Kafka Streams only replaces stream
            // threads
            boolean global = Thread.currentThread().getName().contains("GlobalStreamThread");
            if (!global && replacements.incrementAndGet() <= settings.maxThreadReplacements()) {
                LOG.atError()
                        .setMessage("stream thread failed; replacing it")
                        .addKeyValue("replacement", replacements.get())
                        .addKeyValue("of", settings.maxThreadReplacements())
                        .addKeyValue("record", badRecords.lastFailure())
                        .setCause(e)
                        .log();
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            String why = (global
                            ? "the global stream thread failed"
                            : "a stream thread failed " + replacements.get() + " times")
                    + ", last on " + badRecords.lastFailure() + ": " + e;
            LOG.error("{} gives up: {}", name, why);
            failure.complete(why);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR) {
                failure.complete(
                        "Kafka Streams is in state ERROR (last failed record: " + badRecords.lastFailure() + ")");
            }
        });
    }

    /** The app's name, as in its logs ({@code route-streams}). */
    public String name() {
        return name;
    }

    public StreamsService start() {
        try {
            admin.start(); // first: a port it cannot have stops the start before any task is taken
        } catch (RuntimeException e) {
            streams.close();
            throw ConfigException.cannotListen("OCPPGW_ADMIN_PORT", settings.adminPort(), settings.host(), e);
        }
        streams.start();
        if (settings.exactlyOnce()) {
            abandonedTransactions = new AbandonedTransactions(
                            settings.adminSettings(), settings.applicationId(), ABANDONED_TRANSACTION_AGE)
                    .start(ABANDONED_TRANSACTION_CHECK);
        }
        LOG.info(
                "{} started: application.id={} guarantee={} admin=http://{}:{}",
                name,
                settings.applicationId(),
                settings.processingGuarantee(),
                settings.host(),
                admin.port());
        return this;
    }

    /** A gauge of a store's estimated size in this instance's active tasks; NaN while it cannot be read. */
    public StreamsService storeSizeGauge(String metric, String store, String description) {
        Gauge.builder(metric, streams, s -> {
                    try {
                        return s.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()))
                                .approximateNumEntries();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description(description)
                .strongReference(true)
                .register(registry);
        return this;
    }

    /** Queries over this instance's stores, answering for the whole application. */
    public StoreQueries queries() {
        return new StoreQueries(streams, new HostInfo(settings.advertisedHost(), settings.adminPort()));
    }

    /** Completes, with why, when the instance gave up: the process should exit non-zero. */
    public CompletableFuture<String> failure() {
        return failure;
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
        if (abandonedTransactions != null) {
            abandonedTransactions.close();
        }
        admin.close();
        streams.close(Duration.ofSeconds(30));
    }
}
