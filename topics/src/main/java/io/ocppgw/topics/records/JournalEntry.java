package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * On {@code ocpp-journal}, key chargePointId: one frame on the wire, either way. For CALLRESULT and
 * CALLERROR, {@code action} is the action they answer. {@link JournalHeaders} repeats action,
 * messageType and direction as headers.
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
        Instant at) implements Versioned {
}
