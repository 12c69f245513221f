package io.ocppgw.reconcile;

import static io.ocppgw.support.streams.StoreQueries.param;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.support.AdminServer;
import io.ocppgw.support.streams.StoreQueries;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * reconciliation-streams' query API on the shared plumbing of {@link StoreQueries}:
 * <ul>
 *   <li>{@code GET /api/v1/transactions/{cp}} — the charge point's known transactions, starts still
 *       waiting for an id, and boot checks inside their grace window;</li>
 *   <li>{@code GET /api/v1/transactions?state=open|suspect|stopped|any&limit=&cursor=} — every instance's
 *       transactions in key order ({@code chargePointId:transactionId}); the cursor is the last key;</li>
 *   <li>{@code GET /api/v1/reconciliation/{cp}} — its latest reconciliation events;</li>
 *   <li>{@code GET /api/v1/stats} — counts summed over instances.</li>
 * </ul>
 */
final class ReconcileQueries {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Comparator<JsonNode> LISTING_ORDER = Comparator.<JsonNode, String>comparing(
                    n -> n.path("chargePointId").asText())
            .thenComparing(n -> n.path("transactionId").asText());

    /** The OpenAPI document of these queries, served beside them. */
    static final String DOCUMENT = "openapi/reconcile-api.yaml";

    private final StoreQueries q;

    ReconcileQueries(StoreQueries queries) {
        this.q = queries;
    }

    void register(AdminServer admin) {
        admin.route("/api/v1/transactions/{chargePointId}", q.guarded(this::chargePoint))
                .route("/api/v1/transactions", q.guarded(this::transactions))
                .route("/api/v1/reconciliation/{chargePointId}", q.guarded(this::events))
                .route("/api/v1/frames/{chargePointId}", q.guarded(this::frames))
                .route("/api/v1/stats", q.guarded(this::stats))
                .document("/api/v1/openapi.yaml", DOCUMENT, "application/yaml");
    }

    private void chargePoint(HttpServerExchange exchange) {
        String cp = param(exchange, "chargePointId").orElseThrow();
        Optional<Integer> partition = q.ownedPartition(exchange, StoreNames.BOOKS, cp);
        if (partition.isEmpty()) {
            return;
        }
        ChargePointBook book =
                q.<ChargePointBook>keyedStore(StoreNames.BOOKS, partition.get()).get(cp);
        if (book == null) {
            AdminServer.respond(exchange, 404, JSON.objectNode().put("error", "no transactions known for " + cp));
            return;
        }
        ObjectNode body = JSON.objectNode().put("chargePointId", cp);
        body.put("lastSessionId", book.lastSessionId)
                .put("lastPodId", book.lastPodId)
                .put("lastSeenAt", book.lastSeenAt == null ? null : book.lastSeenAt.toString());
        ArrayNode txs = body.putArray("transactions");
        book.transactions.stream()
                .sorted(Comparator.comparing(t -> t.transactionId))
                .forEach(t -> txs.add(JsonSerde.MAPPER.valueToTree(t.toState(cp))));
        ArrayNode starts = body.putArray("startsAwaitingId");
        book.pendingStarts.forEach(p -> starts.add(JSON.objectNode()
                .put("connectorId", p.connectorId)
                .put("idTag", p.idTag)
                .put("timestamp", p.timestamp.toString())
                .put("meterStart", p.meterStart)
                .put("sessionId", p.sessionId)));
        ArrayNode checks = body.putArray("bootChecks");
        book.bootChecks.forEach(c -> {
            ObjectNode check = checks.addObject()
                    .put("bootSessionId", c.bootSessionId)
                    .put("bootAt", c.bootAt.toString())
                    .put("graceEndsAt", c.deadline.toString());
            c.waiting.forEach(check.putArray("waitingFor")::add);
        });
        AdminServer.respond(exchange, 200, body);
    }

    private void events(HttpServerExchange exchange) {
        String cp = param(exchange, "chargePointId").orElseThrow();
        Optional<Integer> partition = q.ownedPartition(exchange, StoreNames.RECENT_EVENTS, cp);
        if (partition.isEmpty()) {
            return;
        }
        RecentEvents recent = q.<RecentEvents>keyedStore(StoreNames.RECENT_EVENTS, partition.get())
                .get(cp);
        ObjectNode body = JSON.objectNode().put("chargePointId", cp);
        body.set("events", JsonSerde.MAPPER.valueToTree(recent == null ? List.of() : recent.events()));
        AdminServer.respond(exchange, 200, body);
    }

    // GET /api/v1/frames/{cp}?limit=…  (its latest journal frames, oldest first, secrets hidden)
    private void frames(HttpServerExchange exchange) {
        String cp = param(exchange, "chargePointId").orElseThrow();
        int limit = StoreQueries.limit(exchange, StoreQueries.MAX_LIMIT); // absent: every frame kept
        Optional<Integer> partition = q.ownedPartition(exchange, StoreNames.RECENT_FRAMES, cp);
        if (partition.isEmpty()) {
            return;
        }
        List<RecentFrames.Frame> kept = new ArrayList<>();
        try (KeyValueIterator<String, RecentFrames.Frame> it = q.<RecentFrames.Frame>keyedStore(
                        StoreNames.RECENT_FRAMES, partition.get())
                .range(RecentFrames.from(cp), RecentFrames.to(cp))) {
            it.forEachRemaining(kv -> kept.add(kv.value));
        }
        kept.sort(Comparator.comparingLong(RecentFrames.Frame::seq));
        ObjectNode body = JSON.objectNode().put("chargePointId", cp);
        ArrayNode frames = body.putArray("frames");
        kept.subList(Math.max(0, kept.size() - limit), kept.size())
                .forEach(f -> frames.add(JsonSerde.MAPPER.valueToTree(f.entry())));
        AdminServer.respond(exchange, 200, body);
    }

    private void transactions(HttpServerExchange exchange) {
        String state = param(exchange, "state").orElse("any").toLowerCase(Locale.ROOT);
        Predicate<TrackedTransaction> wanted;
        switch (state) {
            case "open":
                wanted = t -> t.status == TransactionState.Status.OPEN;
                break;
            case "suspect":
                wanted = t -> t.status == TransactionState.Status.SUSPECT;
                break;
            case "stopped":
                wanted = t -> t.status == TransactionState.Status.STOPPED;
                break;
            case "any":
                wanted = t -> true;
                break;
            default:
                throw new StoreQueries.BadRequest("state='" + state + "': must be open, suspect, stopped or any");
        }
        Optional<String> stopReason = param(exchange, "stopReason");
        Predicate<TrackedTransaction> listed =
                stopReason.isEmpty() ? wanted : wanted.and(t -> stopReason.get().equalsIgnoreCase(t.stopReason));
        q.respondListing(
                exchange,
                "transactions",
                LISTING_ORDER,
                n -> TransactionKey.of(
                        n.path("chargePointId").asText(),
                        n.path("transactionId").asText()),
                (cursor, limit) -> localTransactions(listed, cursor, limit));
    }

    /** This instance's first {@code limit + 1} matching transactions after the cursor ({@code cp:transactionId}). */
    private List<JsonNode> localTransactions(Predicate<TrackedTransaction> wanted, String cursor, int limit) {
        String cursorCp = cursor.isEmpty() ? "" : TransactionKey.chargePointId(cursor);
        String cursorTx = cursor.isEmpty() ? "" : TransactionKey.transactionId(cursor);
        // Ordered by charge point, then transaction id (as the books are), so the cursor's own book may
        // still hold transactions of the next page.
        BiPredicate<ChargePointBook, TrackedTransaction> listed = (book, t) -> wanted.test(t)
                && (cursor.isEmpty()
                        || book.chargePointId.compareTo(cursorCp) > 0
                        || t.transactionId.compareTo(cursorTx) > 0);
        List<JsonNode> out = new ArrayList<>();
        for (var kv : q.<ChargePointBook>firstFrom(
                StoreNames.BOOKS,
                cursorCp,
                limit,
                book -> book.transactions.stream().anyMatch(t -> listed.test(book, t)))) {
            ChargePointBook book = kv.value;
            book.transactions.stream()
                    .filter(t -> listed.test(book, t))
                    .forEach(t -> out.add(JsonSerde.MAPPER.valueToTree(t.toState(book.chargePointId))));
        }
        out.sort(LISTING_ORDER);
        return new ArrayList<>(out.subList(0, Math.min(out.size(), limit + 1)));
    }

    private void stats(HttpServerExchange exchange) {
        Map<String, Long> totals = localStats();
        if (!q.isLocalOnly(exchange)) {
            for (JsonNode part : q.fromOtherInstances("/api/v1/stats?local=true")) {
                part.path("totals")
                        .fields()
                        .forEachRemaining(
                                e -> totals.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            }
        }
        ObjectNode body = JSON.objectNode();
        body.set("totals", JsonSerde.MAPPER.valueToTree(totals));
        AdminServer.respond(exchange, 200, body);
    }

    /** Counts over this instance's books; also what the open-transactions gauge reads. */
    Map<String, Long> localStats() {
        Map<String, Long> totals = new TreeMap<>();
        for (String name : List.of("chargePoints", "open", "suspect", "stopped", "startsAwaitingId", "bootChecks")) {
            totals.put(name, 0L);
        }
        try (KeyValueIterator<String, ChargePointBook> it =
                q.<ChargePointBook>localStore(StoreNames.BOOKS).all()) {
            it.forEachRemaining(kv -> {
                totals.merge("chargePoints", 1L, Long::sum);
                kv.value.transactions.forEach(
                        t -> totals.merge(t.status.name().toLowerCase(Locale.ROOT), 1L, Long::sum));
                totals.merge("startsAwaitingId", (long) kv.value.pendingStarts.size(), Long::sum);
                totals.merge("bootChecks", (long) kv.value.bootChecks.size(), Long::sum);
            });
        }
        return totals;
    }
}
