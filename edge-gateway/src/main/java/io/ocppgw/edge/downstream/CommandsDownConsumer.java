package io.ocppgw.edge.downstream;

import io.ocppgw.edge.kafka.KafkaWriter;
import io.ocppgw.edge.metrics.EdgeMetrics;
import io.ocppgw.support.DeadLetters;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this pod's one {@code commands-down} partition: assigned (no consumer group), committed
 * records only (route-streams writes transactionally), positioned at the end before the pod accepts
 * its first WebSocket — older records were for sessions that no longer exist here and were re-routed.
 *
 * <p>A record it cannot read or use is counted, logged with its offset (never its content), written
 * raw to {@code dead-letters} and skipped. A record the dispatcher fails on is tried again a few
 * times; then the consumer stops and {@link #failure()} says which record, so the pod exits instead
 * of delivering nothing in silence.
 */
public final class CommandsDownConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandsDownConsumer.class);
    static final int TRIES = 3;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final CommandDispatcher dispatcher;
    private final KafkaWriter kafka;
    private final EdgeMetrics metrics;
    private final JsonSerde<RoutedCommand> serde = JsonSerde.of(RoutedCommand.class);
    private final Thread thread;
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile boolean running = true;

    /** Assigns and positions at the end now (blocking: call before serving). */
    public CommandsDownConsumer(
            Map<String, Object> clientSettings,
            String topic,
            int partition,
            String podId,
            CommandDispatcher dispatcher,
            KafkaWriter kafka,
            EdgeMetrics metrics) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ocppgw-edge-" + podId);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.dispatcher = dispatcher;
        this.kafka = kafka;
        this.metrics = metrics;
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
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!handle(record)) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** False when the consumer must stop: the dispatcher failed on the record every time. */
    private boolean handle(ConsumerRecord<byte[], byte[]> record) {
        RoutedCommand routed;
        try {
            routed = serde.deserialize(record.topic(), record.value());
            String missing = missing(routed);
            if (missing != null) {
                throw new SerializationException("a routed command without " + missing);
            }
        } catch (SerializationException e) {
            deadLetter(record, e);
            return true;
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                dispatcher.onRecord(routed);
                return true;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        String where = record.topic() + "/" + record.partition() + "@" + record.offset();
        LOG.atError()
                .setMessage("delivering a routed command failed on every try; the pod stops taking commands")
                .addKeyValue("record", where)
                .addKeyValue("tries", TRIES)
                .setCause(last)
                .log();
        failure.complete("delivering the routed command at " + where + " failed " + TRIES + " times: " + last);
        return false;
    }

    /** The first field a routed command cannot do without, or null. */
    private static String missing(RoutedCommand r) {
        if (r == null) {
            return "a value";
        }
        if (r.type() == null || r.chargePointId() == null || r.podId() == null || r.sessionId() == null) {
            return "type, chargePointId, podId or sessionId";
        }
        if (r.type() == RoutedCommand.Type.COMMAND) {
            Command c = r.command();
            if (c == null || c.commandId() == null || c.kind() == null) {
                return "its command, commandId or kind";
            }
            if (c.kind() == Command.Kind.CALL
                    && (c.action() == null
                            || c.payload() == null
                            || !c.payload().isObject())) {
                return "the CALL's action or object payload";
            }
            if (c.kind() == Command.Kind.REPLY
                    && (c.replyTo() == null
                            || c.replyTo().sessionId() == null
                            || c.replyTo().messageId() == null)) {
                return "the REPLY's replyTo";
            }
        }
        return null;
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception problem) {
        metrics.badRecord(record.topic());
        LOG.atWarn()
                .setMessage("a record that cannot be used was dead-lettered and skipped")
                .addKeyValue("topic", record.topic())
                .addKeyValue("partition", record.partition())
                .addKeyValue("offset", record.offset())
                .addKeyValue("exception", problem.getClass().getName())
                .addKeyValue("deadLetterTopic", kafka.deadLetterTopic())
                .log();
        kafka.deadLetter(DeadLetters.of(
                kafka.deadLetterTopic(),
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.key(),
                record.value(),
                record.headers(),
                problem));
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Completes, with which record, when the consumer gave up. */
    public CompletableFuture<String> failure() {
        return failure;
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
