package io.ocppgw.edge;

import com.fasterxml.jackson.databind.node.TextNode;
import io.ocppgw.edge.downstream.CommandDispatcher;
import io.ocppgw.edge.kafka.KafkaWriter;
import io.ocppgw.edge.metrics.EdgeMetrics;
import io.ocppgw.edge.session.ReadThrottle;
import io.ocppgw.edge.session.Session;
import io.ocppgw.edge.session.SessionLimits;
import io.ocppgw.edge.session.SessionRegistry;
import io.ocppgw.edge.session.Wire;
import io.ocppgw.edge.upstream.CallProcessor;
import io.ocppgw.edge.upstream.PendingReplies;
import io.ocppgw.protocol.DecodeResult;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.JournalEntry;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A charge point's WebSocket once upgraded: the session's life from CONNECTED to DISCONNECTED, and
 * every frame it receives. Runs on Undertow's IO threads and only decodes and hands over there; CALLs
 * are handled on workers by {@link CallProcessor}.
 */
final class OcppEndpoint implements WebSocketConnectionCallback {

    /** The identity the handshake gate accepted, carried from the HTTP exchange to the socket. */
    static final AttachmentKey<String> IDENTITY = AttachmentKey.create(String.class);

    /** Close codes (RFC 6455). */
    static final int CLOSE_NORMAL = 1000;

    static final int CLOSE_GOING_AWAY = 1001;
    static final int CLOSE_PROTOCOL_ERROR = 1002;
    static final int CLOSE_UNSUPPORTED_DATA = 1003;
    static final int CLOSE_POLICY = 1008;

    private static final Logger LOG = LoggerFactory.getLogger(OcppEndpoint.class);

    private final Settings settings;
    private final SessionRegistry sessions;
    private final KafkaWriter kafka;
    private final CallProcessor calls;
    private final PendingReplies replies;
    private final OcppCodec codec;
    private final Wire wire;
    private final EdgeMetrics metrics;
    private final Executor worker;
    private final Clock clock;
    private final ReadThrottle throttle;
    private final CommandDispatcher commands;

    /**
     * What the endpoint needs of the pod's configuration.
     *
     * @param partition    the pod's {@code commands-down} partition, in its connection events
     * @param incarnation  this process's incarnation, in its connection events
     * @param answerBudget how long a session's CONNECTED may take to be acknowledged before the socket is closed instead
     */
    record Settings(String podId, int partition, String incarnation, Duration answerBudget, SessionLimits limits) {}

    OcppEndpoint(
            Settings settings,
            SessionRegistry sessions,
            KafkaWriter kafka,
            CallProcessor calls,
            PendingReplies replies,
            OcppCodec codec,
            Wire wire,
            EdgeMetrics metrics,
            Executor worker,
            Clock clock,
            ReadThrottle throttle,
            CommandDispatcher commands) {
        this.settings = settings;
        this.sessions = sessions;
        this.kafka = kafka;
        this.calls = calls;
        this.replies = replies;
        this.codec = codec;
        this.wire = wire;
        this.metrics = metrics;
        this.worker = worker;
        this.clock = clock;
        this.throttle = throttle;
        this.commands = commands;
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        String identity = exchange.getAttachment(IDENTITY);
        Optional<OcppVersion> version = OcppVersion.fromToken(channel.getSubProtocol());
        if (identity == null || version.isEmpty()) {
            // No common subprotocol: the spec asks to complete the upgrade without one, then close at once.
            metrics.upgrade("no_subprotocol");
            metrics.closed("no_subprotocol");
            wire.close(channel, CLOSE_PROTOCOL_ERROR, "no supported OCPP subprotocol offered");
            return;
        }
        Session session = new Session(
                UUID.randomUUID().toString(),
                identity,
                version.get(),
                channel,
                clock.instant(),
                settings.limits().maxQueuedCalls(),
                worker,
                settings.limits().maxQueuedCommands());
        metrics.upgrade("accepted");
        // CONNECTED of the new session is handed to Kafka before the older one is closed, so its
        // DISCONNECTED always follows in cp-connections.
        CompletableFuture<?> connected = kafka.connection(
                        connectionEvent(session, ConnectionEvent.Type.CONNECTED, null))
                .copy()
                .orTimeout(settings.answerBudget().toMillis(), TimeUnit.MILLISECONDS);
        sessions.register(session).ifPresent(older -> {
            older.closeReason("superseded");
            metrics.closed("superseded");
            wire.close(older.channel(), CLOSE_NORMAL, "superseded by a newer connection");
        });
        connected.whenComplete((m, e) -> {
            if (e != null) {
                LOG.atWarn()
                        .setMessage("CONNECTED not persisted in time, closing")
                        .addKeyValue("chargePointId", identity)
                        .addKeyValue("sessionId", session.sessionId())
                        .addKeyValue("error", e.toString())
                        .log();
                session.closeReason("connected_not_persisted");
                metrics.closed("connected_not_persisted");
                wire.close(channel, CallProcessor.CLOSE_TRY_AGAIN, "gateway cannot take connections now, retry");
            }
        });
        session.startAfter(connected);
        channel.addCloseTask(c -> onClosed(session));
        channel.getReceiveSetter().set(new Listener(session));
        channel.resumeReceives();
        LOG.atInfo()
                .setMessage("session opened")
                .addKeyValue("chargePointId", identity)
                .addKeyValue("sessionId", session.sessionId())
                .addKeyValue("version", version.get().token())
                .addKeyValue("remote", channel.getSourceAddress())
                .log();
    }

    private void onClosed(Session session) {
        session.closeReason("connection_closed");
        boolean current = sessions.remove(session);
        replies.cancelSession(session.sessionId());
        commands.onSessionClosed(session);
        kafka.connection(connectionEvent(session, ConnectionEvent.Type.DISCONNECTED, session.closeReason()));
        LOG.atInfo()
                .setMessage("session closed")
                .addKeyValue("chargePointId", session.identity())
                .addKeyValue("sessionId", session.sessionId())
                .addKeyValue("reason", session.closeReason())
                .addKeyValue("wasCurrent", current)
                .log();
    }

    private ConnectionEvent connectionEvent(Session s, ConnectionEvent.Type type, String reason) {
        String remote = s.channel().getSourceAddress() == null
                ? null
                : s.channel().getSourceAddress().toString();
        return new ConnectionEvent(
                type,
                s.identity(),
                settings.podId(),
                settings.partition(),
                s.sessionId(),
                s.connectedAt(),
                type == ConnectionEvent.Type.CONNECTED ? s.connectedAt() : clock.instant(),
                s.version().token(),
                remote,
                reason,
                settings.incarnation());
    }

    private final class Listener extends AbstractReceiveListener {
        private final Session session;
        private final ReadThrottle.Reader reader;

        Listener(Session session) {
            this.session = session;
            this.reader = new ReadThrottle.Reader() {
                @Override
                public void suspend() {
                    session.channel().suspendReceives();
                }

                @Override
                public void resume() {
                    session.channel().resumeReceives();
                }
            };
        }

        @Override
        protected long getMaxTextBufferSize() {
            return settings.limits().maxFrameBytes();
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return 1024;
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            long arrived = System.nanoTime();
            String text = message.getData();
            throttle.afterFrame(reader);
            DecodeResult result = codec.decode(session.version(), text);
            if (result instanceof DecodeResult.Frame f) {
                onFrame(f.frame(), arrived);
            } else if (result instanceof DecodeResult.Reject r) {
                metrics.frameIn("INVALID", "-");
                kafka.journal(invalid(text, r.reason()));
                wire.send(channel, codec.encode(r.answer()));
                kafka.journal(entry(
                        Direction.TO_CP,
                        r.answer().type().name(),
                        r.answer().messageId(),
                        null,
                        null,
                        new ErrorInfo(
                                r.answer().errorCode(),
                                r.answer().errorDescription(),
                                r.answer().errorDetails())));
                metrics.frameOut(r.answer().type().name(), "-");
                if (r.answer() instanceof OcppFrame.CallResultError) {
                    commands.onInvalidAnswer(session, r.answer().messageId(), r.reason());
                }
            } else {
                DecodeResult.Drop d = (DecodeResult.Drop) result;
                metrics.frameIn("INVALID", "-");
                metrics.dropped("unanswerable");
                kafka.journal(invalid(text, d.reason()));
                d.messageId().ifPresent(id -> commands.onInvalidAnswer(session, id, d.reason()));
                LOG.atWarn()
                        .setMessage("dropped a frame the spec does not answer")
                        .addKeyValue("chargePointId", session.identity())
                        .addKeyValue("reason", d.reason())
                        .log();
            }
        }

        private void onFrame(OcppFrame frame, long arrived) {
            if (frame instanceof OcppFrame.Call call) {
                metrics.frameIn("CALL", call.action());
                // journaled now, not when its turn comes: one the charge point closes on before its turn is in the
                // journal too
                CompletableFuture<?> journaled = calls.received(session, call);
                if (!session.offerCall(() -> calls.handle(session, call, arrived, journaled))) {
                    LOG.atWarn()
                            .setMessage("too many CALLs ahead of their answers, closing")
                            .addKeyValue("chargePointId", session.identity())
                            .log();
                    session.closeReason("too_many_outstanding_calls");
                    metrics.closed("too_many_outstanding_calls");
                    wire.close(session.channel(), CLOSE_POLICY, "one outstanding CALL at a time");
                }
                return;
            }
            // Answers to the gateway's own CALLs settle their command (journaled before the next goes
            // out, keeping wire order); 2.1 SENDs are only journaled.
            if (frame instanceof OcppFrame.Send s) {
                journalFromCp(frame, s.action());
            } else {
                commands.onAnswer(session, frame, action -> journalFromCp(frame, action.orElse(null)));
            }
        }

        private void journalFromCp(OcppFrame frame, String action) {
            metrics.frameIn(frame.type().name(), action == null ? "-" : action);
            ErrorInfo error = frame instanceof OcppFrame.ErrorFrame e
                    ? new ErrorInfo(e.errorCode(), e.errorDescription(), e.errorDetails())
                    : null;
            com.fasterxml.jackson.databind.JsonNode payload = frame instanceof OcppFrame.CallResult r
                    ? r.payload()
                    : frame instanceof OcppFrame.Send s ? s.payload() : null;
            kafka.journal(entry(Direction.FROM_CP, frame.type().name(), frame.messageId(), action, payload, error));
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            session.closeReason("binary_frame");
            metrics.closed("binary_frame");
            wire.close(channel, CLOSE_UNSUPPORTED_DATA, "OCPP-J uses text frames only");
        }

        @Override
        protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            session.pong();
        }

        @Override
        protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
            session.closeReason("peer_closed_" + cm.getCode());
        }

        @Override
        protected void onError(WebSocketChannel channel, Throwable error) {
            session.closeReason("error");
            metrics.closed("error");
            LOG.atInfo()
                    .setMessage("socket error")
                    .addKeyValue("chargePointId", session.identity())
                    .addKeyValue("error", error.toString())
                    .log();
            super.onError(channel, error);
        }

        private JournalEntry invalid(String text, String reason) {
            return new JournalEntry(
                    session.identity(),
                    settings.podId(),
                    session.sessionId(),
                    session.version().token(),
                    Direction.FROM_CP,
                    "INVALID",
                    null,
                    null,
                    TextNode.valueOf(text),
                    new ErrorInfo("INVALID", reason, null),
                    clock.instant());
        }

        private JournalEntry entry(
                Direction direction,
                String type,
                String messageId,
                String action,
                com.fasterxml.jackson.databind.JsonNode payload,
                ErrorInfo error) {
            return new JournalEntry(
                    session.identity(),
                    settings.podId(),
                    session.sessionId(),
                    session.version().token(),
                    direction,
                    type,
                    messageId,
                    action,
                    payload,
                    error,
                    clock.instant());
        }
    }

    /** Pings every open session; closes those whose pong is overdue. Runs on a timer thread. */
    void pingAll(Duration interval) {
        long overdue = System.nanoTime() - 2 * interval.toNanos();
        for (Session s : sessions.all()) {
            if (s.lastPongNanos() < overdue) {
                s.closeReason("ping_timeout");
                metrics.closed("ping_timeout");
                wire.close(s.channel(), CLOSE_GOING_AWAY, "no pong");
            } else {
                io.undertow.websockets.core.WebSockets.sendPing(java.nio.ByteBuffer.allocate(0), s.channel(), null);
            }
        }
    }

    static void attachIdentity(HttpServerExchange exchange, String identity) {
        exchange.putAttachment(IDENTITY, identity);
    }
}
