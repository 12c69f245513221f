package io.ocppgw.route;

import static io.ocppgw.support.streams.StoreQueries.param;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.support.AdminServer;
import io.ocppgw.support.streams.StoreQueries;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * route-streams' query API over its stores, on the shared plumbing of {@link StoreQueries}:
 * keyed reads answered by the owner of the key, listings gathered from every instance, 503 while a
 * store is moving. Iterators are always closed.
 */
final class RouteQueries {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The OpenAPI document of these queries, served beside them. */
    static final String DOCUMENT = "openapi/route-api.yaml";

    private final StoreQueries q;

    RouteQueries(StoreQueries queries) {
        this.q = queries;
    }

    void register(AdminServer admin) {
        admin.route("/api/v1/routes/{chargePointId}", q.guarded(this::route))
                .route("/api/v1/routes", q.guarded(this::routes))
                .route("/api/v1/commands/{commandId}", q.guarded(this::command))
                .route("/api/v1/pods", q.guarded(this::pods))
                .route("/api/v1/stats", q.guarded(this::stats))
                .document("/api/v1/openapi.yaml", DOCUMENT, "application/yaml");
    }

    // GET /api/v1/routes/{cp}
    private void route(HttpServerExchange exchange) {
        String cp = param(exchange, "chargePointId").orElseThrow();
        Optional<Integer> partition = q.ownedPartition(exchange, StoreNames.ROUTES, cp);
        if (partition.isEmpty()) {
            return;
        }
        Route route = q.<Route>keyedStore(StoreNames.ROUTES, partition.get()).get(cp);
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
            AdminServer.respond(
                    exchange,
                    400,
                    JSON.objectNode()
                            .put(
                                    "error",
                                    "add ?chargePointId=…: commands are kept with their charge point's partition"));
            return;
        }
        Optional<Integer> partition = q.ownedPartition(exchange, StoreNames.ROUTES, cp.get());
        if (partition.isEmpty()) {
            return;
        }
        Optional<LedgerEntry> open = Optional.ofNullable(q.<LedgerEntry>keyedStore(StoreNames.LEDGER, partition.get())
                .get(CommandLedger.key(cp.get(), commandId)));
        if (open.isPresent()) {
            ObjectNode body = JSON.objectNode()
                    .put("commandId", commandId)
                    .put("state", open.get().state().name());
            body.set("entry", JsonSerde.MAPPER.valueToTree(open.get()));
            AdminServer.respond(exchange, 200, body);
            return;
        }
        FinishedCommand known = q.<FinishedCommand>keyedStore(StoreNames.OUTCOMES, partition.get())
                .get(CommandLedger.key(cp.get(), commandId));
        if (known != null) {
            ObjectNode body = JSON.objectNode().put("commandId", commandId).put("state", "FINISHED");
            body.set("result", JsonSerde.MAPPER.valueToTree(known.result()));
            AdminServer.respond(exchange, 200, body);
            return;
        }
        AdminServer.respond(
                exchange, 404, JSON.objectNode().put("error", "no command " + commandId + " for " + cp.get()));
    }

    // GET /api/v1/routes?pod=…&limit=…&cursor=…  (sorted by charge point id; cursor = last id of the previous page)
    private void routes(HttpServerExchange exchange) {
        Optional<String> pod = param(exchange, "pod");
        q.respondListing(
                exchange,
                "routes",
                Comparator.comparing(n -> n.path("chargePointId").asText()),
                n -> n.path("chargePointId").asText(),
                (cursor, limit) -> localRoutes(pod, cursor, limit));
    }

    private List<JsonNode> localRoutes(Optional<String> pod, String cursor, int limit) {
        List<JsonNode> out = new ArrayList<>();
        // keys are charge point ids: the page starts just after the cursor
        q.<Route>firstFrom(
                        StoreNames.ROUTES,
                        cursor.isEmpty() ? "" : cursor + "\u0000",
                        limit,
                        r -> pod.map(p -> p.equals(r.podId())).orElse(true))
                .forEach(kv -> out.add(JsonSerde.MAPPER.valueToTree(kv.value)));
        return out;
    }

    // GET /api/v1/pods  (the global store: every instance has all of it)
    private void pods(HttpServerExchange exchange) {
        ArrayNode list = JSON.arrayNode();
        Instant now = Instant.now();
        try (KeyValueIterator<String, PodLease> it =
                q.<PodLease>localStore(StoreNames.LEASES).all()) {
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
        localStats(totals, perPod);
        if (!q.isLocalOnly(exchange)) {
            for (JsonNode part : q.fromOtherInstances("/api/v1/stats?local=true")) {
                part.path("totals")
                        .fields()
                        .forEachRemaining(
                                e -> totals.merge(e.getKey(), e.getValue().asLong(), Long::sum));
                part.path("routesPerPod")
                        .fields()
                        .forEachRemaining(
                                e -> perPod.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            }
        }
        ObjectNode body = JSON.objectNode();
        body.set("totals", JsonSerde.MAPPER.valueToTree(totals));
        body.set("routesPerPod", JsonSerde.MAPPER.valueToTree(perPod));
        AdminServer.respond(exchange, 200, body);
    }

    private void localStats(Map<String, Long> totals, Map<String, Long> perPod) {
        try (KeyValueIterator<String, Route> it =
                q.<Route>localStore(StoreNames.ROUTES).all()) {
            it.forEachRemaining(kv -> {
                totals.merge(kv.value.state() == Route.State.ONLINE ? "routesOnline" : "routesOffline", 1L, Long::sum);
                if (kv.value.state() == Route.State.ONLINE) {
                    perPod.merge(kv.value.podId(), 1L, Long::sum);
                }
            });
        }
        try (KeyValueIterator<String, LedgerEntry> it =
                q.<LedgerEntry>localStore(StoreNames.LEDGER).all()) {
            it.forEachRemaining(kv -> {
                totals.merge("openCommands", 1L, Long::sum);
                if (kv.value.state() == LedgerEntry.State.PARKED) {
                    totals.merge("parkedCommands", 1L, Long::sum);
                }
            });
        }
        totals.putIfAbsent("routesOnline", 0L);
        totals.putIfAbsent("routesOffline", 0L);
        totals.putIfAbsent("openCommands", 0L);
        totals.putIfAbsent("parkedCommands", 0L);
    }
}
