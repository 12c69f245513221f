package io.ocppgw.support.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocppgw.support.DeadLetters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a streams app does with a record it cannot use: count it ({@code ocppgw_bad_records}), log once
 * where it was (topic, partition, offset and the kind of problem, never its content), write it raw to
 * {@code dead-letters} in Kafka Streams' own dead-letter shape, and go on with the next record. A
 * processing failure that is not the record's fault ({@link BadRecordException} is) fails the stream
 * thread instead, and is remembered so the app can name the record when it gives up.
 *
 * <p>Kafka Streams makes its handlers from class names; they find the app's instance of this class
 * under {@link #CONFIG} in the configuration.
 */
public final class BadRecords {

    /** The Streams configuration key under which the handlers find this instance. */
    public static final String CONFIG = "ocppgw.bad.records";

    private static final Logger LOG = LoggerFactory.getLogger(BadRecords.class);

    private final String deadLetterTopic;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    public BadRecords(String deadLetterTopic, MeterRegistry registry) {
        this.deadLetterTopic = deadLetterTopic;
        this.registry = registry;
    }

    /** The Kafka Streams settings that make its handlers this instance's (the app's, or a test driver's). */
    public Map<String, Object> configs() {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                OnUnreadable.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                OnProcessingFailure.class,
                // the global store (route-streams' leases) too; Kafka 5 makes this the default
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
                true,
                CONFIG,
                this);
    }

    /** The last record whose processing failed for a reason that is not the record's: where it was, and why. */
    public String lastFailure() {
        String f = lastFailure.get();
        return f == null ? "no record named" : f;
    }

    List<ProducerRecord<byte[], byte[]>> deadLetter(
            String kind, ErrorHandlerContext where, byte[] key, byte[] value, Exception problem) {
        counters.computeIfAbsent(
                        where.topic() + "|" + kind,
                        k -> Counter.builder("ocppgw_bad_records")
                                .description("Records a streams app could not use: counted, dead-lettered and skipped")
                                .tags("topic", where.topic(), "problem", kind)
                                .register(registry))
                .increment();
        LOG.atWarn()
                .setMessage("a record that cannot be used was dead-lettered and skipped")
                .addKeyValue("topic", where.topic())
                .addKeyValue("partition", where.partition())
                .addKeyValue("offset", where.offset())
                .addKeyValue("problem", kind)
                .addKeyValue("exception", problem.getClass().getName())
                .addKeyValue("deadLetterTopic", deadLetterTopic)
                .log();
        return List.of(DeadLetters.of(
                deadLetterTopic,
                where.topic(),
                where.partition(),
                where.offset(),
                where.timestamp(),
                key,
                value,
                where.headers(),
                problem));
    }

    void failed(ErrorHandlerContext where, Exception problem) {
        String described = where.topic() + "/" + where.partition() + "@" + where.offset() + " in "
                + where.processorNodeId() + ": " + problem.getClass().getName();
        lastFailure.set(described);
        LOG.atError()
                .setMessage(
                        "processing a record failed; the stream thread stops and is replaced a bounded number of times")
                .addKeyValue("topic", where.topic())
                .addKeyValue("partition", where.partition())
                .addKeyValue("offset", where.offset())
                .addKeyValue("processor", where.processorNodeId())
                .setCause(problem)
                .log();
    }

    private static BadRecords from(Map<String, ?> configs) {
        Object instance = configs.get(CONFIG);
        if (!(instance instanceof BadRecords b)) {
            throw new IllegalStateException(CONFIG + " is not set to a BadRecords instance");
        }
        return b;
    }

    /** An unreadable record (its bytes are no record of the topic's type): dead-lettered, skipped. */
    public static final class OnUnreadable implements DeserializationExceptionHandler {
        private BadRecords bad;

        @Override
        public void configure(Map<String, ?> configs) {
            bad = from(configs);
        }

        @Override
        public Response handleError(
                ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            return Response.resume(bad.deadLetter("unreadable", context, record.key(), record.value(), exception));
        }
    }

    /** A record the processor refused ({@link BadRecordException}): dead-lettered, skipped. Anything else fails the thread. */
    public static final class OnProcessingFailure implements ProcessingExceptionHandler {
        private BadRecords bad;

        @Override
        public void configure(Map<String, ?> configs) {
            bad = from(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (exception instanceof BadRecordException) {
                return Response.resume(bad.deadLetter(
                        "unusable", context, context.sourceRawKey(), context.sourceRawValue(), exception));
            }
            bad.failed(context, exception);
            return Response.fail();
        }
    }
}
