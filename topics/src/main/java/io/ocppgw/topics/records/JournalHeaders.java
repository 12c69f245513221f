package io.ocppgw.topics.records;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The headers a journal record carries so consumers can filter without parsing the value. */
public final class JournalHeaders {

    public static final String ACTION = "action";
    public static final String MESSAGE_TYPE = "messageType";
    public static final String DIRECTION = "direction";

    private JournalHeaders() {}

    public static void write(JournalEntry entry, Headers headers) {
        if (entry.action() != null) {
            headers.add(ACTION, entry.action().getBytes(StandardCharsets.UTF_8));
        }
        headers.add(MESSAGE_TYPE, entry.messageType().getBytes(StandardCharsets.UTF_8));
        headers.add(DIRECTION, entry.direction().name().getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<String> read(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null
                ? Optional.empty()
                : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
