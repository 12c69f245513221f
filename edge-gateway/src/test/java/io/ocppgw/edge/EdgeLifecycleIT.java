package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.PodLease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults and lifecycle with a broker in its own process: it can really die and come back. */
class EdgeLifecycleIT {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    void shouldCloseInsteadOfErroringWhileKafkaIsDownAndRecoverWithoutRestart(@TempDir Path dir) throws Exception {
        int port = FreePorts.loopback();
        EmbeddedKafkaProcess broker =
                EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions());
        EdgeFixture edge = EdgeFixture.start(broker.bootstrapServers(), Map.of("OCPPGW_ANSWER_BUDGET", "PT2S"));
        try {
            OcppClient cp = connect(edge, "CP-OUTAGE");
            assertThat(call(cp, "Heartbeat", "{}")).isInstanceOf(OcppFrame.CallResult.class);

            broker.kill();
            var meter = cp.call("MeterValues", (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("""
                    {"connectorId": 1, "transactionId": 7, "meterValue": [{"timestamp": "2026-11-25T10:05:00Z",
                      "sampledValue": [{"value": "1100"}]}]}"""));

            assertThat(cp.closed().get(15, TimeUnit.SECONDS).code())
                    .as("closed, never CALLERROR")
                    .isEqualTo(1011);
            assertThat(meter).isCompletedExceptionally();
            await().atMost(Duration.ofSeconds(20)).until(() -> status(edge, "/health/ready") == 503);
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> connect(edge, "CP-WHILE-DOWN"));
            assertThat(refused)
                    .as("new upgrades are refused while Kafka is unhealthy")
                    .hasRootCauseInstanceOf(OcppClient.HandshakeRefused.class);
            Throwable root = refused;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(((OcppClient.HandshakeRefused) root).status()).isEqualTo(503);

            broker = EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions());
            await().atMost(Duration.ofSeconds(60)).until(() -> status(edge, "/health/ready") == 200);
            OcppClient again = connect(edge, "CP-OUTAGE");
            assertThat(call(again, "MeterValues", """
                    {"connectorId": 1, "transactionId": 7, "meterValue": [{"timestamp": "2026-11-25T10:05:00Z",
                      "sampledValue": [{"value": "1100"}]}]}""")).isInstanceOf(OcppFrame.CallResult.class);
            List<JournalEntry> journal = edge.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream()
                    .map(ConsumerRecord::value)
                    .filter(e -> "MeterValues".equals(e.action()) && "CALLRESULT".equals(e.messageType()))
                    .toList();
            assertThat(journal).as("the answered MeterValues is journaled").isNotEmpty();
            again.close();
        } finally {
            edge.close();
            broker.close();
        }
    }

    @Test
    void shouldDrainSocketsWithDisconnectEventsAndLeaveAStoppedLease(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaProcess broker =
                EmbeddedKafkaProcess.start(0, dir, false, EmbeddedKafkaProcess.defaultJvmOptions())) {
            EdgeFixture edge = EdgeFixture.start(broker.bootstrapServers(), Map.of("OCPPGW_DRAIN_WINDOW", "PT1S"));
            List<OcppClient> cps = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                cps.add(connect(edge, "CP-DRAIN-" + i));
                call(cps.get(i), "Heartbeat", "{}");
            }

            long started = System.nanoTime();
            edge.close();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            for (OcppClient cp : cps) {
                assertThat(cp.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(1001);
            }
            assertThat(tookMs).as("spread over the drain window").isGreaterThanOrEqualTo(800);
            List<ConnectionEvent> events = EdgeFixture.readAll(
                            broker.bootstrapServers(), edge.topics.name(Topic.CP_CONNECTIONS), ConnectionEvent.class)
                    .stream()
                    .map(ConsumerRecord::value)
                    .toList();
            assertThat(events.stream().filter(e -> e.type() == ConnectionEvent.Type.DISCONNECTED))
                    .hasSize(5)
                    .allMatch(e -> "draining".equals(e.reason()));
            List<PodLease> leases =
                    EdgeFixture.readAll(broker.bootstrapServers(), edge.topics.name(Topic.GATEWAY_PODS), PodLease.class)
                            .stream()
                            .map(ConsumerRecord::value)
                            .toList();
            assertThat(leases)
                    .extracting(PodLease::state)
                    .contains(PodLease.State.STARTING, PodLease.State.READY, PodLease.State.DRAINING)
                    .last()
                    .isEqualTo(PodLease.State.STOPPED);
        }
    }

    private static OcppClient connect(EdgeFixture edge, String id) throws Exception {
        return OcppClient.connect(edge.url(), id, OcppClient.Options.of(OcppVersion.OCPP_1_6))
                .get(10, TimeUnit.SECONDS);
    }

    private static OcppFrame call(OcppClient cp, String action, String payload) throws Exception {
        return cp.call(action, (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(payload))
                .get(10, TimeUnit.SECONDS);
    }

    private static int status(EdgeFixture edge, String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(edge.adminUrl() + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
