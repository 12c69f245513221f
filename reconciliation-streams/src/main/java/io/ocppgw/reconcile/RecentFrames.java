package io.ocppgw.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.PayloadRedaction;
import java.nio.charset.StandardCharsets;

/**
 * The rules of the last-frames store (support's "what did CP-123 say, and what did we answer?"): a
 * charge point's frames go into {@code keep} slots in turn, each numbered, so the store stays bounded by
 * charge points × {@code keep} (its changelog too, compacted on the same keys). A frame is kept with its
 * secrets hidden and a payload over {@value #MAX_PAYLOAD_BYTES} bytes replaced by its size. Pure.
 */
final class RecentFrames {

    static final int MAX_PAYLOAD_BYTES = 4096;

    /** One kept frame: its number among the charge point's frames, and the frame. */
    record Frame(long seq, JournalEntry entry) {}

    private final int keep;
    private final PayloadRedaction redaction;

    RecentFrames(int keep, PayloadRedaction redaction) {
        this.keep = keep;
        this.redaction = redaction;
    }

    boolean enabled() {
        return keep > 0;
    }

    /** The store key of frame {@code seq} of a charge point. */
    String key(String chargePointId, long seq) {
        return chargePointId + '\u0000' + String.format("%04d", seq % keep);
    }

    /** The store keys of one charge point lie in [{@code from}, {@code to}). */
    static String from(String chargePointId) {
        return chargePointId + '\u0000';
    }

    static String to(String chargePointId) {
        return chargePointId + '\u0001';
    }

    /** What is kept of a frame: secrets hidden, an oversized payload replaced by a note of its size. */
    Frame keep(long seq, JournalEntry e) {
        JsonNode payload = redaction.apply(e.payload());
        if (payload != null) {
            int bytes = payload.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_PAYLOAD_BYTES) {
                payload = JsonNodeFactory.instance.objectNode().put("omittedPayloadBytes", bytes);
            }
        }
        return new Frame(seq, e.withPayload(payload));
    }
}
