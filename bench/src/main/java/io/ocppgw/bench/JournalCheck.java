package io.ocppgw.bench;

import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The promise "nothing acknowledged is lost", checked from outside: against the whole journal. */
final class JournalCheck {

    private JournalCheck() {}

    /** Reads the whole journal: how many acknowledged CALL message ids are not in it as a CALL. */
    static long missing(String bootstrap, TopicNames topics, Collection<String> acked) {
        Set<String> journaled = new HashSet<>();
        String topic = topics.name(Topic.OCPP_JOURNAL);
        try (KafkaConsumer<String, JournalEntry> c = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false, "max.poll.records", 5000),
                new StringDeserializer(),
                JsonSerde.of(JournalEntry.class))) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, JournalEntry> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && "CALL".equals(r.value().messageType())) {
                        journaled.add(r.value().messageId());
                    }
                }
            }
        }
        return acked.stream().filter(id -> !journaled.contains(id)).count();
    }
}
