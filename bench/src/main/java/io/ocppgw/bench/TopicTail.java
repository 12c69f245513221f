package io.ocppgw.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** How a scenario's backend reads what comes back: every partition of a topic, from its end as of now. */
final class TopicTail {

    private TopicTail() {}

    /** Assigned (no group), committed records only, positioned at the end before it returns: nothing written after is missed. */
    static <V> KafkaConsumer<String, V> fromEnd(String bootstrap, String topic, Deserializer<V> values) {
        KafkaConsumer<String, V> c = new KafkaConsumer<>(
                new HashMap<>(Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "isolation.level",
                        "read_committed",
                        "enable.auto.commit",
                        false,
                        "max.poll.records",
                        5000)),
                new StringDeserializer(),
                values);
        List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }
}
