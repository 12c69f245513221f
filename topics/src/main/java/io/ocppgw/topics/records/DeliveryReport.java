package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * On {@code command-status}, key chargePointId: a step in delivering one command, written by the edge.
 *
 * @param incarnation the reporting pod's incarnation (new on every start of its process)
 * @param kind        CALL (a command for the charge point) or REPLY (the answer to one of its CALLs); null means CALL
 * @param reason      why, for NOT_CONNECTED, TIMEOUT, CONNECTION_LOST and REJECTED; {@code description} in words
 */
public record DeliveryReport(
        String commandId,
        String chargePointId,
        String podId,
        String incarnation,
        String sessionId,
        int attempt,
        Command.Kind kind,
        Status status,
        JsonNode payload,
        ErrorInfo error,
        Reason reason,
        String description,
        Instant at)
        implements Versioned {

    /**
     * SENT: its journal record and this report are durable, and it goes on the wire next. RESPONSE: the
     * charge point's answer. TIMEOUT: no answer in time. NOT_CONNECTED: never sent (no such session here,
     * or the session ended first, or the write-ahead failed): route it again. CONNECTION_LOST: sent, then
     * the session ended. REJECTED: refused without sending (expired, queue full, schema).
     */
    public enum Status {
        SENT,
        RESPONSE,
        TIMEOUT,
        NOT_CONNECTED,
        CONNECTION_LOST,
        REJECTED
    }

    public boolean isReply() {
        return kind == Command.Kind.REPLY;
    }
}
