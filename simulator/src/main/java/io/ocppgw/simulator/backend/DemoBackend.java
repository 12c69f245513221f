package io.ocppgw.simulator.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.ReconciliationEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small reference backend, written to be read by backend authors. It does what a CSMS does with the
 * gateway's topics:
 * <ol>
 *   <li>reads {@code ocpp-journal} and answers the charge points' CALLs that wait for a backend
 *       ({@code backend} responder: Authorize, 1.6 StartTransaction, DataTransfer) with REPLY
 *       commands on {@code commands}, naming the session and message id they answer;</li>
 *   <li>reads {@code command-results} and {@code reconciliation-events} and logs them.</li>
 * </ol>
 * Each reader is a consumer group of its own, starting at the end the first time.
 */
public final class DemoBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoBackend.class);

    /** @param kafka client settings (bootstrap.servers and any security settings) */
    public record Settings(Map<String, Object> kafka, TopicNames topics, String groupId, DemoAnswers answers) {}

    // Built once: each JsonSerde binds its Jackson reader and writer when created.
    private static final JsonSerde<CommandResult> RESULTS = JsonSerde.of(CommandResult.class);
    private static final JsonSerde<ReconciliationEvent> EVENTS = JsonSerde.of(ReconciliationEvent.class);

    private final Settings settings;
    private final KafkaProducer<String, Command> producer;
    private final KafkaConsumer<String, JournalEntry> journal;
    private final KafkaConsumer<String, byte[]> outcomes;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong replies = new AtomicLong();
    private final CountDownLatch journalAssigned = new CountDownLatch(1);
    private final Thread journalThread;
    private final Thread outcomesThread;

    private DemoBackend(Settings settings) {
        this.settings = settings;
        Map<String, Object> producerProps = new HashMap<>(settings.kafka());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), JsonSerde.of(Command.class));
        this.journal = consumer(settings.groupId() + "-journal", JsonSerde.of(JournalEntry.class));
        this.outcomes = consumer(settings.groupId() + "-outcomes", (topic, data) -> data);
        this.journalThread = new Thread(
                () -> loop(journal, List.of(settings.topics().name(Topic.OCPP_JOURNAL)), this::onJournal),
                "demo-backend-journal");
        this.outcomesThread = new Thread(
                () -> loop(
                        outcomes,
                        List.of(
                                settings.topics().name(Topic.COMMAND_RESULTS),
                                settings.topics().name(Topic.RECONCILIATION_EVENTS)),
                        this::onOutcome),
                "demo-backend-outcomes");
    }

    public static DemoBackend start(Settings settings) {
        DemoBackend backend = new DemoBackend(settings);
        backend.journalThread.start();
        backend.outcomesThread.start();
        return backend;
    }

    /** Waits until the journal reader has its partitions: CALLs journaled from then on are answered. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return journalAssigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** REPLY commands written so far. */
    public long replies() {
        return replies.get();
    }

    private <V> KafkaConsumer<String, V> consumer(String groupId, Deserializer<V> values) {
        Map<String, Object> props = new HashMap<>(settings.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // static membership: restarted after a kill -9, it takes its partitions back at once instead of
        // waiting out the dead member's session (45 s); there is one demo backend per cluster
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), values);
    }

    private <V> void loop(
            KafkaConsumer<String, V> consumer, List<String> topics, Consumer<ConsumerRecord<String, V>> handler) {
        try (consumer) {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (consumer == journal && !partitions.isEmpty()) {
                        journalAssigned.countDown();
                    }
                }
            });
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, V> r : records) {
                    try {
                        handler.accept(r);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "demo backend skipped a record of {} at offset {}: {}",
                                r.topic(),
                                r.offset(),
                                e.toString());
                    }
                }
                producer.flush(); // replies are written before the journal's offsets move on
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // close() asked to stop
        }
    }

    private void onJournal(ConsumerRecord<String, JournalEntry> record) {
        JournalEntry e = record.value();
        if (e == null || e.direction() != Direction.FROM_CP || !"CALL".equals(e.messageType()) || e.action() == null) {
            return;
        }
        Optional<ObjectNode> answer =
                settings.answers().answer(e.chargePointId(), e.ocppVersion(), e.action(), e.payload());
        if (answer.isEmpty()) {
            return;
        }
        // The same CALL read twice gets the same commandId: route-streams drops the repeat.
        String commandId = UUID.nameUUIDFromBytes(
                        (e.sessionId() + "/" + e.messageId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        Command reply = new Command(
                commandId,
                e.chargePointId(),
                Command.Kind.REPLY,
                e.action(),
                answer.get(),
                Instant.now(),
                null,
                null,
                null,
                null,
                new Command.ReplyTo(e.sessionId(), e.messageId()),
                null);
        producer.send(
                new ProducerRecord<>(settings.topics().name(Topic.COMMANDS), e.chargePointId(), reply),
                (meta, failure) -> {
                    if (failure != null) {
                        LOG.warn(
                                "demo backend: reply to {} {} not written: {}",
                                e.chargePointId(),
                                e.messageId(),
                                failure.toString());
                    }
                });
        replies.incrementAndGet();
        LOG.info("demo backend answered {} {} of {}: {}", e.action(), e.messageId(), e.chargePointId(), answer.get());
    }

    private void onOutcome(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (record.topic().equals(settings.topics().name(Topic.COMMAND_RESULTS))) {
            CommandResult r = RESULTS.deserialize(record.topic(), record.value());
            LOG.atInfo()
                    .setMessage("command result")
                    .addKeyValue("commandId", r.commandId())
                    .addKeyValue("chargePointId", r.chargePointId())
                    .addKeyValue("status", r.status())
                    .addKeyValue("reason", r.reason())
                    .addKeyValue("description", r.description())
                    .log();
        } else {
            ReconciliationEvent ev = EVENTS.deserialize(record.topic(), record.value());
            LOG.atInfo()
                    .setMessage("reconciliation event")
                    .addKeyValue("type", ev.type())
                    .addKeyValue("chargePointId", ev.chargePointId())
                    .addKeyValue("transactionIds", ev.transactionIds())
                    .log();
        }
    }

    private static void wakeUp(KafkaConsumer<?, ?> consumer) {
        try {
            consumer.wakeup();
        } catch (RuntimeException alreadyClosed) {
            // its loop ended and closed it
        }
    }

    @Override
    public void close() {
        running.set(false);
        wakeUp(journal);
        wakeUp(outcomes);
        try {
            journalThread.join(10_000);
            outcomesThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
