package io.ocppgw.edge.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.edge.kafka.KafkaWriter;
import io.ocppgw.edge.metrics.EdgeMetrics;
import io.ocppgw.edge.session.OutboundQueue;
import io.ocppgw.edge.session.Session;
import io.ocppgw.edge.session.SessionRegistry;
import io.ocppgw.edge.session.Wire;
import io.ocppgw.edge.upstream.PendingReplies;
import io.ocppgw.edge.upstream.ValidationPolicy;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.topics.commands.CommandCheck;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what route-streams put on this pod's {@code commands-down} partition: CALL commands to the
 * session they were routed to (FIFO, one outstanding, the commandId as message id, with a response
 * timeout), REPLY commands to the CALL they answer, and SUPERSEDED control records.
 *
 * <p>Write-ahead: a command's journal record and its SENT report are acknowledged by Kafka before the
 * CALL goes on the wire, so a command whose pod dies is either known SENT (its outcome is then
 * unknown: CONNECTION_LOST) or was never on a wire (it is routed again). Every CALL command read ends
 * in exactly one of RESPONSE, TIMEOUT, NOT_CONNECTED, CONNECTION_LOST or REJECTED on
 * {@code command-status}; a REPLY the pod refuses gets a REJECTED report.
 */
public final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final String podId;
    private final String incarnation;
    private final SessionRegistry sessions;
    private final KafkaWriter kafka;
    private final CommandCheck check;
    private final Function<String, ValidationPolicy> validation;
    private final PendingReplies replies;
    private final OcppCodec codec;
    private final Wire wire;
    private final EdgeMetrics metrics;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Duration defaultTimeout;
    private final LeaseWatch lease;

    public CommandDispatcher(
            String podId,
            String incarnation,
            SessionRegistry sessions,
            KafkaWriter kafka,
            CommandCheck check,
            Function<String, ValidationPolicy> validation,
            PendingReplies replies,
            OcppCodec codec,
            Wire wire,
            EdgeMetrics metrics,
            ScheduledExecutorService timers,
            Clock clock,
            Duration defaultTimeout,
            LeaseWatch lease) {
        this.podId = podId;
        this.incarnation = incarnation;
        this.sessions = sessions;
        this.kafka = kafka;
        this.check = check;
        this.validation = validation;
        this.replies = replies;
        this.codec = codec;
        this.wire = wire;
        this.metrics = metrics;
        this.timers = timers;
        this.clock = clock;
        this.defaultTimeout = defaultTimeout;
        this.lease = lease;
    }

    /** One record of this pod's partition; runs on the consumer thread and never blocks. */
    public void onRecord(RoutedCommand routed) {
        if (!podId.equals(routed.podId())) {
            metrics.downstream("other_pod");
            return; // another pod whose name hashes to the same partition owns it
        }
        if (routed.type() == RoutedCommand.Type.SUPERSEDED) {
            sessions.current(routed.chargePointId())
                    .filter(s -> s.sessionId().equals(routed.sessionId()))
                    .ifPresent(s -> {
                        s.closeReason("superseded");
                        metrics.closed("superseded");
                        wire.close(s.channel(), 1000, "superseded by a newer connection on another pod");
                    });
            return;
        }
        Command command = routed.command();
        if (command.kind() == Command.Kind.REPLY) {
            deliverReply(routed);
            return;
        }
        // only the session it was routed to: route-streams knows which sessions took a command, and
        // routes it to a newer one itself
        Optional<Session> session = sessions.current(routed.chargePointId())
                .filter(s -> s.sessionId().equals(routed.sessionId()));
        if (session.isEmpty()) {
            report(
                    routed,
                    null,
                    DeliveryReport.Status.NOT_CONNECTED,
                    null,
                    null,
                    Reason.NO_SESSION,
                    "session " + routed.sessionId() + " is not on pod " + podId);
            return;
        }
        Session s = session.get();
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            if (outbound.took(command.commandId())) {
                takenAgain(s, outbound, routed);
                return;
            }
            if (!lease.maySend(routed.leaseRenewedAt(), clock.instant())) {
                leaseLapsed(routed, s);
                return;
            }
            if (!outbound.offer(routed)) {
                report(
                        routed,
                        s,
                        DeliveryReport.Status.REJECTED,
                        null,
                        null,
                        Reason.QUEUE_FULL,
                        "the session's outbound queue is full");
                return;
            }
            sendNext(s);
        }
    }

    /**
     * A newer attempt of a command this session already took. It is never sent twice: a waiting or
     * outstanding one carries on under the newer attempt; one already settled here is refused.
     */
    private void takenAgain(Session s, OutboundQueue outbound, RoutedCommand newer) {
        metrics.downstream("taken_again");
        if (outbound.replaceWaiting(newer)) {
            return;
        }
        Optional<OutboundQueue.InFlight> current = outbound.inFlight()
                .filter(f -> f.commandId().equals(newer.command().commandId()));
        if (current.isPresent()) {
            current.get().adopt(newer);
            if (current.get().onWire()) {
                report(newer, s, DeliveryReport.Status.SENT, null, null, null, "already on this session's wire");
            }
            return;
        }
        report(
                newer,
                s,
                DeliveryReport.Status.REJECTED,
                null,
                null,
                Reason.ALREADY_SENT,
                "session " + s.sessionId() + " already took this commandId; a session never takes one twice");
    }

    /**
     * An answer from the charge point (IO thread). {@code journal} is called with the action it answers
     * (empty if it answers nothing pending) before the next command goes out, so the journal keeps wire order.
     */
    public void onAnswer(Session s, OcppFrame frame, Consumer<Optional<String>> journal) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            Optional<OutboundQueue.InFlight> settled = outbound.settle(frame.messageId());
            if (settled.isEmpty()) {
                metrics.downstream("late_or_unknown_answer");
                journal.accept(Optional.empty());
                return;
            }
            OutboundQueue.InFlight done = settled.get();
            done.cancelTimeout();
            journal.accept(Optional.of(done.command().command().action()));
            metrics.commandRoundTrip(Duration.ofNanos(System.nanoTime() - done.sentNanos()));
            if (frame instanceof OcppFrame.CallResult r) {
                report(done.command(), s, DeliveryReport.Status.RESPONSE, r.payload(), null, null, null);
            } else if (frame instanceof OcppFrame.ErrorFrame e) {
                report(
                        done.command(),
                        s,
                        DeliveryReport.Status.RESPONSE,
                        null,
                        new ErrorInfo(e.errorCode(), e.errorDescription(), e.errorDetails()),
                        null,
                        null);
            }
            sendNext(s);
        }
    }

    /** A broken answer whose id could be read: it settles the CALL as a response with an error. */
    public void onInvalidAnswer(Session s, String messageId, String reason) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            outbound.settle(messageId).ifPresent(done -> {
                done.cancelTimeout();
                report(
                        done.command(),
                        s,
                        DeliveryReport.Status.RESPONSE,
                        null,
                        new ErrorInfo("InvalidResponse", reason, null),
                        null,
                        null);
                sendNext(s);
            });
        }
    }

    /**
     * The session ended: the CALL on the wire is CONNECTION_LOST; the never-sent ones NOT_CONNECTED (route
     * them again). One still being written ahead is settled when its writes are (it never reaches the wire).
     */
    public void onSessionClosed(Session s) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            outbound.inFlight().filter(OutboundQueue.InFlight::onWire).ifPresent(f -> {
                f.cancelTimeout();
                outbound.release(f);
                report(
                        f.command(),
                        s,
                        DeliveryReport.Status.CONNECTION_LOST,
                        null,
                        null,
                        Reason.SESSION_ENDED,
                        s.closeReason());
            });
            for (RoutedCommand never : outbound.drainWaiting()) {
                report(
                        never,
                        s,
                        DeliveryReport.Status.NOT_CONNECTED,
                        null,
                        null,
                        Reason.NO_SESSION,
                        "the session ended before it was sent");
            }
        }
    }

    /** Starts the next command that may go out, if none is outstanding. Holds the outbound lock. */
    private void sendNext(Session s) {
        OutboundQueue outbound = s.outbound();
        for (Optional<RoutedCommand> next = outbound.next(); next.isPresent(); next = outbound.next()) {
            RoutedCommand routed = next.get();
            if (!lease.maySend(routed.leaseRenewedAt(), clock.instant())) {
                leaseLapsed(routed, s);
                continue;
            }
            Optional<CommandCheck.Refusal> refusal = refusal(s, routed);
            if (refusal.isPresent()) {
                report(
                        routed,
                        s,
                        DeliveryReport.Status.REJECTED,
                        null,
                        null,
                        refusal.get().reason(),
                        refusal.get().description());
                continue;
            }
            OutboundQueue.InFlight f = outbound.start(routed);
            Command c = routed.command();
            CompletableFuture<?> journaled = kafka.journal(new JournalEntry(
                    s.identity(),
                    podId,
                    s.sessionId(),
                    s.version().token(),
                    Direction.TO_CP,
                    "CALL",
                    c.commandId(),
                    c.action(),
                    c.payload(),
                    null,
                    clock.instant()));
            CompletableFuture<?> sentReported = report(routed, s, DeliveryReport.Status.SENT, null, null, null, null);
            CompletableFuture.allOf(journaled, sentReported)
                    .whenCompleteAsync((v, error) -> afterWriteAhead(s, f, error), s.ioThread());
            return;
        }
    }

    /**
     * The command's journal record and SENT report settled: on the wire now, unless they failed, the session
     * ended, or this pod's lease lapsed meanwhile.
     */
    private void afterWriteAhead(Session s, OutboundQueue.InFlight f, Throwable error) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            if (!outbound.isCurrent(f)) {
                return;
            }
            // the lease may have lapsed while the writes were under way (a pause, a slow broker): route-streams
            // may have given the command to the charge point's newer session meanwhile, so it must not go out here
            boolean lapsed = !lease.maySend(f.command().leaseRenewedAt(), clock.instant());
            boolean ended = s.isClosing() || !s.channel().isOpen();
            if (error == null && !lapsed && !ended) {
                putOnWire(s, f);
                return;
            }
            if (error == null && lapsed) {
                outbound.withdraw(f); // never on this wire: a newer attempt may come back to this session
            } else {
                outbound.release(f);
            }
            // its CALL is in the journal, written ahead: say that it never reached the wire
            Command c = f.command().command();
            kafka.journal(new JournalEntry(
                    s.identity(),
                    podId,
                    s.sessionId(),
                    s.version().token(),
                    Direction.TO_CP,
                    JournalEntry.NOT_SENT,
                    c.commandId(),
                    c.action(),
                    null,
                    null,
                    clock.instant()));
            if (error != null) {
                LOG.atWarn()
                        .setMessage("command not sent: its write-ahead to Kafka failed")
                        .addKeyValue("chargePointId", s.identity())
                        .addKeyValue("commandId", f.commandId())
                        .addKeyValue("error", error.toString())
                        .log();
                report(
                        f.command(),
                        s,
                        DeliveryReport.Status.NOT_CONNECTED,
                        null,
                        null,
                        Reason.WRITE_FAILED,
                        "its journal record or SENT report could not be written, so it was not sent");
            } else if (lapsed) {
                leaseLapsed(f.command(), s);
            } else {
                report(
                        f.command(),
                        s,
                        DeliveryReport.Status.NOT_CONNECTED,
                        null,
                        null,
                        Reason.NO_SESSION,
                        "the session ended before it was sent");
            }
            if (!ended) {
                sendNext(s);
            }
        }
    }

    /** Holds the outbound lock. */
    private void putOnWire(Session s, OutboundQueue.InFlight f) {
        Command c = f.command().command();
        Duration timeout = f.command().responseTimeout() != null
                ? f.command().responseTimeout()
                : c.responseTimeout() != null ? c.responseTimeout() : defaultTimeout;
        f.onWire(System.nanoTime(), timers.schedule(() -> onTimeout(s, f), timeout.toMillis(), TimeUnit.MILLISECONDS));
        wire.send(s.channel(), codec.encode(new OcppFrame.Call(c.commandId(), c.action(), (ObjectNode) c.payload())));
        metrics.frameOut("CALL", c.action());
    }

    /** Not sent: route-streams may have given it to the charge point's newer session while this pod's lease had lapsed. */
    private void leaseLapsed(RoutedCommand routed, Session s) {
        metrics.downstream("lease_lapsed");
        report(
                routed,
                s,
                DeliveryReport.Status.NOT_CONNECTED,
                null,
                null,
                Reason.LEASE_LAPSED,
                "this pod's lease had lapsed, so the command may have been routed elsewhere meanwhile; not sent");
    }

    private void onTimeout(Session s, OutboundQueue.InFlight f) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            if (outbound.isCurrent(f)) {
                outbound.settle(f.commandId()).ifPresent(done -> {
                    report(
                            done.command(),
                            s,
                            DeliveryReport.Status.TIMEOUT,
                            null,
                            null,
                            Reason.NO_ANSWER,
                            "no answer in time");
                    sendNext(s);
                });
            }
        }
    }

    /** Why a command must not go on the wire in this session, if it must not. */
    private Optional<CommandCheck.Refusal> refusal(Session s, RoutedCommand routed) {
        Command c = routed.command();
        Instant deadline = routed.deadline() != null
                ? routed.deadline()
                : c.expiresAt() != null || c.ttl() != null
                        ? CommandCheck.deadline(c, routed.routedAt(), Duration.ZERO)
                        : null;
        if (deadline != null && clock.instant().isAfter(deadline)) {
            return Optional.of(new CommandCheck.Refusal(
                    Reason.TTL, "its deadline " + deadline + " passed before it could be sent"));
        }
        // route-streams checked it for the version it knew; a session of another version is checked again
        boolean checked = s.version().token().equals(routed.checkedFor());
        return checked ? Optional.empty() : check.fit(s.version(), c, true);
    }

    /** A backend's REPLY: to the CALL it answers, if that still waits and the answer is one the charge point may get. */
    private void deliverReply(RoutedCommand routed) {
        Command reply = routed.command();
        Optional<PendingReplies.Waiting> waiting =
                replies.waiting(reply.replyTo().sessionId(), reply.replyTo().messageId());
        if (waiting.isEmpty()) {
            metrics.reply("stale");
            report(
                    routed,
                    null,
                    DeliveryReport.Status.REJECTED,
                    null,
                    null,
                    Reason.STALE_REPLY,
                    "no CALL waits for it (answered already, out of its answer budget, or its session ended)");
            return;
        }
        PendingReplies.Waiting call = waiting.get();
        Optional<CommandCheck.Refusal> unfit =
                check.replyFit(call.version(), call.action(), reply.payload(), reply.error());
        ValidationPolicy policy = validation.apply(call.action());
        if (unfit.isPresent() && policy != ValidationPolicy.OFF) {
            metrics.validationFailure(call.action(), policy.name().toLowerCase(Locale.ROOT));
            if (policy == ValidationPolicy.STRICT) {
                if (replies.complete(
                        reply.replyTo().sessionId(),
                        reply.replyTo().messageId(),
                        new PendingReplies.Reply.Refused(unfit.get().description()))) {
                    metrics.reply("refused");
                    report(
                            routed,
                            null,
                            DeliveryReport.Status.REJECTED,
                            null,
                            null,
                            unfit.get().reason(),
                            unfit.get().description() + "; the charge point got the action's fallback");
                }
                return;
            }
            LOG.atWarn()
                    .setMessage("a reply that breaks the schema passed on (policy warn)")
                    .addKeyValue("chargePointId", reply.chargePointId())
                    .addKeyValue("messageId", reply.replyTo().messageId())
                    .addKeyValue("action", call.action())
                    .addKeyValue("problem", unfit.get().description())
                    .log();
        }
        PendingReplies.Reply r = reply.error() != null
                ? new PendingReplies.Reply.Error(
                        reply.error().code(),
                        reply.error().description(),
                        reply.error().details() instanceof ObjectNode o ? o : null)
                : new PendingReplies.Reply.Result(
                        reply.payload() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode());
        boolean matched =
                replies.complete(reply.replyTo().sessionId(), reply.replyTo().messageId(), r);
        metrics.reply(matched ? "matched" : "stale");
        if (!matched) {
            report(
                    routed,
                    null,
                    DeliveryReport.Status.REJECTED,
                    null,
                    null,
                    Reason.STALE_REPLY,
                    "its CALL stopped waiting just now");
        }
    }

    private CompletableFuture<?> report(
            RoutedCommand routed,
            Session s,
            DeliveryReport.Status status,
            JsonNode payload,
            ErrorInfo error,
            Reason reason,
            String description) {
        metrics.commandOutcome(status.name());
        Command c = routed.command();
        if (status != DeliveryReport.Status.SENT && status != DeliveryReport.Status.RESPONSE) {
            LOG.atInfo()
                    .setMessage("command step reported")
                    .addKeyValue("chargePointId", routed.chargePointId())
                    .addKeyValue("commandId", c.commandId())
                    .addKeyValue("status", status)
                    .addKeyValue("reason", reason)
                    .addKeyValue("description", description)
                    .log();
        }
        return kafka.report(new DeliveryReport(
                c.commandId(),
                routed.chargePointId(),
                podId,
                incarnation,
                s != null ? s.sessionId() : routed.sessionId(),
                routed.attempt(),
                c.kind(),
                status,
                payload,
                error,
                reason,
                description,
                clock.instant()));
    }
}
