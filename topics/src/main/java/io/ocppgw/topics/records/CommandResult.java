package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * On {@code command-results}, key chargePointId: the one terminal outcome of a command, written
 * only by route-streams. {@code reason} says why (a closed set); {@code description} says it in words.
 * {@code duplicate} marks the REJECTED answer to a reused commandId with different content (the
 * original command still gets its own result).
 */
public record CommandResult(
        String commandId,
        String chargePointId,
        Status status,
        Reason reason,
        String description,
        JsonNode payload,
        ErrorInfo error,
        int attempts,
        String podId,
        String sessionId,
        Instant requestedAt,
        Instant routedAt,
        Instant sentAt,
        Instant completedAt,
        boolean duplicate)
        implements Versioned {

    public enum Status {
        COMPLETED,
        FAILED,
        TIMEOUT,
        CONNECTION_LOST,
        EXPIRED,
        REJECTED,
        UNDELIVERABLE
    }
}
