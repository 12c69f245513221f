package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;

/**
 * The encoding of the streams apps' state-store values (their changelogs are internal topics, never
 * read by anyone else): Jackson's Smile, binary JSON, with the data model of {@link JsonSerde}. It
 * writes Smile and reads Smile or JSON, so stores written as JSON by an earlier version still read.
 * Public records stay JSON ({@link JsonSerde}).
 */
public final class StoreSerde<T> extends JacksonSerde<T> {

    private static final ObjectMapper SMILE = contractMapper(SmileMapper.builder());
    /** Every Smile document starts with ":)\n" (its header is on by default). */
    private static final byte SMILE_FIRST = ':';

    private final ObjectReader smileReader;
    private final ObjectReader jsonReader;

    private StoreSerde(Class<T> type) {
        super(type, SMILE.writerFor(type));
        this.smileReader = SMILE.readerFor(type);
        this.jsonReader = JsonSerde.MAPPER.readerFor(type);
    }

    /** Create once per type and keep it (creating binds Jackson's readers and writer). */
    public static <T> StoreSerde<T> of(Class<T> type) {
        return new StoreSerde<>(type);
    }

    @Override
    ObjectReader readerFor(byte[] data) {
        return data.length > 0 && data[0] == SMILE_FIRST ? smileReader : jsonReader;
    }
}
