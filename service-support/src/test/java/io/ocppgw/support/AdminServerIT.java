package io.ocppgw.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdminServerIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServeLivenessReadinessMetricsAndAppRoutes() throws Exception {
        var registry = Metrics.newRegistry("test-app");
        registry.counter("ocppgw_test_frames", "action", "Heartbeat").increment(3);
        AtomicBoolean kafkaUp = new AtomicBoolean(false);
        try (AdminServer admin = new AdminServer("127.0.0.1", 0, registry)
                .readinessCheck(new HealthCheck(
                        "kafka",
                        () -> kafkaUp.get()
                                ? HealthCheck.Result.up("connected")
                                : HealthCheck.Result.down("no broker answered")))
                .route(
                        "/api/v1/echo/{word}",
                        exchange -> AdminServer.respond(
                                exchange,
                                200,
                                java.util.Map.of(
                                        "word",
                                        exchange.getQueryParameters()
                                                .get("word")
                                                .getFirst())))
                .start()) {
            String base = "http://127.0.0.1:" + admin.port();

            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(base + "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"status\":\"DOWN\"").contains("no broker answered");

            kafkaUp.set(true);
            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200);

            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("ocppgw_test_frames_total{action=\"Heartbeat\",app=\"test-app\"} 3.0")
                    .contains("jvm_memory_used_bytes");

            assertThat(get(base + "/api/v1/echo/hello").body()).isEqualTo("{\"word\":\"hello\"}");
            assertThat(get(base + "/nope").statusCode()).isEqualTo(404);

            admin.setLive(false);
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(503);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
