package io.ocppgw.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** For tests and tools: everything committed on a topic right now, partition by partition, in offset order. */
public final class TopicContents {

    private TopicContents() {}

    /** Reads every committed record (read_committed) up to the current end offsets; at most {@code 20 s}. */
    public static <T> List<ConsumerRecord<String, T>> readAll(String bootstrap, String topic, Deserializer<T> values) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    out.add(new ConsumerRecord<>(
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            r.timestamp(),
                            r.timestampType(),
                            r.serializedKeySize(),
                            r.serializedValueSize(),
                            r.key(),
                            values.deserialize(topic, r.value()),
                            r.headers(),
                            r.leaderEpoch()));
                }
            }
        }
        out.sort(Comparator.<ConsumerRecord<String, T>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    /** Just the values. */
    public static <T> List<T> values(String bootstrap, String topic, Deserializer<T> values) {
        return readAll(bootstrap, topic, values).stream()
                .map(ConsumerRecord::value)
                .toList();
    }
}
