package io.ocppgw.topics.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde for the contract's records: ISO-8601 times and durations, nulls left out, unknown
 * fields ignored. A value that cannot be read throws {@link SerializationException} (Kafka's
 * and Streams' handlers decide what then happens); {@code null} stays {@code null} (tombstones).
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** The one mapper of the wire format; thread-safe. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(IsoInstants.module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final Class<T> type;
    // Bound once per type: MAPPER.readValue/writeValueAsBytes look the (de)serializer up on every call.
    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JsonSerde(Class<T> type) {
        this.type = type;
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
    }

    /** A serde for one record type; create it once and keep it (creating binds Jackson's reader and writer). */
    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

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
            return reader.readValue(data);
        } catch (IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the wire format is fixed
    }

    @Override
    public void close() {
        // nothing held
    }
}
