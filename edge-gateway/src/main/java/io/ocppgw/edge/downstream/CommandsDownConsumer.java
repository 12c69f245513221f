package io.ocppgw.edge.downstream;

import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this pod's one {@code commands-down} partition: assigned (no consumer group), committed
 * records only (route-streams writes transactionally), positioned at the end before the pod accepts
 * its first WebSocket — older records were for sessions that no longer exist here and were re-routed.
 */
public final class CommandsDownConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandsDownConsumer.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final CommandDispatcher dispatcher;
    private final JsonSerde<RoutedCommand> serde = JsonSerde.of(RoutedCommand.class);
    private final Thread thread;
    private volatile boolean running = true;

    /** Assigns and positions at the end now (blocking: call before serving). */
    public CommandsDownConsumer(Map<String, Object> clientSettings, String topic, int partition, String podId,
                                CommandDispatcher dispatcher) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ocppgw-edge-" + podId);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        this.dispatcher = dispatcher;
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        long position = consumer.position(tp, Duration.ofSeconds(30));
        LOG.info("consuming {} from offset {}", tp, position);
        this.thread = new Thread(this::run, "commands-down");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        RoutedCommand routed = serde.deserialize(record.topic(), record.value());
                        if (routed != null) {
                            dispatcher.onRecord(routed);
                        }
                    } catch (RuntimeException e) {
                        LOG.error("cannot handle commands-down record at offset {} (key {}): {}", record.offset(), record.key(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
