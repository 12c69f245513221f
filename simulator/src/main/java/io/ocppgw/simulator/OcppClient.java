package io.ocppgw.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.DecodeResult;
import io.ocppgw.protocol.ErrorCode;
import io.ocppgw.protocol.Errors;
import io.ocppgw.protocol.OcppCodec;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;

/**
 * One charge point's OCPP-J connection: a real WebSocket (the JDK's client) with the charge-point
 * side of the framing. CALLs it makes complete with the CALLRESULT or CALLERROR that answers them;
 * CALLs from the CSMS go to a handler whose answer is sent back.
 */
public final class OcppClient {

    /** How a connection ended. */
    public record Closed(int code, String reason) {}

    /** Refused before it became a WebSocket: the HTTP status of the upgrade answer (e.g. 401, 503). */
    public static final class HandshakeRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HandshakeRefused(int status) {
            super("handshake refused with HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** What the CSMS asked and how to answer: a payload, or an error frame. */
    public interface CsmsCallHandler extends BiFunction<String, ObjectNode, OcppFrame> {}

    private static final OcppCodec CODEC = new OcppCodec();
    private static final AtomicLong IDS = new AtomicLong();

    private final String identity;
    private final OcppVersion version;
    private final WebSocket socket;
    private final Map<String, CompletableFuture<OcppFrame>> pending;
    private final CompletableFuture<Closed> closed;
    private CompletableFuture<Void> lastSend = CompletableFuture.completedFuture(null); // guarded by this

    private OcppClient(
            String identity,
            OcppVersion version,
            WebSocket socket,
            Map<String, CompletableFuture<OcppFrame>> pending,
            CompletableFuture<Closed> closed) {
        this.identity = identity;
        this.version = version;
        this.socket = socket;
        this.pending = pending;
        this.closed = closed;
    }

    /**
     * Connection settings. {@code password} empty: no Basic auth. {@code callObserver} sees the message
     * id of every CSMS CALL as it arrives (a log of what reached this charge point).
     */
    public record Options(
            List<String> subprotocols,
            Optional<String> password,
            Duration connectTimeout,
            Optional<SSLContext> tls,
            CsmsCallHandler handler,
            java.util.function.Consumer<String> callObserver) {
        public Options(
                List<String> subprotocols,
                Optional<String> password,
                Duration connectTimeout,
                Optional<SSLContext> tls,
                CsmsCallHandler handler) {
            this(subprotocols, password, connectTimeout, tls, handler, id -> {});
        }

        public static Options of(OcppVersion version) {
            return new Options(
                    List.of(version.token()),
                    Optional.empty(),
                    Duration.ofSeconds(10),
                    Optional.empty(),
                    (action, payload) -> Errors.callError(
                            version, "", ErrorCode.NOT_SUPPORTED, "simulator does not handle " + action));
        }

        public Options withPassword(String secret) {
            return new Options(subprotocols, Optional.of(secret), connectTimeout, tls, handler, callObserver);
        }

        public Options withSubprotocols(List<String> tokens) {
            return new Options(tokens, password, connectTimeout, tls, handler, callObserver);
        }

        public Options withHandler(CsmsCallHandler h) {
            return new Options(subprotocols, password, connectTimeout, tls, h, callObserver);
        }

        public Options withCallObserver(java.util.function.Consumer<String> observer) {
            return new Options(subprotocols, password, connectTimeout, tls, handler, observer);
        }
    }

    /**
     * Opens {@code baseUrl + "/" + identity}. Fails with {@link HandshakeRefused} when the server answers
     * the upgrade with an HTTP error.
     */
    public static CompletableFuture<OcppClient> connect(String baseUrl, String identity, Options options) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(options.connectTimeout());
        options.tls().ifPresent(http::sslContext);
        Map<String, CompletableFuture<OcppFrame>> pending = new ConcurrentHashMap<>();
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        Listener listener = new Listener(pending, closed, options.handler(), options.callObserver());
        WebSocket.Builder builder = http.build().newWebSocketBuilder().connectTimeout(options.connectTimeout());
        if (!options.subprotocols().isEmpty()) {
            builder.subprotocols(
                    options.subprotocols().get(0),
                    options.subprotocols()
                            .subList(1, options.subprotocols().size())
                            .toArray(new String[0]));
        }
        options.password()
                .ifPresent(p -> builder.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((identity + ":" + p).getBytes(StandardCharsets.UTF_8))));
        String url = baseUrl.endsWith("/") ? baseUrl + encode(identity) : baseUrl + "/" + encode(identity);
        return builder.buildAsync(URI.create(url), listener).handle((ws, error) -> {
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof WebSocketHandshakeException h) {
                    throw new HandshakeRefused(h.getResponse().statusCode());
                }
                throw new CompletionException(cause);
            }
            OcppVersion negotiated = OcppVersion.fromToken(ws.getSubprotocol()).orElse(null);
            OcppClient client = new OcppClient(identity, negotiated, ws, pending, closed);
            listener.attach(client);
            return client;
        });
    }

    private static String encode(String identity) {
        return java.net.URLEncoder.encode(identity, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String identity() {
        return identity;
    }

    /** The negotiated version; empty when the server chose none (it will close the socket). */
    public Optional<OcppVersion> version() {
        return Optional.ofNullable(version);
    }

    /** Sends a CALL; completes with the CALLRESULT or CALLERROR that answers it. */
    public CompletableFuture<OcppFrame> call(String action, ObjectNode payload) {
        String id = "sim-" + IDS.incrementAndGet();
        CompletableFuture<OcppFrame> answer = new CompletableFuture<>();
        pending.put(id, answer);
        sendText(CODEC.encode(new OcppFrame.Call(id, action, payload))).exceptionally(e -> {
            pending.remove(id);
            answer.completeExceptionally(e);
            return null;
        });
        return answer;
    }

    /** Sends any text, well-formed or not (for tests of the server's error handling). */
    public CompletableFuture<Void> sendText(String text) {
        // The JDK WebSocket refuses a send while another is outstanding: chain them, in call order.
        synchronized (this) {
            CompletableFuture<Void> next = lastSend.handle((v, e) -> null)
                    .thenCompose(v -> socket.sendText(text, true))
                    .thenApply(ws -> null);
            lastSend = next;
            return next;
        }
    }

    public CompletableFuture<Closed> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone() && !socket.isOutputClosed();
    }

    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    /** Drops the TCP connection without a close handshake, like a charge point losing power. */
    public void abort() {
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final Map<String, CompletableFuture<OcppFrame>> pending;
        private final CompletableFuture<Closed> closed;
        private final CsmsCallHandler handler;
        private final java.util.function.Consumer<String> callObserver;
        private final StringBuilder text = new StringBuilder();
        private volatile OcppClient client;

        Listener(
                Map<String, CompletableFuture<OcppFrame>> pending,
                CompletableFuture<Closed> closed,
                CsmsCallHandler handler,
                java.util.function.Consumer<String> callObserver) {
            this.pending = pending;
            this.closed = closed;
            this.handler = handler;
            this.callObserver = callObserver;
        }

        void attach(OcppClient c) {
            this.client = c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                onMessage(message);
            }
            webSocket.request(1);
            return null;
        }

        private void onMessage(String message) {
            OcppClient c = client;
            OcppVersion v = c == null || c.version == null ? OcppVersion.OCPP_1_6 : c.version;
            DecodeResult r = CODEC.decode(v, message);
            if (!(r instanceof DecodeResult.Frame f)) {
                return;
            }
            OcppFrame frame = f.frame();
            if (frame instanceof OcppFrame.Call call) {
                if (c == null) {
                    return;
                }
                callObserver.accept(call.messageId());
                OcppFrame answer = handler.apply(call.action(), call.payload());
                OcppFrame reply = answer instanceof OcppFrame.CallError e
                        ? new OcppFrame.CallError(
                                call.messageId(), e.errorCode(), e.errorDescription(), e.errorDetails())
                        : new OcppFrame.CallResult(
                                call.messageId(),
                                answer instanceof OcppFrame.CallResult res
                                        ? res.payload()
                                        : JsonNodeFactory.instance.objectNode());
                c.sendText(CODEC.encode(reply));
                return;
            }
            CompletableFuture<OcppFrame> waiting = pending.remove(frame.messageId());
            if (waiting != null) {
                waiting.complete(frame);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            finish(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            finish(new Closed(1006, String.valueOf(error)));
        }

        private void finish(Closed how) {
            // unanswered CALLs fail first, so whoever sees the close also sees them failed
            pending.values()
                    .forEach(f -> f.completeExceptionally(new IllegalStateException("connection closed: " + how)));
            pending.clear();
            closed.complete(how);
        }
    }
}
