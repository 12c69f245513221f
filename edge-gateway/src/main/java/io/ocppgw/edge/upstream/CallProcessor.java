package io.ocppgw.edge.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.edge.kafka.KafkaWriter;
import io.ocppgw.edge.metrics.EdgeMetrics;
import io.ocppgw.edge.session.Session;
import io.ocppgw.edge.session.Wire;
import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.ErrorCode;
import io.ocppgw.protocol.Errors;
import io.ocppgw.protocol.Initiator;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.protocol.PayloadKind;
import io.ocppgw.protocol.SchemaCheck;
import io.ocppgw.protocol.SchemaValidator;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.TransactionIdMarker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one CALL from a charge point. It is journaled (acks=all) the moment it arrives
 * ({@link #received}), even while CALLs before it still wait for their answers, so a CALL the charge
 * point sends and then closes on is in the journal, received and unanswered. Its handling, in turn:
 * catalogue and schema checks, then, once that journal write is acknowledged, the answer by the
 * action's responder. If the journal write or the backend's reply does not come within the answer
 * budget, the socket is closed without an answer, so the charge point keeps the message and retries;
 * the gateway never CALLERRORs a CALL because of its own trouble. The answer is journaled too.
 */
public final class CallProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CallProcessor.class);

    /** Close code for "the gateway could not take this message now; retry later". */
    public static final int CLOSE_TRY_AGAIN = 1011;

    private final String podId;
    private final Duration answerBudget;
    private final CallPolicies policies;
    private final KafkaWriter kafka;
    private final SchemaValidator validator;
    private final Answers answers;
    private final PendingReplies replies;
    private final OcppCodec codec;
    private final Wire wire;
    private final EdgeMetrics metrics;
    private final Clock clock;

    /**
     * @param podId        the pod's id, in every journal record
     * @param answerBudget how long a CALL may wait for its journal write and its answer before its socket is closed instead
     */
    public CallProcessor(
            String podId,
            Duration answerBudget,
            CallPolicies policies,
            KafkaWriter kafka,
            SchemaValidator validator,
            Answers answers,
            PendingReplies replies,
            OcppCodec codec,
            Wire wire,
            EdgeMetrics metrics,
            Clock clock) {
        this.podId = podId;
        this.answerBudget = answerBudget;
        this.policies = policies;
        this.kafka = kafka;
        this.validator = validator;
        this.answers = answers;
        this.replies = replies;
        this.codec = codec;
        this.wire = wire;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Journals a CALL as it arrives (call on the IO thread, in arrival order); {@link #handle} waits for this write. */
    public CompletableFuture<?> received(Session session, OcppFrame.Call call) {
        return kafka.journal(entry(
                session,
                Direction.FROM_CP,
                "CALL",
                call.messageId(),
                call.action(),
                call.payload(),
                null,
                clock.instant()));
    }

    /**
     * Answers a CALL whose journal write {@code journaled} was started when it arrived; completes once
     * the CALL is answered or its socket is being closed; never fails.
     */
    public CompletableFuture<Void> handle(
            Session session, OcppFrame.Call call, long arrivedNanos, CompletableFuture<?> journaled) {
        OcppVersion version = session.version();
        Optional<ErrorCode> refused = ActionCatalogue.checkCall(version, call.action(), Initiator.CHARGE_POINT);
        if (refused.isPresent()) {
            return answerError(
                    session,
                    call,
                    Errors.callError(
                            version,
                            call.messageId(),
                            refused.get(),
                            refused.get() == ErrorCode.NOT_IMPLEMENTED
                                    ? "Unknown action " + call.action()
                                    : call.action() + " is not sent by a charge point"));
        }
        ValidationPolicy policy = policies.validationFor(call.action());
        if (policy != ValidationPolicy.OFF) {
            SchemaCheck check = validator.validate(version, call.action(), PayloadKind.REQUEST, call.payload());
            if (!check.isValid()) {
                metrics.validationFailure(call.action(), policy.name().toLowerCase(java.util.Locale.ROOT));
                if (policy == ValidationPolicy.STRICT) {
                    return answerError(
                            session,
                            call,
                            Errors.callError(
                                    version,
                                    call.messageId(),
                                    check.errorCode(),
                                    check.description(),
                                    check.details()));
                }
                LOG.atWarn()
                        .setMessage("schema violation passed on (policy warn)")
                        .addKeyValue("chargePointId", session.identity())
                        .addKeyValue("action", call.action())
                        .addKeyValue("messageId", call.messageId())
                        .addKeyValue("problem", check.description())
                        .log();
            }
        }
        long deadline = arrivedNanos + answerBudget.toNanos();
        // The answer is made, sent and journaled on the session's IO thread. Kafka's ack arrives in a
        // producer callback, on its one network thread: work there delays every other send of the pod
        // (KafkaProducer's javadoc asks for fast callbacks). A backend's reply arrives on its consumer's.
        Executor io = session.ioThread();
        return within(journaled, deadline)
                .thenComposeAsync(
                        persisted -> {
                            metrics.persisted(Duration.ofNanos(System.nanoTime() - arrivedNanos));
                            return respond(session, call, deadline);
                        },
                        io)
                .thenComposeAsync(
                        answer -> answer.map(frame -> answer(session, call, frame, arrivedNanos))
                                .orElseGet(() -> {
                                    closeTryAgain(session, call, "backend");
                                    return CompletableFuture.completedFuture(null);
                                }),
                        io)
                .exceptionally(error -> {
                    closeTryAgain(
                            session,
                            call,
                            error instanceof TimeoutException || error.getCause() instanceof TimeoutException
                                    ? "budget"
                                    : "kafka");
                    return null;
                });
    }

    /** The answer frame by responder policy; empty means "close, do not answer". */
    private CompletableFuture<Optional<OcppFrame>> respond(Session session, OcppFrame.Call call, long deadline) {
        OcppVersion version = session.version();
        ResponderPolicy responder = policies.responderFor(call.action());
        if (responder == ResponderPolicy.SEQUENCE
                && version == OcppVersion.OCPP_1_6
                && "StartTransaction".equals(call.action())) {
            TransactionIdMarker marker = new TransactionIdMarker(
                    session.identity(), podId, session.sessionId(), call.messageId(), clock.instant());
            return within(kafka.nextTransactionId(marker), deadline)
                    .thenApply(
                            id -> Optional.of(new OcppFrame.CallResult(call.messageId(), answers.sequenceAnswer(id))));
        }
        if (responder == ResponderPolicy.BACKEND) {
            CompletableFuture<PendingReplies.Reply> waiting =
                    replies.await(session.sessionId(), call.messageId(), call.action(), version);
            return within(waiting, deadline)
                    .whenComplete((r, e) -> waiting.cancel(false)) // stop waiting once answered or out of budget
                    .thenApply(reply -> reply instanceof PendingReplies.Reply.Refused
                            ? fallback(session, call)
                            : Optional.of(PendingReplies.toFrame(call.messageId(), reply)))
                    .exceptionally(e -> fallback(session, call));
        }
        return CompletableFuture.completedFuture(ack(session, call));
    }

    private Optional<OcppFrame> ack(Session session, OcppFrame.Call call) {
        Optional<ObjectNode> payload = answers.ackAnswer(session.version(), call.action(), clock.instant());
        if (payload.isEmpty()) {
            // Configuration is checked at start; reaching here means an action the check could not foresee.
            LOG.atError()
                    .setMessage("no ack answer; closing instead")
                    .addKeyValue("chargePointId", session.identity())
                    .addKeyValue("action", call.action())
                    .log();
        }
        return payload.map(p -> new OcppFrame.CallResult(call.messageId(), p));
    }

    private Optional<OcppFrame> fallback(Session session, OcppFrame.Call call) {
        if (policies.fallbackFor(call.action()) == FallbackPolicy.ANSWER) {
            return answers.fallbackAnswer(session.version(), call.action(), clock.instant())
                    .map(p -> new OcppFrame.CallResult(call.messageId(), p));
        }
        return Optional.empty();
    }

    private CompletableFuture<Void> answer(Session session, OcppFrame.Call call, OcppFrame frame, long arrivedNanos) {
        String type = frame.type().name();
        return wire.send(session.channel(), codec.encode(frame)).handle((sent, error) -> {
            if (error == null) {
                metrics.frameOut(type, call.action());
                metrics.answered(
                        call.action(),
                        policies.responderFor(call.action()).name().toLowerCase(java.util.Locale.ROOT),
                        Duration.ofNanos(System.nanoTime() - arrivedNanos));
                kafka.journal(answerEntry(session, call, frame));
            }
            return null;
        });
    }

    private CompletableFuture<Void> answerError(Session session, OcppFrame.Call call, OcppFrame.CallError error) {
        return answer(session, call, error, System.nanoTime());
    }

    private void closeTryAgain(Session session, OcppFrame.Call call, String why) {
        LOG.atWarn()
                .setMessage("closing without an answer so the charge point retries")
                .addKeyValue("chargePointId", session.identity())
                .addKeyValue("action", call.action())
                .addKeyValue("messageId", call.messageId())
                .addKeyValue("reason", why)
                .log();
        metrics.closed("no_answer_" + why);
        session.closeReason("no_answer_" + why);
        wire.close(session.channel(), CLOSE_TRY_AGAIN, "gateway cannot answer now, retry");
    }

    private JournalEntry answerEntry(Session session, OcppFrame.Call call, OcppFrame frame) {
        if (frame instanceof OcppFrame.CallError e) {
            return entry(
                    session,
                    Direction.TO_CP,
                    "CALLERROR",
                    call.messageId(),
                    call.action(),
                    null,
                    new ErrorInfo(e.errorCode(), e.errorDescription(), e.errorDetails()),
                    clock.instant());
        }
        return entry(
                session,
                Direction.TO_CP,
                "CALLRESULT",
                call.messageId(),
                call.action(),
                ((OcppFrame.CallResult) frame).payload(),
                null,
                clock.instant());
    }

    private JournalEntry entry(
            Session s,
            Direction direction,
            String type,
            String messageId,
            String action,
            com.fasterxml.jackson.databind.JsonNode payload,
            ErrorInfo error,
            Instant at) {
        return new JournalEntry(
                s.identity(),
                podId,
                s.sessionId(),
                s.version().token(),
                direction,
                type,
                messageId,
                action,
                payload,
                error,
                at);
    }

    /**
     * A copy of {@code future} that fails with a TimeoutException if not done by {@code deadlineNanos};
     * the original keeps running (a late Kafka ack still counts for health, and may still land).
     */
    private static <T> CompletableFuture<T> within(CompletableFuture<T> future, long deadlineNanos) {
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        return future.copy().orTimeout(left, TimeUnit.NANOSECONDS);
    }
}
