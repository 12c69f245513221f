package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.TopicContents;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.support.streams.StreamsService;
import io.ocppgw.testsupport.OpenApiContract;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Two reconciliation-streams instances (exactly_once_v2) on a four-partition journal: transactions and
 * events land once each, on the charge point's partition, and either instance answers every query.
 */
@WithKafkaBroker
class ReconcileStreamsIT {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final OpenApiContract contract = new OpenApiContract("reconcile-api.yaml");

    @Test
    void shouldKeepTransactionsRaiseEachEventOnceAndAnswerFromEveryInstance(EmbeddedKafka kafka) throws Exception {
        TopicNames names = new TopicNames("x" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = kafka.admin()) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, names));
        }
        Instant t0 = Instant.now().minusSeconds(600);
        List<JournalEntry> journal = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // 1.6: started, metered, stopped
            String cp = "CP-R-" + i;
            journal.addAll(start16(cp, "s-" + i, 100 + i, t0));
            journal.add(call(
                    cp,
                    "s-" + i,
                    "ocpp1.6",
                    "MeterValues",
                    meterValues(100 + i, t0.plusSeconds(60), 1100),
                    t0.plusSeconds(60)));
            ObjectNode stop = JSON.objectNode()
                    .put("transactionId", 100 + i)
                    .put("meterStop", 1200)
                    .put("timestamp", t0.plusSeconds(120).toString());
            if (i % 2 == 0) {
                stop.put("reason", "EVDisconnected"); // the others name none: Local
            }
            journal.add(call(cp, "s-" + i, "ocpp1.6", "StopTransaction", stop, t0.plusSeconds(120)));
        }
        for (int i = 6;
                i < 9;
                i++) { // 1.6: started, then the charge point reboots onto a new session and says nothing more
            String cp = "CP-R-" + i;
            journal.addAll(start16(cp, "s-" + i, 100 + i, t0));
            journal.add(call(
                    cp,
                    "s-" + i + "-after-boot",
                    "ocpp1.6",
                    "BootNotification",
                    JSON.objectNode().put("chargePointVendor", "V").put("chargePointModel", "M"),
                    t0.plusSeconds(300)));
        }
        for (int i = 9; i < 12; i++) { // 2.0.1: started and updated, still charging
            String cp = "CP-R-" + i;
            journal.add(call(cp, "s-" + i, "ocpp2.0.1", "TransactionEvent", txEvent("Started", "tx-" + i, 0, t0), t0));
            journal.add(call(
                    cp,
                    "s-" + i,
                    "ocpp2.0.1",
                    "TransactionEvent",
                    txEvent("Updated", "tx-" + i, 1, t0.plusSeconds(60)),
                    t0.plusSeconds(60)));
        }
        // a 1.6 ChangeConfiguration carrying the Basic-auth key: kept for support's last-frames query with the key
        // hidden
        journal.add(new JournalEntry(
                "CP-R-2",
                "edge-gateway-0",
                "s-2",
                "ocpp1.6",
                Direction.TO_CP,
                "CALL",
                "cfg-1",
                "ChangeConfiguration",
                JSON.objectNode().put("key", "AuthorizationKey").put("value", "0123456789abcdef0123"),
                null,
                t0.plusSeconds(130)));
        Map<String, Integer> journalPartition = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", false, "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (JournalEntry e : journal) {
                var meta = producer.send(new ProducerRecord<>(
                                names.name(Topic.OCPP_JOURNAL),
                                e.chargePointId(),
                                JsonSerde.of(JournalEntry.class).serialize(null, e)))
                        .get();
                journalPartition.put(e.chargePointId(), meta.partition());
            }
        }
        assertThat(journalPartition.values().stream().distinct().count())
                .as("spread over partitions")
                .isGreaterThan(1);

        String appId = "reconcile-" + names.prefix();
        List<StreamsService> apps = new ArrayList<>();
        try {
            apps.add(ReconcileApp.start(config(kafka, names, appId)));
            apps.add(ReconcileApp.start(config(kafka, names, appId)));
            String bootstrap = kafka.bootstrapServers();
            String eventsTopic = names.name(Topic.RECONCILIATION_EVENTS);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> TopicContents.values(bootstrap, eventsTopic, JsonSerde.of(ReconciliationEvent.class))
                                    .size()
                            >= 6);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> apps.stream().allMatch(a -> a.state() == KafkaStreams.State.RUNNING)
                            && send(apps.get(0), "/api/v1/stats").statusCode() == 200
                            && send(apps.get(1), "/api/v1/stats").statusCode() == 200);

            List<ReconciliationEvent> events =
                    TopicContents.values(bootstrap, eventsTopic, JsonSerde.of(ReconciliationEvent.class));
            assertThat(events)
                    .extracting(ReconciliationEvent::type)
                    .containsOnly(
                            ReconciliationEvent.Type.OPEN_TRANSACTION_AT_BOOT,
                            ReconciliationEvent.Type.UNRESOLVED_AFTER_GRACE);
            assertThat(events.stream()
                            .collect(Collectors.groupingBy(
                                    e -> e.chargePointId() + "/" + e.type(), Collectors.counting())))
                    .as("one of each per rebooted charge point")
                    .hasSize(6)
                    .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));

            List<ConsumerRecord<String, TransactionState>> published = TopicContents.readAll(
                    bootstrap, names.name(Topic.TRANSACTIONS), JsonSerde.of(TransactionState.class));
            Map<String, TransactionState> latest = new HashMap<>();
            for (ConsumerRecord<String, TransactionState> r : published) {
                latest.put(r.key(), r.value());
                assertThat(r.partition())
                        .as("%s on its charge point's partition", r.key())
                        .isEqualTo(journalPartition.get(TransactionKey.chargePointId(r.key())));
            }
            assertThat(latest).hasSize(12);
            assertThat(latest.values().stream().filter(t -> t.status() == TransactionState.Status.STOPPED))
                    .hasSize(6);
            assertThat(latest.get("CP-R-0:100").energyWh()).isEqualTo(200.0);

            for (int i = 0; i < 12; i++) {
                String path = "/api/v1/transactions/CP-R-" + i;
                JsonNode first = get(apps.get(0), path);
                assertThat(first.path("transactions")).as(path).hasSize(1);
                assertThat(get(apps.get(1), path))
                        .as("forwarded to the owner or read locally: the same")
                        .isEqualTo(first);
            }
            assertThat(keysOf(apps.get(1), "open"))
                    .containsExactly(
                            "CP-R-10:tx-10", "CP-R-11:tx-11", "CP-R-6:106", "CP-R-7:107", "CP-R-8:108", "CP-R-9:tx-9");
            assertThat(keysOf(apps.get(0), "stopped")).hasSize(6);
            // From both instances: when every match lives on one, the other must still page through all of them.
            for (StreamsService app : apps) {
                assertThat(keysOf(app, "stopped&stopReason=evdisconnected"))
                        .containsExactly("CP-R-0:100", "CP-R-2:102", "CP-R-4:104");
                assertThat(keysOf(app, "any&stopReason=Local"))
                        .containsExactly("CP-R-1:101", "CP-R-3:103", "CP-R-5:105");
            }
            assertThat(get(apps.get(0), "/api/v1/transactions/CP-R-2")
                            .path("transactions")
                            .get(0)
                            .path("stopReason")
                            .asText())
                    .isEqualTo("EVDisconnected");
            assertThat(keysOf(apps.get(0), "any")).hasSize(12).doesNotHaveDuplicates();
            JsonNode recent = get(apps.get(1), "/api/v1/reconciliation/CP-R-7");
            assertThat(recent.path("events"))
                    .extracting(e -> e.path("type").asText())
                    .containsExactly("OPEN_TRANSACTION_AT_BOOT", "UNRESOLVED_AFTER_GRACE");
            JsonNode totals = get(apps.get(0), "/api/v1/stats").path("totals");
            assertThat(totals.path("open").asInt()).isEqualTo(6);
            assertThat(totals.path("stopped").asInt()).isEqualTo(6);
            assertThat(totals.path("chargePoints").asInt()).isEqualTo(12);

            assertThat(send(apps.get(0), "/api/v1/transactions/CP-NOBODY").statusCode())
                    .isEqualTo(404);
            assertThat(send(apps.get(0), "/api/v1/transactions?state=closed").statusCode())
                    .isEqualTo(400);
            assertThat(send(apps.get(0), "/api/v1/transactions?limit=0").statusCode())
                    .isEqualTo(400);
            // the last frames of a charge point, from either instance, oldest first, secrets hidden
            for (StreamsService app : apps) {
                JsonNode frames = get(app, "/api/v1/frames/CP-R-2").path("frames");
                assertThat(frames)
                        .extracting(f -> f.path("action").asText() + " "
                                + f.path("messageType").asText())
                        .containsExactly(
                                "StartTransaction CALL",
                                "StartTransaction CALLRESULT",
                                "MeterValues CALL",
                                "StopTransaction CALL",
                                "ChangeConfiguration CALL");
                assertThat(frames.get(4).path("payload").path("value").asText()).isEqualTo("***");
                assertThat(get(app, "/api/v1/frames/CP-R-2?limit=2").path("frames"))
                        .hasSize(2);
            }
            assertThat(send(apps.get(0), "/api/v1/frames/CP-R-2?limit=0").statusCode())
                    .isEqualTo(400);
            assertThat(get(apps.get(0), "/api/v1/frames/CP-NOBODY").path("frames"))
                    .isEmpty();
            assertThat(send(apps.get(0), "/health/ready").statusCode()).isEqualTo(200);
            assertThat(send(apps.get(1), "/health/live").statusCode()).isEqualTo(200);
            assertThat(send(apps.get(1), "/api/v1/openapi.yaml").body()).startsWith("openapi: 3.1.0");
            String metrics = send(apps.get(0), "/metrics").body()
                    + send(apps.get(1), "/metrics").body();
            assertThat(metrics)
                    .contains(
                            "ocppgw_reconcile_events_total{",
                            "type=\"OPEN_TRANSACTION_AT_BOOT\"",
                            "ocppgw_reconcile_open_transactions");
            assertThat(contract.checkedWithOk())
                    .as("every documented query answered 200 and fit the document")
                    .containsExactlyInAnyOrderElementsOf(contract.operations());
        } finally {
            apps.forEach(StreamsService::close);
        }
    }

    /** Every listing page of 2, from one instance, following the cursor. */
    private List<String> keysOf(StreamsService app, String state) throws Exception {
        List<String> keys = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = get(
                    app,
                    "/api/v1/transactions?state=" + state + "&limit=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
            page.path("transactions")
                    .forEach(t -> keys.add(t.path("chargePointId").asText() + ":"
                            + t.path("transactionId").asText()));
            cursor = page.path("nextCursor").asText("");
            pages++;
        } while (!cursor.isEmpty() && pages < 50);
        return keys;
    }

    private static List<JournalEntry> start16(String cp, String session, int id, Instant at) {
        JournalEntry start = call(
                cp,
                session,
                "ocpp1.6",
                "StartTransaction",
                JSON.objectNode()
                        .put("connectorId", 1)
                        .put("idTag", "T")
                        .put("meterStart", 1000)
                        .put("timestamp", at.toString()),
                at);
        ObjectNode answer = JSON.objectNode().put("transactionId", id);
        answer.putObject("idTagInfo").put("status", "Accepted");
        return List.of(
                start,
                new JournalEntry(
                        cp,
                        "edge-gateway-0",
                        session,
                        "ocpp1.6",
                        Direction.TO_CP,
                        "CALLRESULT",
                        start.messageId(),
                        "StartTransaction",
                        answer,
                        null,
                        at));
    }

    private static ObjectNode meterValues(int tx, Instant at, int wh) {
        ObjectNode p = JSON.objectNode().put("connectorId", 1).put("transactionId", tx);
        p.putArray("meterValue")
                .addObject()
                .put("timestamp", at.toString())
                .putArray("sampledValue")
                .addObject()
                .put("value", String.valueOf(wh));
        return p;
    }

    private static ObjectNode txEvent(String type, String tx, int seq, Instant at) {
        ObjectNode p = JSON.objectNode()
                .put("eventType", type)
                .put("timestamp", at.toString())
                .put("triggerReason", "Authorized")
                .put("seqNo", seq);
        p.putObject("transactionInfo").put("transactionId", tx);
        p.putObject("evse").put("id", 1);
        return p;
    }

    private static JournalEntry call(
            String cp, String session, String version, String action, ObjectNode payload, Instant at) {
        return new JournalEntry(
                cp,
                "edge-gateway-0",
                session,
                version,
                Direction.FROM_CP,
                "CALL",
                UUID.randomUUID().toString(),
                action,
                payload,
                null,
                at);
    }

    private static ReconcileConfig config(EmbeddedKafka kafka, TopicNames names, String appId) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OCPPGW_BOOTSTRAP_SERVER", kafka.bootstrapServers());
        env.put("OCPPGW_TOPIC_PREFIX", names.prefix());
        env.put("OCPPGW_APPLICATION_ID", appId);
        env.put("OCPPGW_HOST", "127.0.0.1");
        env.put("OCPPGW_ADMIN_PORT", String.valueOf(FreePorts.loopback()));
        env.put("OCPPGW_STATE_DIR", Files.createTempDirectory("reconcile-it").toString());
        env.put("OCPPGW_GRACE", "PT3S");
        return ReconcileConfig.fromEnv(env);
    }

    private JsonNode get(StreamsService app, String path) throws Exception {
        HttpResponse<String> r = send(app, path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JsonSerde.MAPPER.readTree(r.body());
    }

    /** One GET; its answer must be documented and fit the API's OpenAPI document. */
    private HttpResponse<String> send(StreamsService app, String path) throws Exception {
        return contract.get(app.adminPort(), path);
    }
}
