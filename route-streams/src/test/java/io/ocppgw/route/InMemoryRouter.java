package io.ocppgw.route;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.commands.CommandCheck;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link CommandRules} over plain maps, for testing the rules without Kafka Streams: it plays the
 * processor's part (reads for the rules, applies their decisions) and keeps what came out. Times are
 * seconds after {@link #T0}; the wall clock only moves when a test says so.
 */
final class InMemoryRouter implements RouterReads {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final JsonSerde<Command> COMMANDS = JsonSerde.of(Command.class);

    final RouteSettings settings;
    final CommandRules rules;
    private final Map<String, Route> routes = new HashMap<>();
    private final Map<String, LedgerEntry> open = new TreeMap<>();
    private final Map<String, FinishedCommand> finished = new HashMap<>();
    private final Map<String, PodLease> leases = new HashMap<>();
    final List<CommandResult> results = new ArrayList<>();
    final List<RoutedCommand> down = new ArrayList<>();
    final List<Command> rekeyed = new ArrayList<>();
    final List<String> counted = new ArrayList<>();
    Instant now = T0;
    private long offset;

    InMemoryRouter() {
        this(RouteSettings.defaults(TopicNames.unprefixed()));
    }

    InMemoryRouter(RouteSettings settings) {
        this.settings = settings;
        this.rules = new CommandRules(settings, new CommandCheck(new SchemaValidator(), settings.maxPayloadBytes()));
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    // ------------------------------------------------------------------ inputs

    void connected(String cp, String session, String pod, long t) {
        connected(cp, session, pod, t, "inc-" + pod, "ocpp1.6");
    }

    void connected(String cp, String session, String pod, long t, String incarnation, String version) {
        apply(rules.onConnected(
                this,
                new ConnectionEvent(
                        ConnectionEvent.Type.CONNECTED,
                        cp,
                        pod,
                        0,
                        session,
                        at(t),
                        at(t),
                        version,
                        "x",
                        null,
                        incarnation),
                now));
    }

    void disconnected(String cp, String session, String pod, long t) {
        apply(rules.onDisconnected(
                this,
                new ConnectionEvent(
                        ConnectionEvent.Type.DISCONNECTED,
                        cp,
                        pod,
                        0,
                        session,
                        at(0),
                        at(t),
                        "ocpp1.6",
                        "x",
                        "closed",
                        "inc-" + pod),
                now));
    }

    void lease(String pod, PodLease.State state, long renewedAt, long ttl, String incarnation) {
        leases.put(pod, new PodLease(pod, 0, state, at(renewedAt), at(renewedAt + ttl), "test", incarnation));
    }

    /** A Reset command with the given TTL, requested now. */
    Command command(String id, String cp, Command.OfflinePolicy policy, long ttlSeconds) {
        return new Command(
                id,
                cp,
                Command.Kind.CALL,
                "Reset",
                JsonNodeFactory.instance.objectNode().put("type", "Soft"),
                now,
                null,
                Duration.ofSeconds(ttlSeconds),
                policy,
                null,
                null,
                null);
    }

    Command command(String id, String cp, String action, ObjectNode payload) {
        return new Command(
                id,
                cp,
                Command.Kind.CALL,
                action,
                payload,
                now,
                null,
                Duration.ofSeconds(60),
                Command.OfflinePolicy.QUEUE,
                null,
                null,
                null);
    }

    void send(Command c) {
        send(c.chargePointId(), c, 0, false);
    }

    void send(String key, Command c, int partition, boolean rekeyedBefore) {
        byte[] bytes = COMMANDS.serialize(null, c);
        apply(rules.onCommand(
                this,
                key,
                new IncomingCommand.Readable(c, bytes, IncomingCommand.Reader.contentHash(bytes), rekeyedBefore),
                partition,
                offset++,
                now,
                now));
    }

    void sendUnreadable(String commandId, String cp, String problem) {
        apply(rules.onCommand(this, cp, new IncomingCommand.Unreadable(commandId, cp, problem), 0, offset++, now, now));
    }

    Command reply(String id, String cp, String session, String messageId) {
        return new Command(
                id,
                cp,
                Command.Kind.REPLY,
                "Authorize",
                JsonNodeFactory.instance
                        .objectNode()
                        .set("idTagInfo", JsonNodeFactory.instance.objectNode().put("status", "Accepted")),
                now,
                null,
                null,
                null,
                null,
                new Command.ReplyTo(session, messageId),
                null);
    }

    /** A report from the pod and session the command's latest attempt went to. */
    void report(String id, String cp, DeliveryReport.Status status) {
        LedgerEntry e = open.get(CommandLedger.key(cp, id));
        report(id, cp, status, e.attempts(), e.podId(), e.sessionId(), null, null);
    }

    void report(
            String id,
            String cp,
            DeliveryReport.Status status,
            int attempt,
            String pod,
            String session,
            Reason reason,
            ErrorInfo error) {
        apply(rules.onReport(
                this,
                new DeliveryReport(
                        id,
                        cp,
                        pod,
                        "inc-" + pod,
                        session,
                        attempt,
                        Command.Kind.CALL,
                        status,
                        status == DeliveryReport.Status.RESPONSE && error == null
                                ? JsonNodeFactory.instance.objectNode().put("status", "Accepted")
                                : null,
                        error,
                        reason,
                        null,
                        now),
                now));
    }

    void replyReport(String id, String cp, Reason reason) {
        apply(rules.onReport(
                this,
                new DeliveryReport(
                        id,
                        cp,
                        "p0",
                        "inc-p0",
                        "s1",
                        1,
                        Command.Kind.REPLY,
                        DeliveryReport.Status.REJECTED,
                        null,
                        null,
                        reason,
                        "refused",
                        now),
                now));
    }

    /** The wall clock moves on; what is due is handed to the rules, and pod leases are looked at, as the punctuation does. */
    void advanceTo(long seconds) {
        now = at(seconds);
        for (LedgerEntry e : List.copyOf(open.values())) {
            if (!rules.dueAt(e, rules.viewOf(this, e, now)).isAfter(now)) {
                apply(rules.onDue(this, e, now));
            }
        }
        for (LedgerEntry e : List.copyOf(open.values())) {
            if (e.state() == LedgerEntry.State.SENT || e.state() == LedgerEntry.State.ROUTED) {
                PodView view = rules.viewOf(this, e, now);
                if (view == PodView.GONE) {
                    apply(rules.onPodGone(this, e, now));
                } else if (view == PodView.SUSPECT) {
                    apply(rules.onPodSilent(this, e, now));
                }
            }
        }
    }

    /** The punctuation found the pod's lease alive again: what was parked for its charge points goes out. */
    void podBack(String cp) {
        apply(rules.onPodBack(this, cp, now));
    }

    // ------------------------------------------------------------------ what came out

    Optional<LedgerEntry> entry(String cp, String id) {
        return Optional.ofNullable(open.get(CommandLedger.key(cp, id)));
    }

    CommandResult onlyResult() {
        if (results.size() != 1) {
            throw new AssertionError("expected one result, got " + results);
        }
        return results.get(0);
    }

    List<RoutedCommand> commandsDown() {
        return down.stream().filter(r -> r.type() == RoutedCommand.Type.COMMAND).toList();
    }

    void clearOutputs() {
        results.clear();
        down.clear();
        counted.clear();
    }

    // ------------------------------------------------------------------ RouterReads

    @Override
    public Route route(String chargePointId) {
        return routes.get(chargePointId);
    }

    @Override
    public Optional<LedgerEntry> open(String chargePointId, String commandId) {
        return entry(chargePointId, commandId);
    }

    @Override
    public List<LedgerEntry> openOf(String chargePointId) {
        return open.values().stream()
                .filter(e -> e.chargePointId().equals(chargePointId))
                .sorted(Comparator.comparingLong(LedgerEntry::sequence))
                .toList();
    }

    @Override
    public int openCount(String chargePointId) {
        return openOf(chargePointId).size();
    }

    @Override
    public Optional<FinishedCommand> finished(String chargePointId, String commandId) {
        return Optional.ofNullable(finished.get(CommandLedger.key(chargePointId, commandId)));
    }

    @Override
    public PodLease lease(String podId) {
        return leases.get(podId);
    }

    private void apply(Decision d) {
        for (Decision.Effect e : d.effects()) {
            if (e instanceof Decision.PutRoute p) {
                routes.put(p.route().chargePointId(), p.route());
            } else if (e instanceof Decision.PutEntry p) {
                open.put(CommandLedger.key(p.entry().chargePointId(), p.entry().commandId()), p.entry());
            } else if (e instanceof Decision.RemoveEntry r) {
                open.remove(
                        CommandLedger.key(r.entry().chargePointId(), r.entry().commandId()));
            } else if (e instanceof Decision.Remember r) {
                finished.put(CommandLedger.key(r.chargePointId(), r.commandId()), r.finished());
            } else if (e instanceof Decision.Down dn) {
                down.add(dn.routed());
            } else if (e instanceof Decision.Result r) {
                results.add(r.result());
            } else if (e instanceof Decision.Rekey r) {
                rekeyed.add(r.command());
            } else if (e instanceof Decision.Count c) {
                counted.add(c.what());
            }
        }
    }
}
