package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * On {@code reconciliation-events}, key chargePointId: something about a charge point's
 * transactions a backend must know or act on, with the evidence to act.
 */
public record ReconciliationEvent(
        String eventId,
        Type type,
        String chargePointId,
        List<String> transactionIds,
        List<TransactionState> transactions,
        Double lastMeterValue,
        Instant lastMeterAt,
        Instant lastSeenAt,
        String previousSessionId,
        String previousPodId,
        String newSessionId,
        String newPodId,
        JsonNode details,
        Instant at)
        implements Versioned {

    public enum Type {
        OPEN_TRANSACTION_AT_BOOT,
        RESOLVED_STOPPED,
        RESOLVED_RESUMED,
        UNRESOLVED_AFTER_GRACE,
        STOP_FOR_UNKNOWN_TRANSACTION,
        DUPLICATE_START,
        CONFLICTING_DUPLICATE,
        METER_GAP,
        SEQUENCE_GAP,
        /** Meter readings timestamped after a transaction's stop: kept apart from its billing fields; raised once per transaction. */
        READINGS_AFTER_STOP
    }
}
