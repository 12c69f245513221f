package io.ocppgw.edge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
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

/** Which records the writer hands to the producer on the caller's thread, and that order holds either way. */
@WithKafkaBroker
class KafkaWriterIT {

    @Test
    void shouldSendOnTheCallersThreadOnlyToATopicWithRecentAcksAndKeepOrder(EmbeddedKafka kafka) throws Exception {
        TopicNames names = new TopicNames("kw" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, names));
        }
        try (KafkaWriter writer = new KafkaWriter(Map.of("bootstrap.servers", kafka.bootstrapServers()), names, Duration.ofSeconds(30))) {
            // No write to the journal was acknowledged yet: its metadata may be missing, so the writer's thread sends it.
            writer.journal(entry(0)).get(30, TimeUnit.SECONDS);
            assertThat(writer.writesQueued()).isEqualTo(1);

            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                acks.add(writer.journal(entry(i)));
            }
            long previous = -1;
            for (CompletableFuture<RecordMetadata> ack : acks) {
                long offset = ack.get(30, TimeUnit.SECONDS).offset();
                assertThat(offset).isGreaterThan(previous);
                previous = offset;
            }
            assertThat(writer.writesQueued()).as("sent directly once the journal had an ack").isEqualTo(1);

            // Another topic without an ack yet goes through the thread again.
            writer.connection(new ConnectionEvent(ConnectionEvent.Type.CONNECTED, "CP-1", "pod-0", 0, "s-1", Instant.EPOCH,
                    Instant.EPOCH, "ocpp1.6", null, null, "inc-1")).get(30, TimeUnit.SECONDS);
            assertThat(writer.writesQueued()).isEqualTo(2);
            assertThat(writer.inFlight()).isZero();
        }
    }

    private static JournalEntry entry(int n) {
        return new JournalEntry("CP-1", "pod-0", "s-1", "ocpp1.6", Direction.FROM_CP, "CALL", "m-" + n, "Heartbeat",
                JsonNodeFactory.instance.objectNode(), null, Instant.EPOCH);
    }
}
