package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.TransactionIdMarker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real charge point clients over real WebSockets against one edge pod on a real broker. */
@WithKafkaBroker
class EdgeUpstreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EdgeFixture edge;

    @BeforeAll
    static void start(EmbeddedKafka kafka) {
        edge = EdgeFixture.start(
                kafka.bootstrapServers(),
                Map.of(
                        "OCPPGW_RESPONDERS", "StartTransaction=sequence",
                        "OCPPGW_ANSWER_BUDGET", "PT1S",
                        "OCPPGW_MAX_FRAME_BYTES", "65536",
                        "OCPPGW_MAX_QUEUED_CALLS", "2"));
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void shouldAnswerABootOnlyAfterItsCallIsInTheJournalAndJournalTheAnswerToo() throws Exception {
        OcppClient cp = connect("CP-BOOT", OcppVersion.OCPP_1_6);

        OcppFrame answer = call(cp, "BootNotification", "{\"chargePointVendor\": \"V\", \"chargePointModel\": \"M\"}");

        assertThat(answer).isInstanceOf(OcppFrame.CallResult.class);
        ObjectNode payload = ((OcppFrame.CallResult) answer).payload();
        assertThat(payload.get("status").asText()).isEqualTo("Accepted");
        assertThat(payload.get("interval").asInt()).isEqualTo(300);
        List<JournalEntry> journal = awaitJournal("CP-BOOT", 2);
        assertThat(journal)
                .extracting(JournalEntry::messageType, JournalEntry::direction, JournalEntry::action)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "CALL", io.ocppgw.topics.records.Direction.FROM_CP, "BootNotification"),
                        org.assertj.core.groups.Tuple.tuple(
                                "CALLRESULT", io.ocppgw.topics.records.Direction.TO_CP, "BootNotification"));
        assertThat(journal.get(0).messageId())
                .isEqualTo(answer.messageId())
                .isEqualTo(journal.get(1).messageId());
        assertThat(journal.get(0).podId()).isEqualTo("edge-gateway-3");
        List<ConnectionEvent> connected = edge.read(Topic.CP_CONNECTIONS, ConnectionEvent.class).stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.chargePointId().equals("CP-BOOT"))
                .toList();
        assertThat(connected).first().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ConnectionEvent.Type.CONNECTED);
            assertThat(e.partition()).isEqualTo(3);
            assertThat(e.sessionId()).isEqualTo(journal.get(0).sessionId());
            assertThat(e.ocppVersion()).isEqualTo("ocpp1.6");
        });
        cp.close();
    }

    @Test
    void shouldPreferTheNewestCommonSubprotocolAndCloseWhenThereIsNone() throws Exception {
        OcppClient both = OcppClient.connect(
                        edge.url(),
                        "CP-PROTO",
                        OcppClient.Options.of(OcppVersion.OCPP_1_6).withSubprotocols(List.of("ocpp1.6", "ocpp2.0.1")))
                .get(10, TimeUnit.SECONDS);
        assertThat(both.version()).contains(OcppVersion.OCPP_2_0_1);
        both.close();

        OcppClient none = OcppClient.connect(
                        edge.url(),
                        "CP-NOPROTO",
                        OcppClient.Options.of(OcppVersion.OCPP_1_6).withSubprotocols(List.of("ocpp1.5")))
                .get(10, TimeUnit.SECONDS);
        assertThat(none.version()).isEmpty();
        assertThat(none.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1002);
        assertThat(journalOf("CP-NOPROTO")).isEmpty();
    }

    @Test
    void shouldRefuseMalformedIdentitiesWithoutUpgrading() {
        for (String bad : List.of("a%3Ab", "x".repeat(49))) {
            assertThatThrownBy(() -> connect(bad, OcppVersion.OCPP_1_6))
                    .hasRootCauseInstanceOf(OcppClient.HandshakeRefused.class)
                    .rootCause()
                    .satisfies(e -> assertThat(((OcppClient.HandshakeRefused) e).status())
                            .isEqualTo(400));
        }
    }

    @Test
    void shouldAnswerProtocolErrorsWithTheVersionsCodesAndJournalThem() throws Exception {
        OcppClient v16 = connect("CP-ERR16", OcppVersion.OCPP_1_6);
        OcppClient v201 = connect("CP-ERR201", OcppVersion.OCPP_2_0_1);

        OcppFrame unknown = call(v16, "MakeCoffee", "{}");
        OcppFrame missing = call(v16, "BootNotification", "{\"chargePointVendor\": \"V\"}");
        OcppFrame wrongWay = call(v201, "Reset", "{\"type\": \"Immediate\"}");
        OcppClient raw = OcppClient.connect(edge.url(), "CP-RAW", OcppClient.Options.of(OcppVersion.OCPP_2_0_1))
                .get(10, TimeUnit.SECONDS);
        raw.sendText("this is not json");

        assertThat(((OcppFrame.CallError) unknown).errorCode()).isEqualTo("NotImplemented");
        assertThat(((OcppFrame.CallError) missing).errorCode()).isEqualTo("OccurenceConstraintViolation");
        assertThat(((OcppFrame.CallError) wrongWay).errorCode()).isEqualTo("NotSupported");
        await().atMost(Duration.ofSeconds(10)).until(() -> journalOf("CP-RAW").size() >= 2);
        assertThat(journalOf("CP-RAW")).extracting(JournalEntry::messageType).containsExactly("INVALID", "CALLERROR");
        assertThat(journalOf("CP-RAW").get(1).error().code()).isEqualTo("RpcFrameworkError");
        assertThat(journalOf("CP-RAW").get(1).messageId()).isEqualTo("-1");
        assertThat(awaitJournal("CP-ERR16", 4))
                .extracting(JournalEntry::messageType)
                .containsExactly("CALL", "CALLERROR", "CALL", "CALLERROR");
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(edge.adminUrl() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
                .doesNotContain("MakeCoffee")
                .contains("ocppgw_edge_frames_in_total{action=\"unknown\"");
        v16.close();
        v201.close();
        raw.close();
    }

    @Test
    void shouldHandOutStartTransactionIdsFromTheSequenceTopic() throws Exception {
        OcppClient cp = connect("CP-SEQ", OcppVersion.OCPP_1_6);
        String start =
                "{\"connectorId\": 1, \"idTag\": \"TAG\", \"meterStart\": 1000, \"timestamp\": \"2026-11-25T10:00:00Z\"}";

        long first = ((OcppFrame.CallResult) call(cp, "StartTransaction", start))
                .payload()
                .get("transactionId")
                .asLong();
        long second = ((OcppFrame.CallResult) call(cp, "StartTransaction", start))
                .payload()
                .get("transactionId")
                .asLong();

        assertThat(second).isGreaterThan(first);
        List<TransactionIdMarker> markers = edge.read(Topic.TRANSACTION_IDS, TransactionIdMarker.class).stream()
                .filter(r -> r.offset() == first)
                .map(ConsumerRecord::value)
                .toList();
        assertThat(markers)
                .singleElement()
                .satisfies(m -> assertThat(m.chargePointId()).isEqualTo("CP-SEQ"));
        cp.close();
    }

    @Test
    void shouldCloseInsteadOfAnsweringWhenNoBackendRepliesInTime() throws Exception {
        OcppClient cp = connect("CP-NOBACKEND", OcppVersion.OCPP_1_6);

        CompletableFuture<OcppFrame> authorize =
                cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"TAG\"}"));

        OcppClient.Closed closed = cp.closed().get(10, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(1011);
        assertThat(authorize).isCompletedExceptionally();
        assertThat(awaitJournal("CP-NOBACKEND", 1))
                .extracting(JournalEntry::messageType)
                .containsExactly("CALL");
    }

    @Test
    void shouldAnswerDataTransferWithUnknownVendorIdWhenNoBackendReplies() throws Exception {
        OcppClient cp = connect("CP-DT", OcppVersion.OCPP_2_0_1);

        OcppFrame answer = call(cp, "DataTransfer", "{\"vendorId\": \"acme\"}");

        assertThat(((OcppFrame.CallResult) answer).payload().get("status").asText())
                .isEqualTo("UnknownVendorId");
        cp.close();
    }

    @Test
    void shouldCloseAChargePointThatSendsTooManyCallsAheadOfTheirAnswers() throws Exception {
        OcppClient cp = connect("CP-FLOOD", OcppVersion.OCPP_1_6);
        for (int i = 0; i < 8; i++) {
            cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"T" + i + "\"}"));
        }

        assertThat(cp.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1008);
    }

    @Test
    void shouldCloseOversizeFramesWith1009() throws Exception {
        OcppClient cp = connect("CP-BIG", OcppVersion.OCPP_1_6);

        cp.call("DataTransfer", (ObjectNode)
                JSON.readTree("{\"vendorId\": \"v\", \"data\": \"" + "x".repeat(70_000) + "\"}"));

        assertThat(cp.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1009);
    }

    @Test
    void shouldLetANewerConnectionSupersedeTheOlder() throws Exception {
        OcppClient older = connect("CP-TWICE", OcppVersion.OCPP_1_6);
        OcppClient newer = connect("CP-TWICE", OcppVersion.OCPP_1_6);

        assertThat(older.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
        assertThat(call(newer, "Heartbeat", "{}")).isInstanceOf(OcppFrame.CallResult.class);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(edge.read(Topic.CP_CONNECTIONS, ConnectionEvent.class).stream()
                                .map(ConsumerRecord::value)
                                .filter(e -> e.chargePointId().equals("CP-TWICE")))
                        .extracting(ConnectionEvent::type, ConnectionEvent::reason)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(ConnectionEvent.Type.CONNECTED, null),
                                org.assertj.core.groups.Tuple.tuple(ConnectionEvent.Type.CONNECTED, null),
                                org.assertj.core.groups.Tuple.tuple(ConnectionEvent.Type.DISCONNECTED, "superseded")));
        newer.close();
    }

    @Test
    void shouldReportHealthLeasesAndMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(URI.create(edge.adminUrl() + "/health/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        OcppClient cp = connect("CP-METRICS", OcppVersion.OCPP_1_6);
        call(cp, "Heartbeat", "{}");
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create(edge.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("commands-down partition 3");
        assertThat(metrics.body())
                .containsPattern("ocppgw_edge_connections\\{[^}]*\\} [1-9]")
                .contains("ocppgw_edge_persist_latency_seconds_bucket")
                .contains("ocppgw_edge_frames_in_total{action=\"Heartbeat\"")
                .contains("ocppgw_edge_pod{app=\"edge-gateway\",partition=\"3\",pod=\"edge-gateway-3\"} 1.0");
        assertThat(edge.read(Topic.GATEWAY_PODS, PodLease.class))
                .extracting(r -> r.value().state())
                .contains(PodLease.State.READY);
        cp.close();
    }

    private static OcppClient connect(String identity, OcppVersion version) throws Exception {
        return OcppClient.connect(edge.url(), identity, OcppClient.Options.of(version))
                .get(10, TimeUnit.SECONDS);
    }

    private static OcppFrame call(OcppClient cp, String action, String payload) throws Exception {
        return cp.call(action, (ObjectNode) JSON.readTree(payload)).get(10, TimeUnit.SECONDS);
    }

    private static List<JournalEntry> journalOf(String cp) {
        return edge.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.chargePointId().equals(cp))
                .toList();
    }

    private static List<JournalEntry> awaitJournal(String cp, int atLeast) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> journalOf(cp), l -> l.size() >= atLeast);
    }
}
