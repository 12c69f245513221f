package io.ocppgw.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.support.AdminServer;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The query API (DESIGN §8) over the stores. Keyed reads go to the instance that owns the key,
 * forwarded if it is another; listings ask every instance for its own part ({@code local=true}) and
 * merge. While the owner of a key is unknown or a store is moving: 503 with Retry-After. Iterators are
 * always closed.
 */
final class RouteQueries {

    private static final int MAX_LIMIT = 1000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    RouteQueries(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** Thrown inside a query: answer 503, try again shortly. */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why);
        }
    }

    void register(AdminServer admin) {
        admin.route("/api/v1/routes/{chargePointId}", guarded(this::route))
                .route("/api/v1/routes", guarded(this::routes))
                .route("/api/v1/commands/{commandId}", guarded(this::command))
                .route("/api/v1/pods", guarded(this::pods))
                .route("/api/v1/stats", guarded(this::stats));
    }

    private io.undertow.server.HttpHandler guarded(io.undertow.server.HttpHandler handler) {
        return exchange -> {
            try {
                if (streams.state() != KafkaStreams.State.RUNNING) {
                    throw new Unavailable("streams are " + streams.state());
                }
                handler.handleRequest(exchange);
            } catch (Unavailable | InvalidStateStoreException e) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 2);
                AdminServer.respond(exchange, 503, JSON.objectNode().put("error", e.getMessage()));
            }
        };
    }

    // GET /api/v1/routes/{cp}
    private void route(HttpServerExchange exchange) {
        String cp = param(exchange, "chargePointId").orElseThrow();
        Optional<Integer> partition = ownedPartition(exchange, cp);
        if (partition.isEmpty()) {
            return;
        }
        Route route = keyedStore(StoreNames.ROUTES, Route.class, partition.get()).get(cp);
        if (route == null) {
            AdminServer.respond(exchange, 404, JSON.objectNode().put("error", "no route for " + cp));
        } else {
            AdminServer.respond(exchange, 200, JsonSerde.MAPPER.valueToTree(route));
        }
    }

    // GET /api/v1/commands/{commandId}?chargePointId=…  (the index lives with the charge point's partition)
    private void command(HttpServerExchange exchange) {
        String commandId = param(exchange, "commandId").orElseThrow();
        Optional<String> cp = param(exchange, "chargePointId");
        if (cp.isEmpty()) {
            AdminServer.respond(exchange, 400, JSON.objectNode().put("error",
                    "add ?chargePointId=…: commands are kept with their charge point's partition"));
            return;
        }
        Optional<Integer> partition = ownedPartition(exchange, cp.get());
        if (partition.isEmpty()) {
            return;
        }
        Ledger ledger = keyedStore(StoreNames.LEDGER, Ledger.class, partition.get()).get(cp.get());
        Optional<LedgerEntry> open = ledger == null ? Optional.empty() : ledger.find(commandId);
        if (open.isPresent()) {
            ObjectNode body = JSON.objectNode().put("commandId", commandId).put("state", open.get().state().name());
            body.set("entry", JsonSerde.MAPPER.valueToTree(open.get()));
            AdminServer.respond(exchange, 200, body);
            return;
        }
        CommandIndexEntry known = keyedStore(StoreNames.INDEX, CommandIndexEntry.class, partition.get()).get(commandId);
        if (known != null && known.isFinished() && cp.get().equals(known.chargePointId())) {
            ObjectNode body = JSON.objectNode().put("commandId", commandId).put("state", "FINISHED");
            body.set("result", JsonSerde.MAPPER.valueToTree(known.result()));
            AdminServer.respond(exchange, 200, body);
            return;
        }
        AdminServer.respond(exchange, 404, JSON.objectNode().put("error", "no command " + commandId + " for " + cp.get()));
    }

    // GET /api/v1/routes?pod=…&limit=…&cursor=…  (sorted by charge point id; cursor = last id of the previous page)
    private void routes(HttpServerExchange exchange) {
        Optional<String> pod = param(exchange, "pod");
        int limit = Math.min(MAX_LIMIT, param(exchange, "limit").map(Integer::parseInt).orElse(100));
        String cursor = param(exchange, "cursor").orElse("");
        List<JsonNode> found = new ArrayList<>();
        if (param(exchange, "local").isPresent()) {
            localRoutes(pod, cursor, limit).forEach(r -> found.add(JsonSerde.MAPPER.valueToTree(r)));
        } else {
            for (HostInfo host : hosts()) {
                if (host.equals(self)) {
                    localRoutes(pod, cursor, limit).forEach(r -> found.add(JsonSerde.MAPPER.valueToTree(r)));
                } else {
                    JsonNode part = fetch(host, exchange.getRequestPath() + "?" + exchange.getQueryString() + "&local=true");
                    part.path("routes").forEach(found::add);
                }
            }
        }
        found.sort(Comparator.comparing(n -> n.path("chargePointId").asText()));
        List<JsonNode> page = found.subList(0, Math.min(limit, found.size()));
        ObjectNode body = JSON.objectNode();
        ArrayNode list = body.putArray("routes");
        page.forEach(list::add);
        if (found.size() > limit) {
            body.put("nextCursor", page.get(page.size() - 1).path("chargePointId").asText());
        }
        AdminServer.respond(exchange, 200, body);
    }

    private List<Route> localRoutes(Optional<String> pod, String cursor, int limit) {
        List<Route> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, Route> store = localStore(StoreNames.ROUTES, Route.class);
        // Keys are charge point ids; a range from the cursor keeps every page a bounded scan.
        try (KeyValueIterator<String, Route> it = cursor.isEmpty() ? store.all() : store.range(cursor + "\u0000", null)) {
            while (it.hasNext() && out.size() <= limit) {
                Route r = it.next().value;
                if (r != null && pod.map(p -> p.equals(r.podId())).orElse(true)) {
                    out.add(r);
                }
            }
        }
        out.sort(Comparator.comparing(Route::chargePointId));
        return out;
    }

    // GET /api/v1/pods  (the global store: every instance has all of it)
    private void pods(HttpServerExchange exchange) {
        ArrayNode list = JSON.arrayNode();
        Instant now = Instant.now();
        try (KeyValueIterator<String, PodLease> it = localStore(StoreNames.LEASES, PodLease.class).all()) {
            it.forEachRemaining(kv -> {
                ObjectNode pod = JsonSerde.MAPPER.valueToTree(kv.value);
                pod.put("alive", kv.value.isAlive(now));
                list.add(pod);
            });
        }
        ObjectNode body = JSON.objectNode();
        body.set("pods", list);
        AdminServer.respond(exchange, 200, body);
    }

    // GET /api/v1/stats  (summed over instances)
    private void stats(HttpServerExchange exchange) {
        Map<String, Long> totals = new TreeMap<>();
        Map<String, Long> perPod = new TreeMap<>();
        if (param(exchange, "local").isPresent()) {
            localStats(totals, perPod);
        } else {
            for (HostInfo host : hosts()) {
                if (host.equals(self)) {
                    localStats(totals, perPod);
                } else {
                    JsonNode part = fetch(host, "/api/v1/stats?local=true");
                    part.path("totals").fields().forEachRemaining(e -> totals.merge(e.getKey(), e.getValue().asLong(), Long::sum));
                    part.path("routesPerPod").fields().forEachRemaining(e -> perPod.merge(e.getKey(), e.getValue().asLong(), Long::sum));
                }
            }
        }
        ObjectNode body = JSON.objectNode();
        body.set("totals", JsonSerde.MAPPER.valueToTree(totals));
        body.set("routesPerPod", JsonSerde.MAPPER.valueToTree(perPod));
        AdminServer.respond(exchange, 200, body);
    }

    private void localStats(Map<String, Long> totals, Map<String, Long> perPod) {
        try (KeyValueIterator<String, Route> it = localStore(StoreNames.ROUTES, Route.class).all()) {
            it.forEachRemaining(kv -> {
                totals.merge(kv.value.state() == Route.State.ONLINE ? "routesOnline" : "routesOffline", 1L, Long::sum);
                if (kv.value.state() == Route.State.ONLINE) {
                    perPod.merge(kv.value.podId(), 1L, Long::sum);
                }
            });
        }
        try (KeyValueIterator<String, Ledger> it = localStore(StoreNames.LEDGER, Ledger.class).all()) {
            it.forEachRemaining(kv -> kv.value.entries().forEach(e -> {
                totals.merge("openCommands", 1L, Long::sum);
                if (e.state() == LedgerEntry.State.PARKED) {
                    totals.merge("parkedCommands", 1L, Long::sum);
                }
            }));
        }
        totals.putIfAbsent("routesOnline", 0L);
        totals.putIfAbsent("routesOffline", 0L);
        totals.putIfAbsent("openCommands", 0L);
        totals.putIfAbsent("parkedCommands", 0L);
    }

    // --- plumbing ---

    /**
     * The key's partition when this instance owns it; otherwise the owner's answer has been relayed
     * and the result is empty.
     */
    private Optional<Integer> ownedPartition(HttpServerExchange exchange, String key) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(StoreNames.ROUTES, key, Serdes.String().serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw new Unavailable("owner of " + key + " not known (rebalancing)");
        }
        if (owner.activeHost().equals(self)) {
            return Optional.of(owner.partition());
        }
        String path = exchange.getRequestURI() + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
        HttpResponse<String> answer = send(owner.activeHost(), path);
        exchange.setStatusCode(answer.statusCode());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        answer.headers().firstValue("Retry-After").ifPresent(v -> exchange.getResponseHeaders().put(Headers.RETRY_AFTER, v));
        exchange.getResponseSender().send(answer.body());
        return Optional.empty();
    }

    private List<HostInfo> hosts() {
        List<HostInfo> hosts = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            hosts.add(m.hostInfo());
        }
        if (hosts.isEmpty()) {
            throw new Unavailable("no instance metadata yet");
        }
        return hosts;
    }

    private JsonNode fetch(HostInfo host, String pathAndQuery) {
        HttpResponse<String> answer = send(host, pathAndQuery);
        if (answer.statusCode() != 200) {
            throw new Unavailable(host + " answered " + answer.statusCode());
        }
        try {
            return JsonSerde.MAPPER.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new Unavailable(host + " answered unreadable JSON");
        }
    }

    private HttpResponse<String> send(HostInfo host, String pathAndQuery) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new Unavailable(host + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    /**
     * The store of exactly the key's partition: if this instance is not (yet) running it as an active
     * task — it is still restoring after a rebalance — this throws, and the answer is 503, not a
     * "not found" read from an incomplete store.
     */
    private <V> ReadOnlyKeyValueStore<String, V> keyedStore(String name, Class<V> type, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }

    private <V> ReadOnlyKeyValueStore<String, V> localStore(String name, Class<V> type) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private static Optional<String> param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
