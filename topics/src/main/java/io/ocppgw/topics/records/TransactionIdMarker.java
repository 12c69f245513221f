package io.ocppgw.topics.records;

import java.time.Instant;

/**
 * On {@code transaction-ids} (one partition): appended by the edge's {@code sequence} responder; the
 * offset it lands at is the 1.6 transactionId handed to the charge point.
 */
public record TransactionIdMarker(String chargePointId, String podId, String sessionId, String messageId, Instant at)
        implements Versioned {}
