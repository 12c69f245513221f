package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * On {@code ocpp-journal}, key chargePointId: one frame on the wire, either way. For CALLRESULT and
 * CALLERROR, {@code action} is the action they answer. {@link JournalHeaders} repeats action,
 * messageType and direction as headers.
 *
 * <p>A command's TO_CP CALL is journaled before it goes on the wire (write-ahead). If it then does not
 * reach the wire (its session ended first, or the write-ahead failed), a TO_CP entry of type
 * {@link #NOT_SENT} with the same messageId follows: the command was never sent in that session.
 */
public record JournalEntry(
        String chargePointId,
        String podId,
        String sessionId,
        String ocppVersion,
        Direction direction,
        String messageType,
        String messageId,
        String action,
        JsonNode payload,
        ErrorInfo error,
        Instant at)
        implements Versioned {

    /** The message type of the entry that withdraws a written-ahead TO_CP CALL that never reached the wire. */
    public static final String NOT_SENT = "NOT_SENT";

    /** The same frame with another payload (e.g. its secrets hidden). */
    public JournalEntry withPayload(JsonNode other) {
        return new JournalEntry(
                chargePointId,
                podId,
                sessionId,
                ocppVersion,
                direction,
                messageType,
                messageId,
                action,
                other,
                error,
                at);
    }
}
