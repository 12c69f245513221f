package io.ocppgw.support.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.support.AdminServer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The query plumbing both streams apps share: keyed reads answered by the instance that
 * owns the key (forwarded there when it is another), listings gathered from every instance
 * ({@code local=true} asks one for its own part) and paged by a cursor, and 503 with Retry-After
 * whenever the owner is unknown or a store is moving — never a wrong answer from a restoring store.
 */
public final class StoreQueries {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    StoreQueries(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** Thrown inside a query: the answer is 503, try again shortly. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String why) {
            super(why);
        }
    }

    /** Wraps a query handler: 503 + Retry-After unless RUNNING, or when a store or owner is not available. */
    public HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            try {
                if (streams.state() != KafkaStreams.State.RUNNING) {
                    throw new Unavailable("streams are " + streams.state());
                }
                handler.handleRequest(exchange);
            } catch (Unavailable | InvalidStateStoreException e) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 2);
                AdminServer.respond(exchange, 503, JSON.objectNode().put("error", e.getMessage()));
            } catch (BadRequest e) {
                AdminServer.respond(exchange, 400, JSON.objectNode().put("error", e.getMessage()));
            }
        };
    }

    /**
     * The key's partition when this instance owns it (by the store's metadata); otherwise the owner's
     * answer has already been relayed to the caller and the result is empty.
     */
    public Optional<Integer> ownedPartition(HttpServerExchange exchange, String store, String key) {
        KeyQueryMetadata owner =
                streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw new Unavailable("owner of " + key + " not known (rebalancing)");
        }
        if (owner.activeHost().equals(self)) {
            return Optional.of(owner.partition());
        }
        HttpResponse<String> answer = send(owner.activeHost(), pathAndQuery(exchange));
        exchange.setStatusCode(answer.statusCode());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        answer.headers()
                .firstValue("Retry-After")
                .ifPresent(v -> exchange.getResponseHeaders().put(Headers.RETRY_AFTER, v));
        exchange.getResponseSender().send(answer.body());
        return Optional.empty();
    }

    /**
     * The store of exactly the key's partition: if this instance does not (yet) run it as an active
     * task — it is still restoring after a rebalance — this throws, and the answer is 503.
     */
    public <V> ReadOnlyKeyValueStore<String, V> keyedStore(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }

    /** Every active partition of a store on this instance. */
    public <V> ReadOnlyKeyValueStore<String, V> localStore(String name) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    /**
     * This instance's first {@code limit + 1} entries of a store with keys from {@code fromKey} on
     * (inclusive; empty: from the start) that pass {@code filter}, in key order. Each active partition is scanned in key order and stops early;
     * the partitions' heads are then merged (a store's plain iterator concatenates partitions, which
     * would not be in key order).
     */
    public <V> List<KeyValue<String, V>> firstFrom(String store, String fromKey, int limit, Predicate<V> filter) {
        List<KeyValue<String, V>> found = new ArrayList<>();
        for (int partition : localActivePartitions()) {
            ReadOnlyKeyValueStore<String, V> part = keyedStore(store, partition);
            int taken = 0;
            try (KeyValueIterator<String, V> it = fromKey.isEmpty() ? part.all() : part.range(fromKey, null)) {
                while (it.hasNext() && taken <= limit) {
                    KeyValue<String, V> kv = it.next();
                    if (kv.value != null && filter.test(kv.value)) {
                        found.add(kv);
                        taken++;
                    }
                }
            }
        }
        found.sort(Comparator.comparing(kv -> kv.key));
        return new ArrayList<>(found.subList(0, Math.min(found.size(), limit + 1)));
    }

    private Set<Integer> localActivePartitions() {
        Set<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
            }
        }
        return partitions;
    }

    /**
     * Answers a paged listing {@code {field: [...], nextCursor}} gathered from every instance, sorted by
     * {@code order}; the cursor is {@code cursorOf} the last item of a page. {@code localPage} gives
     * this instance's items after the cursor, at most {@code limit + 1} of them.
     */
    public void respondListing(
            HttpServerExchange exchange,
            String field,
            Comparator<JsonNode> order,
            Function<JsonNode, String> cursorOf,
            BiFunction<String, Integer, List<JsonNode>> localPage) {
        int limit = limit(exchange);
        String cursor = param(exchange, "cursor").orElse("");
        List<JsonNode> found = new ArrayList<>(localPage.apply(cursor, limit));
        if (!isLocalOnly(exchange)) {
            for (JsonNode part : fromOtherInstances(
                    pathAndQuery(exchange) + (exchange.getQueryString().isEmpty() ? "?" : "&") + "local=true")) {
                part.path(field).forEach(found::add);
            }
        }
        found.sort(order);
        // Another instance's part keeps the one past the limit: without it the asking instance cannot
        // tell that more follow when they all live here, and would end the listing early.
        List<JsonNode> page = found.subList(0, Math.min(isLocalOnly(exchange) ? limit + 1 : limit, found.size()));
        ObjectNode body = JSON.objectNode();
        ArrayNode list = body.putArray(field);
        page.forEach(list::add);
        if (found.size() > limit && !isLocalOnly(exchange)) {
            body.put("nextCursor", cursorOf.apply(page.get(page.size() - 1)));
        }
        AdminServer.respond(exchange, 200, body);
    }

    /** True when another instance asked for this instance's part only. */
    public boolean isLocalOnly(HttpServerExchange exchange) {
        return param(exchange, "local").isPresent();
    }

    /** The same request's 200 answers from every other instance; any other answer makes this a 503. */
    public List<JsonNode> fromOtherInstances(String pathAndQuery) {
        List<JsonNode> answers = new ArrayList<>();
        List<HostInfo> hosts = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            hosts.add(m.hostInfo());
        }
        if (hosts.isEmpty()) {
            throw new Unavailable("no instance metadata yet");
        }
        for (HostInfo host : hosts) {
            if (!host.equals(self)) {
                answers.add(fetch(host, pathAndQuery));
            }
        }
        return answers;
    }

    private JsonNode fetch(HostInfo host, String pathAndQuery) {
        HttpResponse<String> answer = send(host, pathAndQuery);
        if (answer.statusCode() != 200) {
            throw new Unavailable(host + " answered " + answer.statusCode());
        }
        try {
            return MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new Unavailable(host + " answered unreadable JSON");
        }
    }

    private HttpResponse<String> send(HostInfo host, String pathAndQuery) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable(host + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    private static String pathAndQuery(HttpServerExchange exchange) {
        return exchange.getRequestURI() + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
    }

    /** A query parameter, empty when absent or blank. */
    public static Optional<String> param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty()
                ? Optional.empty()
                : Optional.of(values.getFirst());
    }

    /** {@code limit}, 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}; anything else is a 400. */
    public static int limit(HttpServerExchange exchange) {
        return limit(exchange, DEFAULT_LIMIT);
    }

    /** {@code limit}, 1 to {@value #MAX_LIMIT}, default {@code absent}; anything else is a 400. */
    public static int limit(HttpServerExchange exchange, int absent) {
        Optional<String> raw = param(exchange, "limit");
        if (raw.isEmpty()) {
            return absent;
        }
        try {
            int limit = Integer.parseInt(raw.get());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400
        }
        throw new BadRequest("limit='" + raw.get() + "': must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** Thrown inside a query: the answer is 400 with this message. */
    public static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String why) {
            super(why);
        }
    }
}
