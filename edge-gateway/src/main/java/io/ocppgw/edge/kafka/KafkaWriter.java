package io.ocppgw.edge.kafka;

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
 * {@code KafkaProducer.send} can block for up to {@code max.block.ms} when it lacks a topic's metadata
 * or buffer memory, and a topic written a moment ago is no safe bet: three seconds into a broker
 * outage both IO threads were seen blocked in {@code waitOnMetadata} for journal writes. So sends run
 * on one dedicated thread, never an Undertow IO or worker thread; one thread also keeps each charge
 * point's records in the order they were handed in.
 *
 * <p>Timeouts follow the answer budget, the longest a charge point's CALL may wait for its journal
 * record. A lost broker stalls the writes to the partitions it led until the controller fences it
 * ({@code broker.session.timeout.ms}, 9 s by default) and their leadership moves; the producer keeps
 * retrying for the whole budget, so such writes are acknowledged late rather than failed.
 *
 * <p>Health: Kafka counts as unhealthy only while writes wait and none at all was acknowledged for
 * the budget (the pod itself cannot write), or the last one failed; one partition whose leader moves
 * does not make the pod unready.
 */
public final class KafkaWriter implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicNames topics;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "kafka-writer"));
    /** Writes handed in and not yet settled. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Since when writes have waited without a pause ({@link #inFlight} last went from 0 to 1). */
    private final AtomicLong busySinceNanos = new AtomicLong(System.nanoTime());

    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    /** When a write was last acknowledged (or the writer started): progress. */
    private final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());

    private final long stalledAfterNanos;
    private volatile Runnable onSettled = () -> {};
    private final JsonSerde<JournalEntry> journalSerde = JsonSerde.of(JournalEntry.class);
    private final JsonSerde<ConnectionEvent> connectionSerde = JsonSerde.of(ConnectionEvent.class);
    private final JsonSerde<PodLease> leaseSerde = JsonSerde.of(PodLease.class);
    private final JsonSerde<TransactionIdMarker> markerSerde = JsonSerde.of(TransactionIdMarker.class);
    private final JsonSerde<DeliveryReport> reportSerde = JsonSerde.of(DeliveryReport.class);

    /** @param answerBudget how long a write may take before the CALL it journals is given up */
    public KafkaWriter(Map<String, Object> clientSettings, TopicNames topics, Duration answerBudget) {
        this.producer = new KafkaProducer<>(
                producerSettings(clientSettings, answerBudget), new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.stalledAfterNanos = answerBudget.toNanos();
    }

    /** The producer's settings: the gateway's defaults under what the operator set (KAFKA_*), except acks and idempotence. */
    static Map<String, Object> producerSettings(Map<String, Object> clientSettings, Duration answerBudget) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        settings.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ocppgw-edge");
        int budgetMs = (int) Math.min(Integer.MAX_VALUE, answerBudget.toMillis());
        // A request to a broker gone without a word (no RST: a lost node, a partition) is given up after
        // this and retried on fresh metadata: a third of the budget leaves room for two retries, and at
        // most 10 s, just past the 9 s after which the controller fences a lost broker.
        int requestMs = Math.max(100, Math.min(10_000, budgetMs / 3));
        settings.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestMs);
        // Retry for the whole budget, not Kafka's 120 s: past it nobody waits for the ack any more.
        settings.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(budgetMs, requestMs + 10));
        return settings;
    }

    /** Partitions of {@code commands-down}; blocks for metadata, so call it at startup. */
    public int downPartitions() {
        return producer.partitionsFor(topics.name(Topic.COMMANDS_DOWN)).size();
    }

    public CompletableFuture<RecordMetadata> journal(JournalEntry entry) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                topics.name(Topic.OCPP_JOURNAL), key(entry.chargePointId()), journalSerde.serialize(null, entry));
        JournalHeaders.write(entry, record.headers());
        return send(record);
    }

    public CompletableFuture<RecordMetadata> connection(ConnectionEvent event) {
        return send(new ProducerRecord<>(
                topics.name(Topic.CP_CONNECTIONS), key(event.chargePointId()), connectionSerde.serialize(null, event)));
    }

    public CompletableFuture<RecordMetadata> report(DeliveryReport report) {
        return send(new ProducerRecord<>(
                topics.name(Topic.COMMAND_STATUS), key(report.chargePointId()), reportSerde.serialize(null, report)));
    }

    public CompletableFuture<RecordMetadata> lease(PodLease lease) {
        return send(new ProducerRecord<>(
                topics.name(Topic.GATEWAY_PODS), key(lease.podId()), leaseSerde.serialize(null, lease)));
    }

    /** Appends a marker to the one-partition {@code transaction-ids}; its offset is the transaction id. */
    public CompletableFuture<Long> nextTransactionId(TransactionIdMarker marker) {
        return send(new ProducerRecord<>(
                        topics.name(Topic.TRANSACTION_IDS),
                        0,
                        key(marker.chargePointId()),
                        markerSerde.serialize(null, marker)))
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
        int waiting = inFlight.get();
        long now = System.nanoTime();
        long sinceAck = now - lastAckNanos.get();
        // Writes waited the whole budget without a pause and none was acknowledged: no progress at all.
        if (waiting > 0 && now - busySinceNanos.get() > stalledAfterNanos && sinceAck > stalledAfterNanos) {
            return java.util.Optional.of("no Kafka write acknowledged for " + TimeUnit.NANOSECONDS.toMillis(sinceAck)
                    + " ms while " + waiting + " wait");
        }
        return java.util.Optional.ofNullable(lastFailure.get()).map(f -> "last Kafka write failed: " + f);
    }

    /** Runs after every write settles (acked or failed), on the producer's thread: keep it short. */
    public void onSettled(Runnable listener) {
        this.onSettled = listener;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits until every write handed in so far has settled, at most {@code timeout} (Kafka's own
     * {@code flush} has no bound, and a drain must not hang on a dead cluster). True if all settled.
     */
    public boolean awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.get() == 0;
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
        // Set before counting, so a health check never sees a write waiting with a stale start; racing
        // writers only make it newer, delaying the verdict by as little.
        if (inFlight.get() == 0) {
            busySinceNanos.set(System.nanoTime());
        }
        inFlight.incrementAndGet();
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        done.whenComplete((m, e) -> {
            inFlight.decrementAndGet();
            onSettled.run();
        });
        try {
            sender.execute(() -> sendNow(record, done));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void sendNow(ProducerRecord<byte[], byte[]> record, CompletableFuture<RecordMetadata> done) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    lastFailure.set(error.toString());
                    done.completeExceptionally(error);
                } else {
                    lastAckNanos.set(System.nanoTime());
                    lastFailure.set(null);
                    done.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            lastFailure.set(e.toString());
            done.completeExceptionally(e);
        }
    }
}
