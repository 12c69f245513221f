package io.ocppgw.topics.records;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A state-store value in a fixed binary layout: one format byte, then the value's fields in the order
 * its subclass writes them. For the values a streams app reads and writes on every record: binding
 * them with Jackson (even as Smile) was most of route-streams' processing time. Values an earlier
 * version wrote with {@link StoreSerde} (Smile or JSON, recognised by their first byte) are handed to
 * {@link #readEarlier}, so a changelog written before still restores.
 *
 * <p>Fields: a string is its UTF-8 length ({@code -1} for null) and bytes; an instant or a duration a
 * presence byte, seconds and nanoseconds; an enum its name.
 */
public abstract class BinaryStoreSerde<T> extends SelfSerde<T> {

    /** Neither ':' (Smile's header) nor anything a JSON document starts with. */
    static final byte FORMAT = (byte) 0xB1;

    private final Class<T> type;

    protected BinaryStoreSerde(Class<T> type) {
        this.type = type;
    }

    /** Writes the fields of {@code value}, in the order {@link #read} takes them. */
    protected abstract void write(T value, Writer out) throws IOException;

    protected abstract T read(Reader in);

    /** A value an earlier version wrote as Smile or JSON ({@link StoreSerde}); by default refused. */
    protected T readEarlier(byte[] data) {
        throw new SerializationException("a " + type.getSimpleName() + " in an encoding this version does not read");
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        Writer out = new Writer();
        try {
            out.data.writeByte(FORMAT);
            write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream never throws
        }
        return out.bytes.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0 || data[0] != FORMAT) {
            return readEarlier(data);
        }
        try {
            return read(new Reader(ByteBuffer.wrap(data, 1, data.length - 1)));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic + ": " + e, e);
        }
    }

    /** Writes fields; every method returns this writer. */
    public static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream data = new DataOutputStream(bytes);

        public Writer string(String s) throws IOException {
            return bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        public Writer bytes(byte[] b) throws IOException {
            if (b == null) {
                data.writeInt(-1);
            } else {
                data.writeInt(b.length);
                data.write(b);
            }
            return this;
        }

        public Writer integer(int i) throws IOException {
            data.writeInt(i);
            return this;
        }

        public Writer integer(Integer i) throws IOException {
            data.writeBoolean(i != null);
            if (i != null) {
                data.writeInt(i);
            }
            return this;
        }

        public Writer longValue(long l) throws IOException {
            data.writeLong(l);
            return this;
        }

        public Writer instant(Instant t) throws IOException {
            data.writeBoolean(t != null);
            if (t != null) {
                data.writeLong(t.getEpochSecond());
                data.writeInt(t.getNano());
            }
            return this;
        }

        public Writer duration(Duration d) throws IOException {
            data.writeBoolean(d != null);
            if (d != null) {
                data.writeLong(d.getSeconds());
                data.writeInt(d.getNano());
            }
            return this;
        }

        public Writer name(Enum<?> e) throws IOException {
            return string(e == null ? null : e.name());
        }
    }

    /** Reads fields in the order they were written; a value cut short throws. */
    public static final class Reader {
        private final ByteBuffer buffer;

        Reader(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        public String string() {
            int n = buffer.getInt();
            if (n < 0) {
                return null;
            }
            String s = new String(
                    buffer.array(), buffer.arrayOffset() + buffer.position(), checked(n), StandardCharsets.UTF_8);
            buffer.position(buffer.position() + n);
            return s;
        }

        public byte[] bytes() {
            int n = buffer.getInt();
            if (n < 0) {
                return null;
            }
            byte[] b = new byte[checked(n)];
            buffer.get(b);
            return b;
        }

        public int integer() {
            return buffer.getInt();
        }

        public Integer nullableInteger() {
            return buffer.get() != 0 ? buffer.getInt() : null;
        }

        public long longValue() {
            return buffer.getLong();
        }

        public Instant instant() {
            return buffer.get() != 0 ? Instant.ofEpochSecond(buffer.getLong(), buffer.getInt()) : null;
        }

        public Duration duration() {
            return buffer.get() != 0 ? Duration.ofSeconds(buffer.getLong(), buffer.getInt()) : null;
        }

        /** An enum by its name: an unknown name throws (a value written by a newer version). */
        public <E extends Enum<E>> E name(Class<E> type) {
            String name = string();
            return name == null ? null : Enum.valueOf(type, name);
        }

        private int checked(int n) {
            if (n > buffer.remaining()) {
                throw new BufferUnderflowException();
            }
            return n;
        }
    }
}
