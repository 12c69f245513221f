package io.ocppgw.edge.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.edge.EdgeMetrics;
import io.ocppgw.edge.KafkaWriter;
import io.ocppgw.edge.session.Session;
import io.ocppgw.edge.session.SessionRegistry;
import io.ocppgw.edge.session.Wire;
import io.ocppgw.edge.upstream.PendingReplies;
import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.Initiator;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.PayloadKind;
import io.ocppgw.protocol.SchemaCheck;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what route-streams put on this pod's {@code commands-down} partition (DESIGN §5
 * "Downstream"): CALL commands to the charge point's session (FIFO, one outstanding, the commandId as
 * message id, checked against the negotiated version, with a response timeout), REPLY commands to the
 * CALL they answer, and SUPERSEDED control records. Every CALL command it reads ends in exactly one of
 * RESPONSE, TIMEOUT, NOT_CONNECTED, CONNECTION_LOST or REJECTED on {@code command-status}, after SENT
 * when it reached the wire.
 */
public final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final String podId;
    private final SessionRegistry sessions;
    private final KafkaWriter kafka;
    private final SchemaValidator validator;
    private final PendingReplies replies;
    private final OcppCodec codec;
    private final Wire wire;
    private final EdgeMetrics metrics;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Duration defaultTimeout;

    public CommandDispatcher(String podId, SessionRegistry sessions, KafkaWriter kafka, SchemaValidator validator,
                             PendingReplies replies, OcppCodec codec, Wire wire, EdgeMetrics metrics,
                             ScheduledExecutorService timers, Clock clock, Duration defaultTimeout) {
        this.podId = podId;
        this.sessions = sessions;
        this.kafka = kafka;
        this.validator = validator;
        this.replies = replies;
        this.codec = codec;
        this.wire = wire;
        this.metrics = metrics;
        this.timers = timers;
        this.clock = clock;
        this.defaultTimeout = defaultTimeout;
    }

    /** One record of this pod's partition; runs on the consumer thread and never blocks. */
    public void onRecord(RoutedCommand routed) {
        if (!podId.equals(routed.podId())) {
            metrics.downstream("other_pod");
            return; // another pod whose name hashes to the same partition owns it
        }
        if (routed.type() == RoutedCommand.Type.SUPERSEDED) {
            sessions.current(routed.chargePointId()).filter(s -> s.sessionId().equals(routed.sessionId())).ifPresent(s -> {
                s.closeReason("superseded");
                metrics.closed("superseded");
                wire.close(s.channel(), 1000, "superseded by a newer connection on another pod");
            });
            return;
        }
        Command command = routed.command();
        if (command == null) {
            metrics.downstream("no_command");
            return;
        }
        if (command.kind() == Command.Kind.REPLY) {
            deliverReply(command);
            return;
        }
        Optional<Session> session = sessions.current(routed.chargePointId());
        if (session.isEmpty()) {
            report(routed, Optional.empty(), DeliveryReport.Status.NOT_CONNECTED, null, null, "no session on pod " + podId);
            return;
        }
        Session s = session.get();
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            if (outbound.alreadySent(command.commandId())) {
                metrics.downstream("already_sent");
                LOG.warn("commandId already sent in this session, not sent again: chargePointId={} messageId={}",
                        s.identity(), command.commandId());
                return;
            }
            if (!outbound.offer(routed)) {
                report(routed, session, DeliveryReport.Status.REJECTED, null, null, "QUEUE_FULL");
                return;
            }
            sendNext(s);
        }
    }

    /**
     * An answer from the charge point (IO thread). {@code journal} is called with the action it answers
     * (empty if it answers nothing pending) before the next command goes out, so the journal keeps wire order.
     */
    public void onAnswer(Session s, OcppFrame frame, java.util.function.Consumer<Optional<String>> journal) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            Optional<OutboundQueue.InFlight> settled = outbound.settle(frame.messageId());
            if (settled.isEmpty()) {
                metrics.downstream("late_or_unknown_answer");
                journal.accept(Optional.empty());
                return;
            }
            OutboundQueue.InFlight done = settled.get();
            done.timeout().cancel(false);
            journal.accept(Optional.of(done.command().command().action()));
            metrics.commandRoundTrip(Duration.ofNanos(System.nanoTime() - done.sentNanos()));
            if (frame instanceof OcppFrame.CallResult r) {
                report(done.command(), Optional.of(s), DeliveryReport.Status.RESPONSE, r.payload(), null, null);
            } else if (frame instanceof OcppFrame.ErrorFrame e) {
                report(done.command(), Optional.of(s), DeliveryReport.Status.RESPONSE, null,
                        new ErrorInfo(e.errorCode(), e.errorDescription(), e.errorDetails()), null);
            }
            sendNext(s);
        }
    }

    /** A broken answer whose id could be read: it settles the CALL as a response with an error. */
    public void onInvalidAnswer(Session s, String messageId, String reason) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            outbound.settle(messageId).ifPresent(done -> {
                done.timeout().cancel(false);
                report(done.command(), Optional.of(s), DeliveryReport.Status.RESPONSE, null,
                        new ErrorInfo("InvalidResponse", reason, null), null);
                sendNext(s);
            });
        }
    }

    /** The session ended: the CALL on the wire is CONNECTION_LOST; the never-sent ones NOT_CONNECTED (route again). */
    public void onSessionClosed(Session s) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            outbound.takeInFlight().ifPresent(f -> {
                f.timeout().cancel(false);
                report(f.command(), Optional.of(s), DeliveryReport.Status.CONNECTION_LOST, null, null, s.closeReason());
            });
            for (RoutedCommand never : outbound.drainWaiting()) {
                report(never, Optional.of(s), DeliveryReport.Status.NOT_CONNECTED, null, null, "session ended before it was sent");
            }
        }
    }

    /** Sends the next valid command, if none is outstanding. Holds the outbound lock. */
    private void sendNext(Session s) {
        OutboundQueue outbound = s.outbound();
        for (Optional<RoutedCommand> next = outbound.next(); next.isPresent(); next = outbound.next()) {
            RoutedCommand routed = next.get();
            Command c = routed.command();
            Optional<String> refusal = refusal(s, c);
            if (refusal.isPresent()) {
                report(routed, Optional.of(s), DeliveryReport.Status.REJECTED, null, null, refusal.get());
                continue;
            }
            OcppFrame.Call call = new OcppFrame.Call(c.commandId(), c.action(), (ObjectNode) c.payload());
            Duration timeout = c.responseTimeout() != null ? c.responseTimeout() : defaultTimeout;
            var timer = timers.schedule(() -> onTimeout(s, c.commandId()), timeout.toMillis(), TimeUnit.MILLISECONDS);
            outbound.sent(new OutboundQueue.InFlight(routed, System.nanoTime(), timer));
            kafka.journal(new JournalEntry(s.identity(), podId, s.sessionId(), s.version().token(), Direction.TO_CP, "CALL",
                    c.commandId(), c.action(), c.payload(), null, clock.instant()));
            wire.send(s.channel(), codec.encode(call));
            metrics.frameOut("CALL", c.action());
            report(routed, Optional.of(s), DeliveryReport.Status.SENT, null, null, null);
            return;
        }
    }

    private void onTimeout(Session s, String commandId) {
        OutboundQueue outbound = s.outbound();
        synchronized (outbound) {
            outbound.settle(commandId).ifPresent(done -> {
                report(done.command(), Optional.of(s), DeliveryReport.Status.TIMEOUT, null, null, "no answer in time");
                sendNext(s);
            });
        }
    }

    /** Why a command must not go on the wire in this session, if it must not. */
    private Optional<String> refusal(Session s, Command c) {
        Instant now = clock.instant();
        if ((c.expiresAt() != null && now.isAfter(c.expiresAt()))
                || (c.ttl() != null && c.requestedAt() != null && now.isAfter(c.requestedAt().plus(c.ttl())))) {
            return Optional.of("EXPIRED");
        }
        if (c.commandId() == null || c.commandId().isEmpty() || c.commandId().length() > OcppFrame.MAX_MESSAGE_ID_LENGTH) {
            return Optional.of("INVALID_COMMAND_ID: must be 1-36 characters, it is the OCPP message id");
        }
        if (c.action() == null || ActionCatalogue.checkCall(s.version(), c.action(), Initiator.CSMS).isPresent()) {
            return Optional.of("UNSUPPORTED_ACTION: " + c.action() + " is not a CSMS action in " + s.version().token());
        }
        JsonNode payload = c.payload();
        if (payload == null || !payload.isObject()) {
            return Optional.of("SCHEMA: payload must be a JSON object");
        }
        SchemaCheck check = validator.validate(s.version(), c.action(), PayloadKind.REQUEST, payload);
        return check.isValid() ? Optional.empty() : Optional.of("SCHEMA: " + check.description());
    }

    private void deliverReply(Command reply) {
        if (reply.replyTo() == null) {
            metrics.reply("invalid");
            return;
        }
        PendingReplies.Reply r = reply.error() != null
                ? new PendingReplies.Reply.Error(reply.error().code(), reply.error().description(),
                        reply.error().details() instanceof ObjectNode o ? o : null)
                : new PendingReplies.Reply.Result(reply.payload() instanceof ObjectNode o ? o
                        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        boolean matched = replies.complete(reply.replyTo().sessionId(), reply.replyTo().messageId(), r);
        metrics.reply(matched ? "matched" : "stale");
        if (!matched) {
            LOG.info("reply dropped, nothing waits for it: chargePointId={} sessionId={} messageId={}",
                    reply.chargePointId(), reply.replyTo().sessionId(), reply.replyTo().messageId());
        }
    }

    private void report(RoutedCommand routed, Optional<Session> s, DeliveryReport.Status status, JsonNode payload, ErrorInfo error,
                        String reason) {
        metrics.commandOutcome(status.name());
        kafka.report(new DeliveryReport(routed.command().commandId(), routed.chargePointId(), podId,
                s.map(Session::sessionId).orElse(routed.sessionId()), routed.attempt(), status, payload, error, reason, clock.instant()));
    }
}
