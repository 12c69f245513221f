package io.ocppgw.edge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaWriterSettingsTest {

    @Test
    void shouldRetryAJournalWriteForTheWholeAnswerBudgetWithRequestsShortEnoughToRetry() {
        Map<String, Object> s =
                KafkaWriter.producerSettings(Map.of("bootstrap.servers", "kafka:9092"), Duration.ofSeconds(25));

        assertThat(s)
                .containsEntry("delivery.timeout.ms", 25_000)
                .containsEntry("request.timeout.ms", 8_333)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true);
    }

    @Test
    void shouldCapTheRequestTimeoutAndKeepTheOperatorsSettings() {
        Map<String, Object> s =
                KafkaWriter.producerSettings(Map.of("request.timeout.ms", "4000", "acks", "1"), Duration.ofMinutes(2));

        assertThat(s)
                .containsEntry("request.timeout.ms", "4000")
                .containsEntry("delivery.timeout.ms", 120_000)
                .containsEntry(
                        "acks", "all"); // never weaker than all: an answer promises the journal record is replicated
        assertThat(KafkaWriter.producerSettings(Map.of(), Duration.ofMinutes(2)))
                .containsEntry("request.timeout.ms", 10_000);
    }
}
