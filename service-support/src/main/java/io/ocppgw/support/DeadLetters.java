package io.ocppgw.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The shape of a record on {@code dead-letters}: the unreadable record's key and value as they were
 * read (raw bytes), its own headers, and headers saying where it came from and why, named as Kafka
 * Streams names them for its dead-letter queue, so one tool reads the dead letters of every app.
 */
public final class DeadLetters {

    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String STACKTRACE = "__streams.errors.stacktrace";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    private DeadLetters() {}

    /** The dead letter of the record at {@code topic}/{@code partition}/{@code offset}. */
    public static ProducerRecord<byte[], byte[]> of(
            String deadLetterTopic,
            String topic,
            int partition,
            long offset,
            long timestamp,
            byte[] key,
            byte[] value,
            Headers headers,
            Exception problem) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null, timestamp, key, value);
        if (headers != null) {
            for (Header h : headers) {
                record.headers().add(h);
            }
        }
        StringWriter trace = new StringWriter();
        problem.printStackTrace(new PrintWriter(trace));
        record.headers()
                .add(EXCEPTION, utf8(problem.getClass().getName()))
                .add(MESSAGE, utf8(String.valueOf(problem.getMessage())))
                .add(STACKTRACE, utf8(trace.toString()))
                .add(TOPIC, utf8(topic))
                .add(PARTITION, utf8(String.valueOf(partition)))
                .add(OFFSET, utf8(String.valueOf(offset)));
        return record;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
