package io.ocppgw.edge;

import io.ocppgw.edge.handshake.ClientCertificate;
import io.ocppgw.edge.handshake.HandshakeDecision;
import io.ocppgw.edge.handshake.HandshakeGate;
import io.ocppgw.edge.handshake.HandshakeRequest;
import io.ocppgw.edge.handshake.RequestLimits;
import io.ocppgw.edge.metrics.EdgeMetrics;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RenegotiationRequiredException;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;

/**
 * The Undertow server charge points connect to: its listener (plain, or TLS with exactly the
 * configured protocols and suites), the request limits, then the handshake gate on a worker, then
 * the WebSocket upgrade into {@link OcppEndpoint}. Maps an HTTP exchange to what the gate decides on.
 */
final class UpgradeServer {

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeServer.class);

    private final EdgeConfig config;
    private final Undertow server;

    UpgradeServer(EdgeConfig config, HandshakeGate gate, OcppEndpoint endpoint, EdgeMetrics metrics, int workers) {
        this.config = config;
        WebSocketProtocolHandshakeHandler upgrade = new WebSocketProtocolHandshakeHandler(
                List.of(new OcppHandshake(config.versions())), endpoint, exchange -> {
                    exchange.setStatusCode(426);
                    exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
                    exchange.endExchange();
                });
        upgrade.addExtension(new PerMessageDeflateHandshake(false, 6));
        Undertow.Builder builder = Undertow.builder();
        if (config.tls().isPresent()) {
            builder.addHttpsListener(
                            config.port(), config.host(), config.tls().get().serverContext())
                    .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(Tls.PROTOCOLS))
                    .setSocketOption(
                            Options.SSL_ENABLED_CIPHER_SUITES,
                            Sequence.of(config.tls().get().cipherSuites()));
            if (config.tls().get().trustStore().isPresent()) {
                // requested, not required: a missing certificate gets the gate's 401 instead of a TLS alert
                builder.setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUESTED);
            }
        } else {
            builder.addHttpListener(config.port(), config.host());
        }
        this.server = builder.setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(workers)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 30_000)
                // a request dribbled in byte by byte (slowloris) is dropped instead of holding a socket forever
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int)
                        config.requestLimits().timeout().toMillis())
                // far past the gate's own limits (RequestLimits), so those answer with their status; Undertow's default
                // is 1 MiB
                .setServerOption(
                        UndertowOptions.MAX_HEADER_SIZE, config.requestLimits().parserMaxHeaderBytes())
                .setServerOption(
                        UndertowOptions.MAX_HEADERS, config.requestLimits().parserMaxHeaders())
                .setHandler(gateHandler(gate, upgrade, metrics))
                .build();
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop();
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    private HttpHandler gateHandler(
            HandshakeGate gate, WebSocketProtocolHandshakeHandler upgrade, EdgeMetrics metrics) {
        return exchange -> {
            if (exchange.isInIoThread()) {
                Optional<HandshakeDecision.Reject> tooBig = tooBig(exchange, config.requestLimits());
                if (tooBig.isPresent()) {
                    refuse(exchange, tooBig.get(), metrics); // before any work, on the IO thread
                    return;
                }
                exchange.dispatch(gateHandler(gate, upgrade, metrics)); // password checks cost milliseconds
                return;
            }
            HandshakeDecision decision = gate.decide(request(exchange, config.clientCertHeader()));
            if (decision instanceof HandshakeDecision.Reject reject) {
                refuse(exchange, reject, metrics);
                return;
            }
            OcppEndpoint.attachIdentity(exchange, ((HandshakeDecision.Accept) decision).identity());
            upgrade.handleRequest(exchange);
        };
    }

    /** The request's size against the limits: its target, and its header fields counted as name, ": " and value. */
    private static Optional<HandshakeDecision.Reject> tooBig(HttpServerExchange exchange, RequestLimits limits) {
        String query = exchange.getQueryString();
        int uriBytes = exchange.getRequestURI().length() + (query == null || query.isEmpty() ? 0 : 1 + query.length());
        int headers = 0;
        int headerBytes = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            for (String value : values) {
                headers++;
                headerBytes += values.getHeaderName().length() + 2 + value.length();
            }
        }
        return limits.check(uriBytes, headers, headerBytes);
    }

    /** Answers the refusal without an upgrade; counted by status, logged with the reason (never sent). */
    private static void refuse(HttpServerExchange exchange, HandshakeDecision.Reject reject, EdgeMetrics metrics) {
        metrics.upgrade("rejected_" + reject.status());
        LOG.atInfo()
                .setMessage("upgrade refused")
                .addKeyValue("path", exchange.getRequestPath())
                .addKeyValue("status", reject.status())
                .addKeyValue("reason", reject.reason())
                .addKeyValue("remote", exchange.getSourceAddress())
                .log();
        exchange.setStatusCode(reject.status());
        reject.retryAfterSeconds().ifPresent(s -> exchange.getResponseHeaders().put(Headers.RETRY_AFTER, s));
        exchange.endExchange();
    }

    private static HandshakeRequest request(HttpServerExchange exchange, Optional<String> certHeader) {
        List<String> offered = new ArrayList<>();
        var header = exchange.getRequestHeaders().get(new HttpString("Sec-WebSocket-Protocol"));
        if (header != null) {
            header.forEach(v -> offered.addAll(Arrays.asList(v.split(","))));
        }
        return new HandshakeRequest(
                exchange.getRequestPath(),
                exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION),
                offered.stream().map(String::trim).toList(),
                clientCertificate(exchange, certHeader));
    }

    /** From the TLS session, or — only when configured — from a TLS-offloading proxy's header. */
    private static Optional<ClientCertificate> clientCertificate(
            HttpServerExchange exchange, Optional<String> certHeader) {
        if (certHeader.isPresent()) {
            return ClientCertificate.fromSubject(exchange.getRequestHeaders().getFirst(certHeader.get()));
        }
        var ssl = exchange.getConnection().getSslSessionInfo();
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            var certs = ssl.getPeerCertificates();
            return certs.length > 0 && certs[0] instanceof X509Certificate x509
                    ? ClientCertificate.fromSubject(
                            x509.getSubjectX500Principal().getName())
                    : Optional.empty();
        } catch (SSLPeerUnverifiedException | RenegotiationRequiredException e) {
            return Optional.empty();
        }
    }
}
