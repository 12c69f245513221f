package io.ocppgw.topics.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A Kafka serde over a Jackson reader and writer bound once for one type (looking them up on every
 * call costs). A value that cannot be read throws {@link SerializationException} (Kafka's and Streams'
 * handlers decide what then happens); {@code null} stays {@code null} (tombstones).
 */
abstract class JacksonSerde<T> extends SelfSerde<T> {

    private final Class<T> type;
    private final ObjectWriter writer;

    JacksonSerde(Class<T> type, ObjectWriter writer) {
        this.type = type;
        this.writer = writer;
    }

    /**
     * The data model of the contract, whatever the encoding: ISO-8601 times and durations, nulls left
     * out, unknown fields ignored.
     */
    static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M contractMapper(B builder) {
        return builder.addModule(new JavaTimeModule())
                .addModule(IsoInstants.module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    /** The reader for these bytes. */
    abstract ObjectReader readerFor(byte[] data);

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " for " + topic, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return readerFor(data).readValue(data);
        } catch (IOException e) {
            throw new SerializationException(
                    "cannot read " + type.getSimpleName() + " from " + topic + ": " + e.getMessage(), e);
        }
    }
}
