package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** On {@code command-status}, key chargePointId: a step in delivering one command, written by the edge. */
public record DeliveryReport(
        String commandId,
        String chargePointId,
        String podId,
        String sessionId,
        int attempt,
        Status status,
        JsonNode payload,
        ErrorInfo error,
        String reason,
        Instant at) implements Versioned {

    public enum Status { SENT, RESPONSE, TIMEOUT, NOT_CONNECTED, CONNECTION_LOST, REJECTED }
}
