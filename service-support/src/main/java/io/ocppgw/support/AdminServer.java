package io.ocppgw.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The admin HTTP port of a deployable: {@code /health/live}, {@code /health/ready} (200 or 503 with
 * every check's state as JSON) and {@code /metrics} (Prometheus text). Apps add their own routes
 * (e.g. the query API) with {@link #route}. Every handler runs on a worker thread, never the IO thread.
 */
public final class AdminServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RoutingHandler routes = Handlers.routing();
    private final List<HealthCheck> readiness = new CopyOnWriteArrayList<>();
    private final AtomicBoolean live = new AtomicBoolean(true);
    private final Undertow server;

    public AdminServer(String host, int port, PrometheusMeterRegistry registry) {
        routes.get(
                "/health/live",
                exchange -> respond(
                        exchange,
                        live.get() ? 200 : 503,
                        JSON.createObjectNode().put("status", live.get() ? "UP" : "DOWN")));
        routes.get("/health/ready", this::ready);
        routes.get("/metrics", exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(registry.scrape());
        });
        routes.setFallbackHandler(exchange -> respond(
                exchange,
                StatusCodes.NOT_FOUND,
                JSON.createObjectNode().put("error", "no such path: " + exchange.getRequestPath())));
        routes.setInvalidMethodHandler(exchange -> respond(
                exchange,
                StatusCodes.METHOD_NOT_ALLOWED,
                JSON.createObjectNode().put("error", "method not allowed: " + exchange.getRequestMethod())));
        this.server = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(1)
                .setWorkerThreads(4)
                .setHandler(new BlockingHandler(routes))
                .build();
    }

    /** Adds a GET route; {@code template} may hold {@code {params}}. Call before {@link #start()}. */
    public AdminServer route(String template, HttpHandler handler) {
        routes.add(Methods.GET, template, handler);
        return this;
    }

    /**
     * Serves a document from the classpath (an API description) at {@code path}; read once here, so a
     * missing one fails the start.
     */
    public AdminServer document(String path, String classpathResource, String contentType) {
        byte[] body;
        try (InputStream in = AdminServer.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + classpathResource + " on the classpath");
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return route(path, exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        });
    }

    public AdminServer readinessCheck(HealthCheck check) {
        readiness.add(check);
        return this;
    }

    /** Liveness false makes Kubernetes restart the pod: only for a process that cannot recover. */
    public void setLive(boolean isLive) {
        live.set(isLive);
    }

    public AdminServer start() {
        server.start();
        return this;
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void ready(HttpServerExchange exchange) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode checks = body.putObject("checks");
        boolean allUp = !readiness.isEmpty(); // an app that declared no checks is not known to be ready
        for (HealthCheck check : readiness) {
            HealthCheck.Result r;
            try {
                r = check.probe().get();
            } catch (RuntimeException e) {
                r = HealthCheck.Result.down("check failed: " + e);
            }
            allUp &= r.healthy();
            checks.putObject(check.name())
                    .put("status", r.healthy() ? "UP" : "DOWN")
                    .put("detail", r.detail());
        }
        body.put("status", allUp ? "UP" : "DOWN");
        respond(exchange, allUp ? 200 : 503, body);
    }

    /** Writes a JSON body with a status code; for routes added by apps too. */
    public static void respond(HttpServerExchange exchange, int status, Object body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        try {
            exchange.getResponseSender().send(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON response", e);
        }
    }
}
