package io.ocppgw.bench;

import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How late reconciliation-streams' transaction records become readable: each record carries the
 * timestamp of the journal record it follows from, so its delay is the wall clock at which it is read
 * (committed only) minus that timestamp.
 */
final class TransactionDelays implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Duration> delays = new ArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    TransactionDelays(String bootstrap, TopicNames topics) {
        consumer = TopicTail.fromEnd(bootstrap, topics.name(Topic.TRANSACTIONS), new ByteArrayDeserializer());
        reader = new Thread(this::read, "transaction-delays");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() != null) { // a tombstone is a finished transaction removed, not news of one
                        Duration delay = Duration.ofMillis(System.currentTimeMillis() - r.timestamp());
                        synchronized (delays) {
                            delays.add(delay);
                        }
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    long count() {
        synchronized (delays) {
            return delays.size();
        }
    }

    /** The delay at quantile {@code q} (1.0: the longest), in seconds; NaN before any record. */
    double seconds(double q) {
        synchronized (delays) {
            return CommandBackend.Outcomes.quantileSeconds(delays, q);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(10_000);
    }
}
