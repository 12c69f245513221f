package io.ocppgw.route;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ocppgw.support.AdminServer;
import io.ocppgw.support.HealthCheck;
import io.ocppgw.support.Metrics;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.undertow.server.HttpServerExchange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of route-streams: the topology in a KafkaStreams instance, and the admin
 * port with health (ready only while RUNNING), metrics and the query API. A keyed query is read
 * where the key lives, here or forwarded to the owning instance ({@code application.server}); while
 * the owner is unknown (rebalancing) the answer is 503 with Retry-After, never a guess.
 */
public final class RouteApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteApp.class);

    private final RouteConfig config;
    private final KafkaStreams streams;
    private final AdminServer admin;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
        this.admin = new AdminServer(config.host(), config.adminPort(), registry)
                .readinessCheck(new HealthCheck("streams", () -> streams.state() == KafkaStreams.State.RUNNING
                        ? HealthCheck.Result.up("RUNNING") : HealthCheck.Result.down(streams.state().name())))
                .route("/api/v1/routes/{chargePointId}", this::route)
                .route("/api/v1/pods", this::pods);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
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

    private void route(HttpServerExchange exchange) {
        String cp = exchange.getQueryParameters().get("chargePointId").getFirst();
        if (streams.state() != KafkaStreams.State.RUNNING) {
            unavailable(exchange, "streams are " + streams.state());
            return;
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(StoreNames.ROUTES, cp, Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            unavailable(exchange, "owner of the key not known (rebalancing)");
            return;
        }
        if (!owner.activeHost().equals(self)) {
            forward(exchange, owner.activeHost());
            return;
        }
        try {
            ReadOnlyKeyValueStore<String, Route> store = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.ROUTES,
                    QueryableStoreTypes.<String, Route>keyValueStore()).withPartition(owner.partition()));
            Route route = store.get(cp);
            if (route == null) {
                AdminServer.respond(exchange, 404, JsonNodeFactory.instance.objectNode().put("error", "no route for " + cp));
            } else {
                respondJson(exchange, 200, JsonSerde.MAPPER.valueToTree(route));
            }
        } catch (InvalidStateStoreException e) {
            unavailable(exchange, "store moving: " + e.getMessage());
        }
    }

    private void pods(HttpServerExchange exchange) {
        var list = JsonNodeFactory.instance.arrayNode();
        try {
            ReadOnlyKeyValueStore<String, PodLease> store = streams.store(StoreQueryParameters.fromNameAndType(StoreNames.LEASES,
                    QueryableStoreTypes.<String, PodLease>keyValueStore()));
            java.time.Instant now = java.time.Instant.now();
            try (KeyValueIterator<String, PodLease> it = store.all()) {
                it.forEachRemaining(kv -> {
                    ObjectNode pod = JsonSerde.MAPPER.valueToTree(kv.value);
                    pod.put("alive", kv.value.isAlive(now));
                    list.add(pod);
                });
            }
        } catch (InvalidStateStoreException e) {
            unavailable(exchange, "store not ready: " + e.getMessage());
            return;
        }
        respondJson(exchange, 200, JsonNodeFactory.instance.objectNode().set("pods", list));
    }

    private void forward(HttpServerExchange exchange, HostInfo owner) {
        String url = "http://" + owner.host() + ":" + owner.port() + exchange.getRequestURI()
                + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            exchange.setStatusCode(answer.statusCode());
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(answer.body());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            unavailable(exchange, "owner " + owner + " did not answer: " + e.getMessage());
        }
    }

    private static void unavailable(HttpServerExchange exchange, String why) {
        exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, 2);
        AdminServer.respond(exchange, 503, JsonNodeFactory.instance.objectNode().put("error", why));
    }

    private static void respondJson(HttpServerExchange exchange, int status, com.fasterxml.jackson.databind.JsonNode body) {
        AdminServer.respond(exchange, status, body);
    }

    @Override
    public void close() {
        admin.close();
        streams.close(Duration.ofSeconds(30));
    }
}
