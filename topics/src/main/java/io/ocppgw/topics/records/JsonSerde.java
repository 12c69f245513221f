package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON serde for the contract's records: ISO-8601 times and durations, nulls left out, unknown
 * fields ignored. A value that cannot be read throws {@link org.apache.kafka.common.errors.SerializationException}
 * (Kafka's and Streams' handlers decide what then happens); {@code null} stays {@code null} (tombstones).
 */
public final class JsonSerde<T> extends JacksonSerde<T> {

    /** The one mapper of the wire format; thread-safe. */
    public static final ObjectMapper MAPPER = contractMapper(JsonMapper.builder());

    private final ObjectReader reader;

    private JsonSerde(Class<T> type) {
        super(type, MAPPER.writerFor(type));
        this.reader = MAPPER.readerFor(type);
    }

    /** A serde for one record type; create it once and keep it (creating binds Jackson's reader and writer). */
    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    @Override
    ObjectReader readerFor(byte[] data) {
        return reader;
    }
}
