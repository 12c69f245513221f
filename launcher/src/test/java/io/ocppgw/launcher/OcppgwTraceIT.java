package io.ocppgw.launcher;

import static io.ocppgw.launcher.OcppgwJar.ocppgw;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.launcher.OcppgwJar.Run;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** {@code ocppgw trace} as support runs it: one charge point's frames, in order, secrets hidden, nothing of the others. */
@WithKafkaBroker
class OcppgwTraceIT {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void shouldPrintOneChargePointsFramesInOrderWithSecretsHidden(EmbeddedKafka kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        assertThat(ocppgw(
                                Map.of(),
                                "topics",
                                "apply",
                                "--bootstrap-server",
                                bootstrap,
                                "--profile",
                                "dev",
                                "--topic-prefix",
                                "tr.")
                        .exitCode())
                .isZero();
        String topic = new TopicNames("tr.").name(Topic.OCPP_JOURNAL);
        Instant t = Instant.now();
        List<JournalEntry> frames = List.of(
                entry(
                        "CP-A",
                        Direction.FROM_CP,
                        "CALL",
                        "m1",
                        "Authorize",
                        JSON.objectNode().put("idTag", "04E9"),
                        t),
                entry("CP-B", Direction.FROM_CP, "CALL", "x1", "Heartbeat", JSON.objectNode(), t),
                entry(
                        "CP-A",
                        Direction.TO_CP,
                        "CALLRESULT",
                        "m1",
                        "Authorize",
                        JSON.objectNode().set("idTagInfo", JSON.objectNode().put("status", "Accepted")),
                        t.plusMillis(5)),
                entry(
                        "CP-A",
                        Direction.TO_CP,
                        "CALL",
                        "c1",
                        "ChangeConfiguration",
                        JSON.objectNode().put("key", "AuthorizationKey").put("value", "0123456789abcdef0123"),
                        t.plusMillis(10)));
        try (KafkaProducer<String, JournalEntry> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap), new StringSerializer(), JsonSerde.of(JournalEntry.class))) {
            for (JournalEntry e : frames) {
                producer.send(new ProducerRecord<>(topic, e.chargePointId(), e)).get();
            }
        }

        Run trace = ocppgw(
                Map.of(),
                "trace",
                "--cp",
                "CP-A",
                "--bootstrap-server",
                bootstrap,
                "--topic-prefix",
                "tr.",
                "--since",
                "PT10M");
        Run unknownPrefix =
                ocppgw(Map.of(), "trace", "--cp", "CP-A", "--bootstrap-server", bootstrap, "--topic-prefix", "nope.");

        assertThat(trace.exitCode()).as(trace.toString()).isZero();
        List<String> lines = trace.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("CP→", "CALL", "Authorize", "m1", "{\"idTag\":\"04E9\"}");
        assertThat(lines.get(1)).contains("→CP", "CALLRESULT", "Authorize", "m1", "Accepted");
        assertThat(lines.get(2)).contains("→CP", "CALL", "ChangeConfiguration", "\"value\":\"***\"");
        assertThat(trace.out()).doesNotContain("0123456789abcdef0123", "Heartbeat");
        assertThat(unknownPrefix.exitCode()).isEqualTo(1);
        assertThat(unknownPrefix.err()).contains("nope.ocpp-journal does not exist");
    }

    private static JournalEntry entry(
            String cp,
            Direction direction,
            String type,
            String messageId,
            String action,
            JsonNode payload,
            Instant at) {
        return new JournalEntry(
                cp, "edge-gateway-0", "s-" + cp, "ocpp1.6", direction, type, messageId, action, payload, null, at);
    }
}
