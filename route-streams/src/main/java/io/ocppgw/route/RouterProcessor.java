package io.ocppgw.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.ChargePointIdentity;
import io.ocppgw.protocol.Initiator;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.PayloadKind;
import io.ocppgw.protocol.SchemaCheck;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.RoutedCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table and the command ledger of one task (a set of co-partitioned charge points). It
 * receives connection events, commands and edge delivery reports for the same keys, in timestamp
 * order, and is the only writer of {@code command-results}: every accepted command gets exactly one.
 */
final class RouterProcessor implements Processor<String, Object, String, Object> {

    static final String TO_COMMANDS_DOWN = "commands-down-sink";
    static final String TO_RESULTS = "command-results-sink";

    private static final Logger LOG = LoggerFactory.getLogger(RouterProcessor.class);
    private static final SchemaValidator VALIDATOR = new SchemaValidator();
    private static final JsonSerde<Command> COMMAND_JSON = JsonSerde.of(Command.class);

    private final RouteSettings settings;
    private final RouterMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Route> routes;
    private CommandLedger ledger;
    private KeyValueStore<String, CommandIndexEntry> index;
    private KeyValueStore<String, String> deadlines;
    private KeyValueStore<String, String> inflight;
    private KeyValueStore<String, PodLease> leases;

    RouterProcessor(RouteSettings settings, RouterMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.routes = context.getStateStore(StoreNames.ROUTES);
        this.ledger = new CommandLedger(context.getStateStore(StoreNames.LEDGER), context.getStateStore(StoreNames.OPEN_COUNTS));
        this.index = context.getStateStore(StoreNames.INDEX);
        this.deadlines = context.getStateStore(StoreNames.DEADLINES);
        this.inflight = context.getStateStore(StoreNames.INFLIGHT);
        this.leases = context.getStateStore(StoreNames.LEASES);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, t -> onTick(Instant.ofEpochMilli(t)));
        context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, t -> forgetOldResults(Instant.ofEpochMilli(t)));
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        if (record.key() == null || value == null) {
            return;
        }
        if (value instanceof ConnectionEvent e) {
            if (e.type() == ConnectionEvent.Type.CONNECTED) {
                onConnected(e);
            } else {
                onDisconnected(e);
            }
        } else if (value instanceof Command c) {
            long offset = context.recordMetadata().map(m -> m.offset()).orElse(record.timestamp());
            onCommand(record.key(), c, Instant.ofEpochMilli(record.timestamp()), offset);
        } else if (value instanceof DeliveryReport r) {
            onReport(r);
        }
    }

    // --- connection events ---

    private void onConnected(ConnectionEvent e) {
        String cp = e.chargePointId();
        Route current = routes.get(cp);
        if (current != null && current.isNewerThan(e.connectedAt(), e.sessionId())) {
            // A late CONNECTED of an older session: it lost; tell its pod to close it.
            superseded(cp, e.podId(), e.partition(), e.sessionId());
            return;
        }
        if (current != null && current.state() == Route.State.ONLINE && !current.sessionId().equals(e.sessionId())) {
            superseded(cp, current.podId(), current.partition(), current.sessionId());
        }
        Route route = new Route(cp, e.podId(), e.partition(), e.sessionId(), e.connectedAt(), Route.State.ONLINE, e.at(), e.ocppVersion());
        routes.put(cp, route);
        for (LedgerEntry entry : ledger.of(cp)) {
            boolean parked = entry.state() == LedgerEntry.State.PARKED;
            boolean routedElsewhere = entry.state() == LedgerEntry.State.ROUTED && !route.sessionId().equals(entry.sessionId());
            if (parked || routedElsewhere) {
                route(entry, route);
            }
        }
    }

    private void onDisconnected(ConnectionEvent e) {
        String cp = e.chargePointId();
        Route current = routes.get(cp);
        if (current == null || !current.sessionId().equals(e.sessionId())) {
            return; // a late DISCONNECTED of an older session never touches the newer route
        }
        routes.put(cp, new Route(cp, current.podId(), current.partition(), current.sessionId(), current.connectedAt(), Route.State.OFFLINE,
                e.at(), current.ocppVersion()));
        for (LedgerEntry entry : ledger.of(cp)) {
            if (entry.state() == LedgerEntry.State.SENT && e.sessionId().equals(entry.sessionId())) {
                finish(entry, CommandResult.Status.CONNECTION_LOST, "session ended before the answer", null, null);
            }
        }
    }

    private void superseded(String cp, String podId, int partition, String sessionId) {
        context.forward(new Record<>(cp, (Object) new RoutedCommand(RoutedCommand.Type.SUPERSEDED, cp, podId, partition, sessionId, 0,
                now(), null), context.currentSystemTimeMs()), TO_COMMANDS_DOWN);
    }

    // --- commands ---

    private void onCommand(String key, Command c, Instant recordTime, long sequence) {
        if (c.kind() == Command.Kind.REPLY) {
            routeReply(key, c);
            return;
        }
        String cp = c.chargePointId() != null ? c.chargePointId() : key;
        Optional<String> invalid = invalid(key, c);
        String hash = hash(c);
        CommandIndexEntry known = c.commandId() == null ? null : index.get(c.commandId());
        if (known != null) {
            if (known.contentHash().equals(hash)) {
                metrics.duplicate();
                return; // the same command again: one command, one outcome
            }
            emit(reject(c, cp, "DUPLICATE_COMMAND_ID: reused with different content", true));
            return;
        }
        if (invalid.isPresent()) {
            emit(reject(c, cp, invalid.get(), false));
            if (c.commandId() != null) {
                index.put(c.commandId(), new CommandIndexEntry(cp, hash, reject(c, cp, invalid.get(), false), now()));
            }
            return;
        }
        Route route = routes.get(cp);
        if (route != null && route.ocppVersion() != null) {
            Optional<OcppVersion> version = OcppVersion.fromToken(route.ocppVersion());
            if (version.isPresent()) {
                Optional<String> unfit = unfitFor(version.get(), c);
                if (unfit.isPresent()) {
                    CommandResult rejected = reject(c, cp, unfit.get(), false);
                    emit(rejected);
                    index.put(c.commandId(), new CommandIndexEntry(cp, hash, rejected, now()));
                    return;
                }
            }
        }
        if (ledger.openCount(cp) >= settings.maxOpenPerChargePoint()) {
            CommandResult rejected = reject(c, cp, "TOO_MANY_OPEN_COMMANDS: " + settings.maxOpenPerChargePoint(), false);
            emit(rejected);
            index.put(c.commandId(), new CommandIndexEntry(cp, hash, rejected, now()));
            return;
        }
        Instant requestedAt = c.requestedAt() != null ? c.requestedAt() : recordTime;
        Instant deadline = c.expiresAt() != null ? c.expiresAt()
                : requestedAt.plus(c.ttl() != null ? c.ttl() : settings.defaultTtl());
        LedgerEntry entry = new LedgerEntry(c, LedgerEntry.State.PARKED, 0, null, null, null, requestedAt, deadline, null, null, hash,
                sequence);
        index.put(c.commandId(), new CommandIndexEntry(cp, hash, null, null));
        if (!deadline.isAfter(now())) {
            ledger.open(entry);
            finish(entry, CommandResult.Status.EXPIRED, "TTL", null, null);
            return;
        }
        deadlines.put(deadlineKey(deadline, cp, c.commandId()), "");
        Optional<Route> live = live(route);
        if (live.isPresent()) {
            ledger.open(forwardRouted(entry, live.get())); // the entry is written once, already routed
        } else {
            ledger.open(entry);
            routeOrPark(entry, live, "no route");
        }
    }

    /** Routes to the live route, or parks (QUEUE) or expires (FAIL_FAST) when the charge point is offline. */
    private void routeOrPark(LedgerEntry entry, Optional<Route> live, String why) {
        if (live.isPresent()) {
            route(entry, live.get());
        } else if (entry.command().offlinePolicy() == Command.OfflinePolicy.FAIL_FAST) {
            finish(entry, CommandResult.Status.EXPIRED, "OFFLINE: " + why, null, null);
        } else {
            park(entry);
        }
    }

    private void park(LedgerEntry entry) {
        metrics.parked();
        ledger.update(entry.with(LedgerEntry.State.PARKED));
    }

    private void route(LedgerEntry entry, Route route) {
        ledger.update(forwardRouted(entry, route));
    }

    /** Puts the command on its pod's partition and returns the entry's routed state, for the caller to store. */
    private LedgerEntry forwardRouted(LedgerEntry entry, Route route) {
        if (entry.podId() != null) {
            inflight.delete(inflightKey(entry.podId(), route.chargePointId(), entry.command().commandId()));
        }
        LedgerEntry routed = entry.routed(route, now());
        inflight.put(inflightKey(route.podId(), route.chargePointId(), entry.command().commandId()), "");
        context.forward(new Record<>(route.chargePointId(), (Object) new RoutedCommand(RoutedCommand.Type.COMMAND, route.chargePointId(),
                route.podId(), route.partition(), route.sessionId(), routed.attempts(), routed.routedAt(), entry.command()),
                context.currentSystemTimeMs()), TO_COMMANDS_DOWN);
        metrics.routed(Duration.between(entry.requestedAt(), routed.routedAt()));
        return routed;
    }

    private void routeReply(String key, Command reply) {
        String cp = reply.chargePointId() != null ? reply.chargePointId() : key;
        Route route = routes.get(cp);
        if (reply.replyTo() == null || route == null || route.state() != Route.State.ONLINE
                || !route.sessionId().equals(reply.replyTo().sessionId())) {
            metrics.staleReply();
            return;
        }
        context.forward(new Record<>(cp, (Object) new RoutedCommand(RoutedCommand.Type.COMMAND, cp, route.podId(), route.partition(),
                route.sessionId(), 1, now(), reply), context.currentSystemTimeMs()), TO_COMMANDS_DOWN);
    }

    // --- edge reports ---

    private void onReport(DeliveryReport r) {
        Optional<LedgerEntry> found = r.chargePointId() == null || r.commandId() == null ? Optional.empty()
                : ledger.find(r.chargePointId(), r.commandId());
        if (found.isEmpty() || found.get().attempts() != r.attempt()) {
            return; // finished already, or a report of an earlier attempt
        }
        LedgerEntry entry = found.get();
        switch (r.status()) {
            case SENT -> {
                if (entry.state() == LedgerEntry.State.PARKED) {
                    // Parked with this attempt still current: its pod was declared dead (a NOT_CONNECTED attempt is never
                    // SENT), yet it had sent the command. Whether the charge point ran it is unknown; left SENT with no pod
                    // to report on it, nothing would ever finish it (the TTL sweep leaves SENT commands to their pod).
                    finish(entry, CommandResult.Status.CONNECTION_LOST, "pod " + entry.podId() + " lease expired after it sent the command",
                            null, null);
                } else {
                    ledger.update(entry.sent(r.at() != null ? r.at() : now()));
                }
            }
            case RESPONSE -> {
                if (r.error() != null) {
                    finish(entry, CommandResult.Status.FAILED, r.error().code(), null, r.error());
                } else {
                    finish(entry, CommandResult.Status.COMPLETED, null, r.payload(), null);
                }
            }
            case TIMEOUT -> finish(entry, CommandResult.Status.TIMEOUT, r.reason(), null, null);
            case CONNECTION_LOST -> finish(entry, CommandResult.Status.CONNECTION_LOST, r.reason(), null, null);
            case REJECTED -> {
                if ("EXPIRED".equals(r.reason())) {
                    finish(entry, CommandResult.Status.EXPIRED, "TTL", null, null);
                } else {
                    finish(entry, CommandResult.Status.REJECTED, r.reason(), null, null);
                }
            }
            case NOT_CONNECTED -> notConnected(entry);
        }
    }

    /** The edge says the charge point is not there: the route was stale. Bounded, then UNDELIVERABLE. */
    private void notConnected(LedgerEntry entry) {
        if (entry.attempts() >= settings.maxAttempts()) {
            finish(entry, CommandResult.Status.UNDELIVERABLE, "NOT_CONNECTED on " + entry.attempts() + " attempts", null, null);
            return;
        }
        inflight.delete(inflightKey(entry.podId(), entry.command().chargePointId(), entry.command().commandId()));
        Route route = routes.get(entry.command().chargePointId());
        boolean routeIsTheStaleOne = route == null || route.sessionId().equals(entry.sessionId());
        if (!routeIsTheStaleOne) {
            Optional<Route> live = live(route);
            if (live.isPresent()) {
                route(entry, live.get());
                return;
            }
        }
        // Wait for a newer CONNECTED (QUEUE) rather than sending to the session that just said no.
        if (entry.command().offlinePolicy() == Command.OfflinePolicy.FAIL_FAST) {
            finish(entry, CommandResult.Status.EXPIRED, "OFFLINE: not connected", null, null);
        } else {
            park(entry);
        }
    }

    // --- wall clock ---

    private void onTick(Instant now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = deadlines.range(deadlineKeyPrefix(Instant.EPOCH), deadlineKeyPrefix(now))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> kv : due) {
            deadlines.delete(kv.key);
            String[] parts = kv.key.split(":", 3);
            Optional<LedgerEntry> entry = ledger.find(parts[1], parts[2]);
            if (entry.isPresent() && entry.get().state() != LedgerEntry.State.SENT) {
                finish(entry.get(), CommandResult.Status.EXPIRED, "TTL", null, null);
            }
        }
        try (KeyValueIterator<String, PodLease> pods = leases.all()) {
            List<String> dead = new ArrayList<>();
            pods.forEachRemaining(kv -> {
                if (kv.value != null && !kv.value.isAlive(now)) {
                    dead.add(kv.key);
                }
            });
            dead.forEach(pod -> onPodDead(pod, now));
        }
    }

    /** Commands on a dead pod: sent ones have an unknown outcome; unsent ones are routed again or parked. */
    private void onPodDead(String podId, Instant now) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = inflight.prefixScan(podId + ":", new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        for (String key : keys) {
            inflight.delete(key);
            String[] parts = key.split(":", 3);
            Optional<LedgerEntry> entry = ledger.find(parts[1], parts[2]);
            if (entry.isEmpty() || !podId.equals(entry.get().podId())) {
                continue;
            }
            if (entry.get().state() == LedgerEntry.State.SENT) {
                finish(entry.get(), CommandResult.Status.CONNECTION_LOST, "pod " + podId + " lease expired", null, null);
            } else {
                routeOrPark(entry.get(), liveRoute(parts[1]), "pod " + podId + " lease expired");
            }
        }
    }

    private void forgetOldResults(Instant now) {
        Instant before = now.minus(settings.resultMemory());
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, CommandIndexEntry> it = index.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value != null && kv.value.isFinished() && kv.value.finishedAt().isBefore(before)) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(index::delete);
    }

    // --- outcomes ---

    private void finish(LedgerEntry entry, CommandResult.Status status, String reason, JsonNode payload, ErrorInfo error) {
        Command c = entry.command();
        Instant now = now();
        CommandResult result = new CommandResult(c.commandId(), c.chargePointId(), status, reason, payload, error, entry.attempts(),
                entry.podId(), entry.sessionId(), entry.requestedAt(), entry.routedAt(), entry.sentAt(), now, false);
        emit(result);
        index.put(c.commandId(), new CommandIndexEntry(c.chargePointId(), entry.contentHash(), result, now));
        deadlines.delete(deadlineKey(entry.deadline(), c.chargePointId(), c.commandId()));
        if (entry.podId() != null) {
            inflight.delete(inflightKey(entry.podId(), c.chargePointId(), c.commandId()));
        }
        ledger.remove(entry);
    }

    private void emit(CommandResult result) {
        metrics.outcome(result.status().name());
        context.forward(new Record<>(result.chargePointId(), (Object) result, context.currentSystemTimeMs()), TO_RESULTS);
    }

    private CommandResult reject(Command c, String cp, String reason, boolean duplicate) {
        Instant now = now();
        return new CommandResult(c.commandId(), cp, CommandResult.Status.REJECTED, reason, null, null, 0, null, null, c.requestedAt(),
                null, null, now, duplicate);
    }

    // --- rules ---

    /** A route that can take commands now: ONLINE, and its pod's lease not expired or STOPPED. */
    private Optional<Route> liveRoute(String cp) {
        return live(routes.get(cp));
    }

    private Optional<Route> live(Route route) {
        if (route == null || route.state() != Route.State.ONLINE) {
            return Optional.empty();
        }
        PodLease lease = leases.get(route.podId());
        // No lease seen yet (the lease topic may lag a fresh pod): the route's own CONNECTED vouches for it.
        if (lease != null && !lease.isAlive(now())) {
            return Optional.empty();
        }
        return Optional.of(route);
    }

    private Optional<String> invalid(String key, Command c) {
        if (c.commandId() == null || c.commandId().isBlank()) {
            return Optional.of("INVALID: commandId is missing");
        }
        if (c.commandId().length() > 36) {
            return Optional.of("INVALID: commandId longer than 36 characters (it is the OCPP message id)");
        }
        if (c.chargePointId() == null || !c.chargePointId().equals(key)) {
            return Optional.of("INVALID: chargePointId missing or different from the record key");
        }
        if (!ChargePointIdentity.isPossible(c.chargePointId())) {
            return Optional.of("INVALID: chargePointId cannot be a charge point identity (" + ChargePointIdentity.RULE + ")");
        }
        if (c.kind() == null || c.action() == null || c.action().isBlank()) {
            return Optional.of("INVALID: kind and action are required");
        }
        if (c.payload() == null || !c.payload().isObject()) {
            return Optional.of("INVALID: payload must be a JSON object");
        }
        if (c.payload().toString().getBytes(StandardCharsets.UTF_8).length > settings.maxPayloadBytes()) {
            return Optional.of("TOO_LARGE: payload over " + settings.maxPayloadBytes() + " bytes");
        }
        if (c.offlinePolicy() == null) {
            return Optional.of("INVALID: offlinePolicy is required (QUEUE or FAIL_FAST)");
        }
        return Optional.empty();
    }

    /** Whether the charge point's negotiated version can take the command at all. */
    private static Optional<String> unfitFor(OcppVersion version, Command c) {
        if (ActionCatalogue.checkCall(version, c.action(), Initiator.CSMS).isPresent()) {
            return Optional.of("UNSUPPORTED_ACTION: " + c.action() + " is not a CSMS action in " + version.token());
        }
        SchemaCheck check = VALIDATOR.validate(version, c.action(), PayloadKind.REQUEST, c.payload());
        return check.isValid() ? Optional.empty() : Optional.of("SCHEMA: " + check.description());
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    static String deadlineKey(Instant deadline, String cp, String commandId) {
        return deadlineKeyPrefix(deadline) + ":" + cp + ":" + commandId;
    }

    /** Zero-padded millis, so keys sort by time (by hand: String.format took 8% of the stream thread). */
    static String deadlineKeyPrefix(Instant at) {
        String millis = Long.toString(Math.max(0, at.toEpochMilli()));
        return millis.length() >= 15 ? millis : "0".repeat(15 - millis.length()) + millis;
    }

    static String inflightKey(String podId, String cp, String commandId) {
        return podId + ":" + cp + ":" + commandId;
    }

    /** Content identity of a command, to tell a harmless duplicate from a reused id. */
    static String hash(Command c) {
        try {
            byte[] json = COMMAND_JSON.serialize(null, c);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

}
