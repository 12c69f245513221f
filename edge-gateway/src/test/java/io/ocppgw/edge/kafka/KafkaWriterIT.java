package io.ocppgw.edge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** The writer against a real broker: every record acknowledged, in order, nothing left in flight. */
@WithKafkaBroker
class KafkaWriterIT {

    @Test
    void shouldAcknowledgeEveryRecordInTheOrderItWasHandedIn(EmbeddedKafka kafka) throws Exception {
        TopicNames names = new TopicNames("kw" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, names));
        }
        try (KafkaWriter writer =
                new KafkaWriter(Map.of("bootstrap.servers", kafka.bootstrapServers()), names, Duration.ofSeconds(30))) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                acks.add(writer.journal(entry(i)));
            }
            long previous = -1;
            for (CompletableFuture<RecordMetadata> ack : acks) {
                long offset = ack.get(30, TimeUnit.SECONDS).offset();
                assertThat(offset)
                        .as("one charge point's records keep their order")
                        .isGreaterThan(previous);
                previous = offset;
            }
            assertThat(writer.awaitSettled(Duration.ofSeconds(5))).isTrue();
            assertThat(writer.inFlight()).isZero();
            assertThat(writer.unhealthyReason()).isEmpty();
        }
    }

    private static JournalEntry entry(int n) {
        return new JournalEntry(
                "CP-1",
                "pod-0",
                "s-1",
                "ocpp1.6",
                Direction.FROM_CP,
                "CALL",
                "m-" + n,
                "Heartbeat",
                JsonNodeFactory.instance.objectNode(),
                null,
                Instant.EPOCH);
    }
}
