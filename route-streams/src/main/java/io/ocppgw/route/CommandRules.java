package io.ocppgw.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.topics.ChargePointPartitions;
import io.ocppgw.topics.commands.CommandCheck;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.CommandResult.Status;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The command delivery protocol as pure decisions: an input (a command, a connection event, an edge
 * report, the wall clock, a pod's lease) and what the state says in; a {@link Decision} out. No Kafka
 * here: {@link RouterProcessor} reads the state for it and carries the decision out. The table in
 * {@code docs/architecture.md} ("Command delivery") is the spec; {@code CommandRulesTest} has a test per row.
 *
 * <p>The promises it keeps: every accepted command gets exactly one result; a command is routed to a
 * session at most once; a command whose pod reported it SENT is never routed again; nothing waits
 * longer than its TTL plus its response timeout plus the report grace.
 */
final class CommandRules {

    /** Counted when a pod reports an earlier attempt SENT after the command was routed on: the one case the protocol cannot rule out. */
    static final String EARLIER_ATTEMPT_SENT = "earlier_attempt_sent_after_rerouting";

    private final RouteSettings settings;
    private final CommandCheck check;

    CommandRules(RouteSettings settings, CommandCheck check) {
        this.settings = settings;
        this.check = check;
    }

    // ------------------------------------------------------------------ commands

    /**
     * A record of {@code commands}. {@code key} is its record key, {@code partition} the partition it
     * came on and {@code sequence} its offset.
     */
    Decision onCommand(
            RouterReads state,
            String key,
            IncomingCommand incoming,
            int partition,
            long sequence,
            Instant recordTime,
            Instant now) {
        Decision d = new Decision();
        if (incoming instanceof IncomingCommand.Unreadable u) {
            return d.add(new Decision.Result(
                    rejected(u.commandId(), u.chargePointId(), Reason.INVALID, u.problem(), null, now, false)));
        }
        IncomingCommand.Readable in = (IncomingCommand.Readable) incoming;
        Command c = in.command();
        Optional<CommandCheck.Refusal> unanswerable = check.identity(key, c);
        if (unanswerable.isPresent()) {
            return d.add(new Decision.Result(rejected(c, unanswerable.get(), now, false)));
        }
        if (settings.commandPartitions() > 0
                && ChargePointPartitions.of(key, settings.commandPartitions()) != partition) {
            if (in.rekeyed()) {
                return d.add(new Decision.Result(rejected(
                        c,
                        new CommandCheck.Refusal(
                                Reason.WRONG_PARTITION,
                                "on partition " + partition
                                        + " though its key hashes to another, after being moved once; produce with Kafka's default "
                                        + "(murmur2) partitioner; with librdkafka set partitioner=murmur2_random"),
                        now,
                        false)));
            }
            return d.add(new Decision.Rekey(c)).add(new Decision.Count("rekeyed"));
        }
        String cp = c.chargePointId();
        String hash = in.contentHash();
        Optional<LedgerEntry> open = state.open(cp, c.commandId());
        Optional<FinishedCommand> finished = open.isPresent() ? Optional.empty() : state.finished(cp, c.commandId());
        String knownHash = open.map(LedgerEntry::contentHash)
                .or(() -> finished.map(FinishedCommand::contentHash))
                .orElse(null);
        if (knownHash != null) {
            if (knownHash.equals(hash)) {
                return d.add(new Decision.Count("duplicate")); // the same command again: one command, one result
            }
            return d.add(new Decision.Result(rejected(
                    c,
                    new CommandCheck.Refusal(Reason.DUPLICATE_COMMAND_ID, "commandId reused with different content"),
                    now,
                    true)));
        }
        Optional<CommandCheck.Refusal> invalid = check.content(c, in.bytes());
        if (invalid.isPresent()) {
            CommandResult r = rejected(c, invalid.get(), now, false);
            return d.add(new Decision.Result(r))
                    .add(new Decision.Remember(cp, c.commandId(), new FinishedCommand(hash, r)));
        }
        Route route = state.route(cp);
        Instant firstSeen = recordTime;
        if (c.kind() == Command.Kind.REPLY) {
            return onReply(state, d, c, in.raw(), hash, route, sequence, firstSeen, now);
        }
        Optional<CommandCheck.Refusal> unfit =
                route == null ? Optional.empty() : versionOf(route).flatMap(v -> check.fit(v, c, true));
        if (unfit.isEmpty() && state.openCount(cp) >= settings.maxOpenPerChargePoint()) {
            unfit = Optional.of(new CommandCheck.Refusal(
                    Reason.TOO_MANY_OPEN_COMMANDS,
                    "the charge point has " + settings.maxOpenPerChargePoint() + " open commands"));
        }
        if (unfit.isPresent()) {
            CommandResult r = rejected(c, unfit.get(), now, false);
            return d.add(new Decision.Result(r))
                    .add(new Decision.Remember(cp, c.commandId(), new FinishedCommand(hash, r)));
        }
        Instant deadline = CommandCheck.deadline(c, firstSeen, settings.defaultTtl());
        LedgerEntry entry = new LedgerEntry(
                StoredCommand.of(c, in.raw()),
                LedgerEntry.State.PARKED,
                0,
                null,
                null,
                null,
                null,
                c.requestedAt() != null ? c.requestedAt() : firstSeen,
                deadline,
                c.responseTimeout() != null ? c.responseTimeout() : settings.defaultResponseTimeout(),
                null,
                null,
                hash,
                sequence,
                null);
        if (!deadline.isAfter(now)) {
            return finish(
                    d,
                    entry,
                    Status.EXPIRED,
                    Reason.TTL,
                    "its deadline had passed when route-streams read it",
                    null,
                    null,
                    now);
        }
        if (isLive(state, route, now)) {
            return route(state, d, entry, route, now);
        }
        if (c.offlinePolicy() == Command.OfflinePolicy.FAIL_FAST) {
            return finish(d, entry, Status.EXPIRED, Reason.OFFLINE, offlineWhy(state, route, now), null, null, now);
        }
        return d.add(new Decision.PutEntry(entry)).add(new Decision.Count("parked"));
    }

    /** A REPLY goes to the session it names, which may not be known yet: then it waits for it, within the answer budget. */
    private Decision onReply(
            RouterReads state,
            Decision d,
            Command reply,
            byte[] raw,
            String hash,
            Route route,
            long sequence,
            Instant firstSeen,
            Instant now) {
        String session = reply.replyTo().sessionId();
        if (route != null && route.sessionId().equals(session)) {
            if (route.isOnline()) {
                return d.add(new Decision.Down(routedReply(reply, route, now)));
            }
            return d.add(new Decision.Result(rejected(
                    reply,
                    new CommandCheck.Refusal(Reason.SESSION_GONE, "session " + session + " has ended"),
                    now,
                    false)));
        }
        LedgerEntry waiting = new LedgerEntry(
                StoredCommand.of(reply, raw),
                LedgerEntry.State.WAITING_SESSION,
                0,
                null,
                null,
                null,
                session,
                firstSeen,
                firstSeen.plus(settings.replyWait()),
                Duration.ZERO,
                null,
                null,
                hash,
                sequence,
                null);
        return d.add(new Decision.PutEntry(waiting)).add(new Decision.Count("reply_waits_for_session"));
    }

    // ------------------------------------------------------------------ connection events

    Decision onConnected(RouterReads state, ConnectionEvent e, Instant now) {
        Decision d = new Decision();
        String cp = e.chargePointId();
        Route current = state.route(cp);
        if (current != null && current.isNewerThan(e.connectedAt(), e.sessionId())) {
            // A late CONNECTED of an older session: it lost; tell its pod to close it.
            return d.add(
                    new Decision.Down(superseded(cp, e.podId(), e.partition(), e.sessionId(), e.incarnation(), now)));
        }
        if (current != null && current.isOnline() && !current.sessionId().equals(e.sessionId())) {
            d.add(new Decision.Down(superseded(
                    cp, current.podId(), current.partition(), current.sessionId(), current.incarnation(), now)));
        }
        Route route = new Route(
                cp,
                e.podId(),
                e.partition(),
                e.sessionId(),
                e.connectedAt(),
                Route.State.ONLINE,
                e.at(),
                e.ocppVersion(),
                e.incarnation());
        d.add(new Decision.PutRoute(route));
        boolean live = isLive(state, route, now);
        for (LedgerEntry entry : state.openOf(cp)) {
            switch (entry.state()) {
                case WAITING_SESSION -> {
                    if (entry.sessionId().equals(route.sessionId())) {
                        d.add(new Decision.Down(routedReply(entry.command().parsed(), route, now)))
                                .add(new Decision.RemoveEntry(entry));
                    }
                }
                case PARKED -> {
                    if (live && !route.sessionId().equals(entry.sessionId())) {
                        route(state, d, entry, route, now);
                    }
                }
                case ROUTED -> {
                    // Never reported SENT, and the charge point is in a newer session now. A live pod may still send it
                    // to the old session before it closes it: its report decides (NOT_CONNECTED routes it on). A paused
                    // pod refuses what was routed to it while its lease had lapsed, and a gone one sends nothing: it
                    // goes to the new session now.
                    if (!route.sessionId().equals(entry.sessionId())
                            && (sameProcessRestarted(entry, route) || viewOf(state, entry, now) != PodView.ALIVE)) {
                        if (live) {
                            route(state, d, entry, route, now);
                        } else {
                            d.add(new Decision.PutEntry(entry.parked()));
                        }
                    }
                }
                case SENT -> {
                    // Its answer can only come on the old session. A live pod reports how that ended (it closes a
                    // superseded session); a paused one may still hold the answer in its socket buffers and report it
                    // when it resumes (or the backstop ends it); a pod that is gone never will.
                    if (!route.sessionId().equals(entry.sessionId())
                            && (sameProcessRestarted(entry, route) || viewOf(state, entry, now) == PodView.GONE)) {
                        finish(
                                d,
                                entry,
                                Status.CONNECTION_LOST,
                                Reason.POD_LOST,
                                "the charge point reconnected (session " + route.sessionId() + ") and pod "
                                        + entry.podId() + " that sent it is gone (restarted or stopped)",
                                null,
                                null,
                                now);
                    }
                }
                default -> throw new IllegalStateException("unknown state " + entry.state());
            }
        }
        return d;
    }

    Decision onDisconnected(RouterReads state, ConnectionEvent e, Instant now) {
        Decision d = new Decision();
        String cp = e.chargePointId();
        Route current = state.route(cp);
        if (current == null || !current.sessionId().equals(e.sessionId())) {
            return d; // a late DISCONNECTED of an older session never touches the newer route
        }
        d.add(new Decision.PutRoute(current.offline(e.at())));
        for (LedgerEntry entry : state.openOf(cp)) {
            if (!e.sessionId().equals(entry.sessionId())) {
                continue;
            }
            if (entry.state() == LedgerEntry.State.SENT && entry.sessionEndedAt() == null) {
                // The pod that wrote this DISCONNECTED reports how each SENT command of the session ended (RESPONSE or
                // CONNECTION_LOST), and its report decides. It may be read after the DISCONNECTED, and later still when
                // the pod's writes wait out a broker failover, so no clock starts here: the entry keeps its backstop.
                d.add(new Decision.PutEntry(entry.sessionEnded(now)));
            } else if (entry.state() == LedgerEntry.State.WAITING_SESSION) {
                finishReply(d, entry, "session " + e.sessionId() + " has ended", now);
            }
            // ROUTED ones were never sent: the pod reports them NOT_CONNECTED, and they are routed again
        }
        return d;
    }

    // ------------------------------------------------------------------ edge reports

    Decision onReport(RouterReads state, DeliveryReport r, Instant now) {
        Decision d = new Decision();
        if (r.isReply()) {
            if (r.status() == DeliveryReport.Status.REJECTED) {
                d.add(new Decision.Result(new CommandResult(
                        r.commandId(),
                        r.chargePointId(),
                        Status.REJECTED,
                        r.reason(),
                        r.description(),
                        null,
                        null,
                        0,
                        r.podId(),
                        r.sessionId(),
                        null,
                        null,
                        null,
                        now,
                        false)));
            }
            return d;
        }
        Optional<LedgerEntry> found = state.open(r.chargePointId(), r.commandId());
        if (found.isEmpty()) {
            return d.add(new Decision.Count("report_for_finished_command"));
        }
        LedgerEntry entry = found.get();
        boolean sameAttempt = r.attempt() == entry.attempts();
        boolean sameSession = r.sessionId() != null && r.sessionId().equals(entry.sessionId());
        if (entry.state() == LedgerEntry.State.WAITING_SESSION || (!sameAttempt && !sameSession)) {
            // an earlier attempt reported SENT after the command was routed on: both may have reached a wire
            return d.add(new Decision.Count(
                    r.status() == DeliveryReport.Status.SENT ? EARLIER_ATTEMPT_SENT : "report_of_an_earlier_attempt"));
        }
        switch (r.status()) {
            case SENT -> {
                if (entry.state() == LedgerEntry.State.SENT) {
                    return d.add(new Decision.Count("repeated_sent_report"));
                }
                d.add(new Decision.PutEntry(entry.sent(r.sessionId(), r.at() != null ? r.at() : now)));
            }
            case RESPONSE -> {
                if (r.error() != null) {
                    finish(d, entry, Status.FAILED, Reason.CALL_ERROR, r.error().code(), null, r.error(), now);
                } else {
                    finish(d, entry, Status.COMPLETED, null, null, r.payload(), null, now);
                }
            }
            case TIMEOUT ->
                finish(
                        d,
                        entry,
                        Status.TIMEOUT,
                        Reason.NO_ANSWER,
                        "no answer within " + entry.responseTimeout(),
                        null,
                        null,
                        now);
            case CONNECTION_LOST ->
                finish(
                        d,
                        entry,
                        Status.CONNECTION_LOST,
                        Reason.SESSION_ENDED,
                        r.description() != null ? r.description() : "the session ended before the answer",
                        null,
                        null,
                        now);
            case REJECTED -> {
                if (r.reason() == Reason.TTL) {
                    finish(
                            d,
                            entry,
                            Status.EXPIRED,
                            Reason.TTL,
                            "its deadline passed before it could be sent",
                            null,
                            null,
                            now);
                } else {
                    finish(
                            d,
                            entry,
                            Status.REJECTED,
                            r.reason() != null ? r.reason() : Reason.INVALID,
                            r.description(),
                            null,
                            null,
                            now);
                }
            }
            // a pod whose lease had lapsed refused it unsent: its session never had it, so it may go there again
            case NOT_CONNECTED ->
                notConnected(state, d, r.reason() == Reason.LEASE_LAPSED ? entry.neverTaken() : entry, now);
            default -> throw new IllegalStateException("unknown report status " + r.status());
        }
        return d;
    }

    /** The pod says it never sent the command (no such session there, or it could not make it durable first). */
    private void notConnected(RouterReads state, Decision d, LedgerEntry entry, Instant now) {
        if (entry.attempts() >= settings.maxAttempts()) {
            finish(
                    d,
                    entry,
                    Status.UNDELIVERABLE,
                    Reason.NOT_CONNECTED,
                    "not connected on " + entry.attempts() + " attempts",
                    null,
                    null,
                    now);
            return;
        }
        Route route = state.route(entry.chargePointId());
        if (route != null && !route.sessionId().equals(entry.sessionId()) && isLive(state, route, now)) {
            route(state, d, entry, route, now);
        } else if (entry.command().offlinePolicy() == Command.OfflinePolicy.FAIL_FAST) {
            finish(d, entry, Status.EXPIRED, Reason.OFFLINE, "not connected", null, null, now);
        } else {
            // wait for a newer session rather than send to the one that just said no
            d.add(new Decision.PutEntry(entry.parked())).add(new Decision.Count("parked"));
        }
    }

    // ------------------------------------------------------------------ the wall clock and pod leases

    /** When the wall clock must look at the entry again: its TTL, or the backstop once it is with a pod. */
    Instant dueAt(LedgerEntry e, PodView pod) {
        Duration grace = e.responseTimeout().plus(settings.reportGrace());
        return switch (e.state()) {
            case PARKED, WAITING_SESSION -> e.deadline();
            // a gone pod will never send it; a live or paused one may still, up to its deadline, and report it
            case ROUTED -> pod == PodView.GONE ? e.deadline() : e.deadline().plus(grace);
            case SENT -> (e.sentAt().isBefore(e.deadline()) ? e.sentAt() : e.deadline()).plus(grace);
        };
    }

    /** The wall clock reached the entry's {@link #dueAt}. */
    Decision onDue(RouterReads state, LedgerEntry e, Instant now) {
        Decision d = new Decision();
        PodView pod = viewOf(state, e, now);
        if (dueAt(e, pod).isAfter(now)) {
            return d; // not yet (its pod's view changed since it was scheduled)
        }
        return switch (e.state()) {
            case PARKED -> finish(d, e, Status.EXPIRED, Reason.TTL, "not sent before its deadline", null, null, now);
            case WAITING_SESSION ->
                finishReply(d, e, "session " + e.sessionId() + " did not appear within " + settings.replyWait(), now);
            case ROUTED ->
                finish(
                        d,
                        e,
                        Status.EXPIRED,
                        Reason.TTL,
                        "pod " + e.podId() + " did not report it sent before its deadline",
                        null,
                        null,
                        now);
            case SENT ->
                e.sessionEndedAt() != null
                        ? finish(
                                d,
                                e,
                                Status.CONNECTION_LOST,
                                Reason.SESSION_ENDED,
                                "its session ended and pod " + e.podId() + " never reported how",
                                null,
                                null,
                                now)
                        : pod == PodView.ALIVE
                                ? finish(
                                        d,
                                        e,
                                        Status.TIMEOUT,
                                        Reason.NO_REPORT,
                                        "pod " + e.podId() + " never reported the answer or a timeout",
                                        null,
                                        null,
                                        now)
                                : finish(
                                        d,
                                        e,
                                        Status.CONNECTION_LOST,
                                        Reason.POD_LOST,
                                        "pod " + e.podId() + " is " + describe(pod) + " and never reported an outcome",
                                        null,
                                        null,
                                        now);
        };
    }

    /**
     * An incarnation the entry was routed to is gone: a SENT command can never be answered now; an unsent
     * one goes to the charge point's newer live session, if it already has one (else it waits for one,
     * or its deadline).
     */
    Decision onPodGone(RouterReads state, LedgerEntry e, Instant now) {
        if (e.state() == LedgerEntry.State.SENT) {
            return finish(
                    new Decision(),
                    e,
                    Status.CONNECTION_LOST,
                    Reason.POD_LOST,
                    "pod " + e.podId() + " restarted or stopped after it sent the command",
                    null,
                    null,
                    now);
        }
        return onPodSilent(state, e, now);
    }

    /**
     * An incarnation the entry was routed to went silent (its lease lapsed): an unsent command goes to
     * the charge point's newer live session if it already has one (it reconnected elsewhere while the
     * pod still looked alive, N4); the silent pod refuses what was routed to it before its lapse. A SENT
     * one waits (N6).
     */
    Decision onPodSilent(RouterReads state, LedgerEntry e, Instant now) {
        Decision d = new Decision();
        if (e.state() == LedgerEntry.State.ROUTED) {
            Route route = state.route(e.chargePointId());
            if (route != null && !route.sessionId().equals(e.sessionId()) && isLive(state, route, now)) {
                route(state, d, e, route, now);
            }
        }
        return d;
    }

    /** The pod of the charge point's route renewed its lease after it had lapsed: what waited for it goes out. */
    Decision onPodBack(RouterReads state, String chargePointId, Instant now) {
        Decision d = new Decision();
        Route route = state.route(chargePointId);
        if (!isLive(state, route, now)) {
            return d;
        }
        for (LedgerEntry entry : state.openOf(chargePointId)) {
            if (entry.state() == LedgerEntry.State.PARKED && !route.sessionId().equals(entry.sessionId())) {
                route(state, d, entry, route, now);
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ views

    /** A route that can take commands now: ONLINE, and its pod process alive. */
    boolean isLive(RouterReads state, Route route, Instant now) {
        return route != null
                && route.isOnline()
                && PodView.of(state.lease(route.podId()), route.incarnation(), route.connectedAt(), now)
                        == PodView.ALIVE;
    }

    /** What the pod of the route is, when the route exists but cannot take commands. */
    PodView viewOfRoute(RouterReads state, Route route, Instant now) {
        return PodView.of(state.lease(route.podId()), route.incarnation(), route.connectedAt(), now);
    }

    PodView viewOf(RouterReads state, LedgerEntry e, Instant now) {
        if (e.podId() == null) {
            return PodView.ALIVE;
        }
        PodLease lease = state.lease(e.podId());
        return PodView.of(lease, e.incarnation(), e.routedAt(), now);
    }

    private static boolean sameProcessRestarted(LedgerEntry entry, Route route) {
        return entry.podId().equals(route.podId())
                && entry.incarnation() != null
                && route.incarnation() != null
                && !entry.incarnation().equals(route.incarnation());
    }

    private String offlineWhy(RouterReads state, Route route, Instant now) {
        if (route == null) {
            return "the charge point has never connected";
        }
        if (!route.isOnline()) {
            return "the charge point is not connected";
        }
        return "pod " + route.podId() + " is " + describe(viewOfRoute(state, route, now));
    }

    private static String describe(PodView view) {
        return switch (view) {
            case ALIVE -> "alive";
            case SUSPECT -> "silent (its lease expired)";
            case GONE -> "gone (restarted or stopped)";
        };
    }

    private static Optional<OcppVersion> versionOf(Route route) {
        return route.ocppVersion() == null ? Optional.empty() : OcppVersion.fromToken(route.ocppVersion());
    }

    // ------------------------------------------------------------------ making records

    private Decision route(RouterReads state, Decision d, LedgerEntry entry, Route route, Instant now) {
        LedgerEntry routed = entry.routed(route, now);
        d.add(new Decision.PutEntry(routed));
        Command c = entry.command().parsed();
        PodLease lease = state.lease(route.podId());
        Instant routedBy = lease != null && java.util.Objects.equals(lease.incarnation(), route.incarnation())
                ? lease.renewedAt()
                : null;
        return d.add(new Decision.Down(new RoutedCommand(
                RoutedCommand.Type.COMMAND,
                route.chargePointId(),
                route.podId(),
                route.partition(),
                route.sessionId(),
                routed.attempts(),
                now,
                c,
                route.incarnation(),
                entry.deadline(),
                entry.responseTimeout(),
                route.ocppVersion(),
                routedBy)));
    }

    private static RoutedCommand routedReply(Command reply, Route route, Instant now) {
        return new RoutedCommand(
                RoutedCommand.Type.COMMAND,
                route.chargePointId(),
                route.podId(),
                route.partition(),
                route.sessionId(),
                1,
                now,
                reply,
                route.incarnation(),
                null,
                null,
                null,
                null);
    }

    private static RoutedCommand superseded(
            String cp, String podId, int partition, String sessionId, String incarnation, Instant now) {
        return new RoutedCommand(
                RoutedCommand.Type.SUPERSEDED,
                cp,
                podId,
                partition,
                sessionId,
                0,
                now,
                null,
                incarnation,
                null,
                null,
                null,
                null);
    }

    private static Decision finish(
            Decision d,
            LedgerEntry e,
            Status status,
            Reason reason,
            String description,
            JsonNode payload,
            ErrorInfo error,
            Instant now) {
        StoredCommand c = e.command();
        CommandResult result = new CommandResult(
                c.commandId(),
                c.chargePointId(),
                status,
                reason,
                description,
                payload,
                error,
                e.attempts(),
                e.podId(),
                e.sessionId(),
                e.requestedAt(),
                e.routedAt(),
                e.sentAt(),
                now,
                false);
        return d.add(new Decision.Result(result))
                .add(new Decision.RemoveEntry(e))
                .add(new Decision.Remember(
                        c.chargePointId(), c.commandId(), new FinishedCommand(e.contentHash(), result)));
    }

    private Decision finishReply(Decision d, LedgerEntry e, String why, Instant now) {
        return finish(d, e, Status.REJECTED, Reason.SESSION_GONE, why, null, null, now);
    }

    private static CommandResult rejected(Command c, CommandCheck.Refusal refusal, Instant now, boolean duplicate) {
        return new CommandResult(
                c.commandId(),
                c.chargePointId(),
                Status.REJECTED,
                refusal.reason(),
                refusal.description(),
                null,
                null,
                0,
                null,
                null,
                c.requestedAt(),
                null,
                null,
                now,
                duplicate);
    }

    private static CommandResult rejected(
            String commandId,
            String cp,
            Reason reason,
            String description,
            Instant requestedAt,
            Instant now,
            boolean duplicate) {
        return new CommandResult(
                commandId,
                cp,
                Status.REJECTED,
                reason,
                description,
                null,
                null,
                0,
                null,
                null,
                requestedAt,
                null,
                null,
                now,
                duplicate);
    }
}
