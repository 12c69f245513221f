package io.ocppgw.edge;

import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JournalHeaders;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.TransactionIdMarker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Everything the edge writes to Kafka, through one idempotent producer with {@code acks=all}.
 * {@code KafkaProducer.send} can block (metadata, full buffer), so sends run on one dedicated thread,
 * never an Undertow IO or worker thread; one thread also keeps each charge point's records in the
 * order they were handed in. Health: Kafka counts as unhealthy while any send has waited longer
 * than the threshold, or the last one failed.
 */
public final class KafkaWriter implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicNames topics;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "kafka-writer"));
    private final ConcurrentSkipListMap<Long, Long> inFlight = new ConcurrentSkipListMap<>();
    /** The size of {@link #inFlight}, read on every frame: the map's own size() walks all of it. */
    private final AtomicInteger inFlightCount = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final long unhealthyAfterNanos;
    private volatile Runnable onSettled = () -> { };
    private final JsonSerde<JournalEntry> journalSerde = JsonSerde.of(JournalEntry.class);
    private final JsonSerde<ConnectionEvent> connectionSerde = JsonSerde.of(ConnectionEvent.class);
    private final JsonSerde<PodLease> leaseSerde = JsonSerde.of(PodLease.class);
    private final JsonSerde<TransactionIdMarker> markerSerde = JsonSerde.of(TransactionIdMarker.class);
    private final JsonSerde<DeliveryReport> reportSerde = JsonSerde.of(DeliveryReport.class);

    public KafkaWriter(Map<String, Object> clientSettings, TopicNames topics, Duration unhealthyAfter) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        settings.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ocppgw-edge");
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.unhealthyAfterNanos = unhealthyAfter.toNanos();
    }

    /** Partitions of {@code commands-down}; blocks for metadata, so call it at startup. */
    public int downPartitions() {
        return producer.partitionsFor(topics.name(Topic.COMMANDS_DOWN)).size();
    }

    public CompletableFuture<RecordMetadata> journal(JournalEntry entry) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topics.name(Topic.OCPP_JOURNAL), key(entry.chargePointId()),
                journalSerde.serialize(null, entry));
        JournalHeaders.write(entry, record.headers());
        return send(record);
    }

    public CompletableFuture<RecordMetadata> connection(ConnectionEvent event) {
        return send(new ProducerRecord<>(topics.name(Topic.CP_CONNECTIONS), key(event.chargePointId()), connectionSerde.serialize(null, event)));
    }

    public CompletableFuture<RecordMetadata> report(DeliveryReport report) {
        return send(new ProducerRecord<>(topics.name(Topic.COMMAND_STATUS), key(report.chargePointId()), reportSerde.serialize(null, report)));
    }

    public CompletableFuture<RecordMetadata> lease(PodLease lease) {
        return send(new ProducerRecord<>(topics.name(Topic.GATEWAY_PODS), key(lease.podId()), leaseSerde.serialize(null, lease)));
    }

    /** Appends a marker to the one-partition {@code transaction-ids}; its offset is the transaction id. */
    public CompletableFuture<Long> nextTransactionId(TransactionIdMarker marker) {
        return send(new ProducerRecord<>(topics.name(Topic.TRANSACTION_IDS), 0, key(marker.chargePointId()), markerSerde.serialize(null, marker)))
                .thenApply(RecordMetadata::offset);
    }

    /** A record this pod could not use, to {@code dead-letters} as it was read (see {@code DeadLetters}). */
    public CompletableFuture<RecordMetadata> deadLetter(ProducerRecord<byte[], byte[]> record) {
        return send(record);
    }

    /** The dead-letter topic's name. */
    public String deadLetterTopic() {
        return topics.name(Topic.DEAD_LETTERS);
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Empty when healthy, else why not. */
    public java.util.Optional<String> unhealthyReason() {
        Map.Entry<Long, Long> oldest = inFlight.firstEntry();
        if (oldest != null && System.nanoTime() - oldest.getValue() > unhealthyAfterNanos) {
            return java.util.Optional.of("a Kafka write has waited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest.getValue()) + " ms");
        }
        return java.util.Optional.ofNullable(lastFailure.get()).map(f -> "last Kafka write failed: " + f);
    }

    /** Runs after every write settles (acked or failed), on the producer's thread: keep it short. */
    public void onSettled(Runnable listener) {
        this.onSettled = listener;
    }

    public int inFlight() {
        return inFlightCount.get();
    }

    /**
     * Waits until every write handed in so far has settled, at most {@code timeout} (Kafka's own
     * {@code flush} has no bound, and a drain must not hang on a dead cluster). True if all settled.
     */
    public boolean awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.isEmpty();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        long id = sequence.incrementAndGet();
        inFlight.put(id, System.nanoTime());
        inFlightCount.incrementAndGet();
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        done.whenComplete((m, e) -> {
            inFlight.remove(id);
            inFlightCount.decrementAndGet();
            onSettled.run();
        });
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            lastFailure.set(error.toString());
                            done.completeExceptionally(error);
                        } else {
                            lastFailure.set(null);
                            done.complete(metadata);
                        }
                    });
                } catch (RuntimeException e) {
                    lastFailure.set(e.toString());
                    done.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
