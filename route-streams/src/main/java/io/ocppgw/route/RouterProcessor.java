package io.ocppgw.route;

import io.ocppgw.support.streams.BadRecordException;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.RoutedCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O around {@link CommandRules} for one task (a set of co-partitioned charge points): it reads
 * connection events, commands and edge reports in timestamp order, asks the rules, and carries out
 * their {@link Decision} on the {@link CommandLedger} and the sinks. A wall-clock punctuation brings
 * due commands and changed pod leases to the rules. It is the only writer of {@code command-results}.
 */
final class RouterProcessor implements Processor<String, Object, String, Object> {

    static final String TO_COMMANDS_DOWN = "commands-down-sink";
    static final String TO_RESULTS = "command-results-sink";
    static final String TO_COMMANDS = "commands-rekeyed-sink";

    private static final Logger LOG = LoggerFactory.getLogger(RouterProcessor.class);
    private static final int MAX_DUE_PER_PUNCTUATION = 10_000;
    private static final int FINISHED_SWEPT_PER_PUNCTUATION = 2_000;
    private static final Duration REKEY_LOG_EVERY = Duration.ofMinutes(1);

    private final RouteSettings settings;
    private final CommandRules rules;
    private final RouterMetrics metrics;
    private final CommitPacing pacing;
    private final String commandsDownTopic;
    private final String resultsTopic;
    private final String commandsTopic;
    private ProcessorContext<String, Object> context;
    private CommitPacing.Task commits;
    private CommandLedger ledger;
    private Instant lastRekeyLog = Instant.EPOCH;
    /** Pod incarnations whose lapsed lease the punctuation has already acted on (in memory: after a restore it acts once more). */
    private final Set<CommandLedger.Incarnation> silentSeen = new HashSet<>();

    RouterProcessor(RouteSettings settings, CommandRules rules, RouterMetrics metrics, CommitPacing pacing) {
        this.settings = settings;
        this.rules = rules;
        this.metrics = metrics;
        this.pacing = pacing;
        this.commandsDownTopic = settings.topics().name(Topic.COMMANDS_DOWN);
        this.resultsTopic = settings.topics().name(Topic.COMMAND_RESULTS);
        this.commandsTopic = settings.topics().name(Topic.COMMANDS);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ledger = new CommandLedger(
                context.getStateStore(StoreNames.ROUTES),
                context.getStateStore(StoreNames.LEDGER),
                context.getStateStore(StoreNames.OUTCOMES),
                context.getStateStore(StoreNames.LEASES),
                metrics);
        // init runs again after every restore: what is kept in memory is derived afresh from the ledger
        silentSeen.clear();
        Instant now = now();
        ledger.rebuild(e -> rules.dueAt(e, rules.viewOf(ledger, e, now)), e -> waitsForPod(e, now));
        context.schedule(
                settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, t -> onTick(Instant.ofEpochMilli(t)));
        commits = pacing.start(context);
    }

    @Override
    public void close() {
        commits.close();
    }

    @Override
    public void process(Record<String, Object> record) {
        Object value = record.value();
        RecordMetadata where = context.recordMetadata().orElseThrow();
        metrics.recordIn(where.topic());
        commits.processed();
        Instant now = now();
        if (value == null) {
            metrics.event(
                    "tombstone"); // a deleted key of the compacted cp-connections, or an empty record: nothing to do
            return;
        }
        if (value instanceof IncomingCommand in) {
            apply(
                    rules.onCommand(
                            ledger,
                            record.key(),
                            in,
                            where.partition(),
                            where.offset(),
                            Instant.ofEpochMilli(record.timestamp()),
                            now),
                    now);
        } else if (value instanceof ConnectionEvent e) {
            requireConnectionEvent(record.key(), e);
            apply(
                    e.type() == ConnectionEvent.Type.CONNECTED
                            ? rules.onConnected(ledger, e, now)
                            : rules.onDisconnected(ledger, e, now),
                    now);
        } else if (value instanceof DeliveryReport r) {
            requireReport(record.key(), r);
            apply(rules.onReport(ledger, r, now), now);
        } else {
            throw new BadRecordException(
                    "a record of an unexpected type " + value.getClass().getSimpleName());
        }
    }

    private static void requireConnectionEvent(String key, ConnectionEvent e) {
        if (e.type() == null
                || e.chargePointId() == null
                || !e.chargePointId().equals(key)
                || e.podId() == null
                || e.sessionId() == null
                || e.connectedAt() == null
                || e.at() == null) {
            throw new BadRecordException(
                    "a connection event without type, chargePointId (equal to its key), podId, sessionId, connectedAt or at");
        }
    }

    private static void requireReport(String key, DeliveryReport r) {
        if (r.commandId() == null
                || r.chargePointId() == null
                || !r.chargePointId().equals(key)
                || r.status() == null) {
            throw new BadRecordException(
                    "a delivery report without commandId, chargePointId (equal to its key) or status");
        }
    }

    // ------------------------------------------------------------------ the wall clock

    private void onTick(Instant now) {
        for (String key : ledger.dueBy(now, MAX_DUE_PER_PUNCTUATION)) {
            ledger.entry(key).ifPresent(e -> {
                Decision d = rules.onDue(ledger, e, now);
                if (d.isEmpty()) {
                    ledger.reschedule(e, rules.dueAt(e, rules.viewOf(ledger, e, now)));
                } else {
                    apply(d, now);
                }
            });
        }
        for (Map.Entry<CommandLedger.Incarnation, CommandLedger.Held> held :
                List.copyOf(ledger.held().entrySet())) {
            CommandLedger.Incarnation pod = held.getKey();
            PodView view = PodView.of(ledger.lease(pod.podId()), pod.incarnation(), held.getValue().since, now);
            if (view == PodView.ALIVE) {
                silentSeen.remove(pod);
                continue;
            }
            if (view == PodView.SUSPECT) {
                if (silentSeen.add(pod)) { // once per lapse: later CONNECTEDs handle the rest (N4)
                    for (String key : List.copyOf(held.getValue().keys)) {
                        ledger.entry(key).ifPresent(e -> apply(rules.onPodSilent(ledger, e, now), now));
                    }
                }
                continue;
            }
            silentSeen.remove(pod);
            for (String key : List.copyOf(held.getValue().keys)) {
                ledger.entry(key).ifPresent(e -> {
                    Decision d = rules.onPodGone(ledger, e, now);
                    if (d.isEmpty()) {
                        ledger.reschedule(
                                e, rules.dueAt(e, PodView.GONE)); // never sent: waits for a new session, or its TTL
                    } else {
                        apply(d, now);
                    }
                });
            }
            ledger.forget(pod);
        }
        for (Map.Entry<String, Set<String>> waiting :
                List.copyOf(ledger.parkedFor().entrySet())) {
            var lease = ledger.lease(waiting.getKey());
            if (lease == null || lease.isAlive(now)) {
                ledger.parkedFor().remove(waiting.getKey());
                for (String cp : waiting.getValue()) {
                    apply(rules.onPodBack(ledger, cp, now), now);
                }
            }
        }
        ledger.forgetFinishedBefore(now.minus(settings.resultMemory()), FINISHED_SWEPT_PER_PUNCTUATION);
    }

    // ------------------------------------------------------------------ carrying a decision out

    private void apply(Decision decision, Instant now) {
        for (Decision.Effect effect : decision.effects()) {
            if (effect instanceof Decision.PutRoute p) {
                ledger.putRoute(p.route());
            } else if (effect instanceof Decision.PutEntry p) {
                LedgerEntry e = p.entry();
                ledger.put(e, rules.dueAt(e, rules.viewOf(ledger, e, now)), waitsForPod(e, now));
            } else if (effect instanceof Decision.RemoveEntry r) {
                ledger.remove(r.entry());
            } else if (effect instanceof Decision.Remember r) {
                ledger.remember(r.chargePointId(), r.commandId(), r.finished());
            } else if (effect instanceof Decision.Down d) {
                down(d.routed(), now);
            } else if (effect instanceof Decision.Result r) {
                result(r.result());
            } else if (effect instanceof Decision.Rekey r) {
                rekey(r, now);
            } else if (effect instanceof Decision.Count c) {
                metrics.event(c.what());
                if (c.what().equals(CommandRules.EARLIER_ATTEMPT_SENT)) {
                    LOG.error(
                            "a pod reported an earlier attempt of a command SENT after route-streams had routed it on; it may reach the "
                                    + "charge point twice (see ocppgw_route_events{event=\"{}\"})",
                            CommandRules.EARLIER_ATTEMPT_SENT);
                }
            }
        }
    }

    /** The pod a PARKED entry waits for: its charge point's route is online there, but the pod's lease lapsed. */
    private String waitsForPod(LedgerEntry e, Instant now) {
        if (e.state() != LedgerEntry.State.PARKED) {
            return null;
        }
        Route route = ledger.route(e.chargePointId());
        return route != null && route.isOnline() && rules.viewOfRoute(ledger, route, now) == PodView.SUSPECT
                ? route.podId()
                : null;
    }

    private void down(RoutedCommand routed, Instant now) {
        context.forward(new Record<>(routed.chargePointId(), (Object) routed, now.toEpochMilli()), TO_COMMANDS_DOWN);
        metrics.recordOut(commandsDownTopic);
        if (routed.type() == RoutedCommand.Type.COMMAND && routed.command().requestedAt() != null) {
            metrics.routed(Duration.between(routed.command().requestedAt(), now));
        }
    }

    private void result(CommandResult result) {
        context.forward(
                new Record<>(result.chargePointId(), (Object) result, context.currentSystemTimeMs()), TO_RESULTS);
        metrics.recordOut(resultsTopic);
        metrics.outcome(result);
        if (result.status() != CommandResult.Status.COMPLETED) {
            LOG.atInfo()
                    .setMessage("command finished")
                    .addKeyValue("chargePointId", result.chargePointId())
                    .addKeyValue("commandId", result.commandId())
                    .addKeyValue("status", result.status())
                    .addKeyValue("reason", result.reason())
                    .addKeyValue("attempts", result.attempts())
                    .addKeyValue("pod", result.podId())
                    .addKeyValue("description", result.description())
                    .log();
        }
    }

    private void rekey(Decision.Rekey r, Instant now) {
        RecordMetadata where = context.recordMetadata().orElseThrow();
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                IncomingCommand.REKEYED_FROM, String.valueOf(where.partition()).getBytes(StandardCharsets.UTF_8));
        context.forward(
                new Record<>(r.command().chargePointId(), (Object) r.command(), context.currentSystemTimeMs(), headers),
                TO_COMMANDS);
        metrics.recordOut(commandsTopic);
        if (Duration.between(lastRekeyLog, now).compareTo(REKEY_LOG_EVERY) >= 0) {
            lastRekeyLog = now;
            LOG.atWarn()
                    .setMessage(
                            "a command was on a partition its key does not hash to; moved to the right one. Its producer does not "
                                    + "use Kafka's default (murmur2) partitioner; with librdkafka set partitioner=murmur2_random")
                    .addKeyValue("chargePointId", r.command().chargePointId())
                    .addKeyValue("commandId", r.command().commandId())
                    .addKeyValue("partition", where.partition())
                    .log();
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
