package io.ocppgw.topics.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * On {@code commands}, key chargePointId, written by backends. A CALL for a charge point, or the
 * REPLY to a CALL a charge point made ({@code backend} responder).
 *
 * @param commandId       the backend's idempotency key; also the OCPP message id on the wire (≤ 36 chars)
 * @param expiresAt       absolute deadline; wins over {@code ttl} when both are set
 * @param ttl             relative to {@code requestedAt} (or to when route-streams first sees the command)
 * @param responseTimeout how long the edge waits for the charge point's answer (edge default when absent)
 * @param replyTo         REPLY only: which session and which of its CALLs this answers
 * @param error           REPLY only, instead of {@code payload}: answer with a CALLERROR
 */
public record Command(
        String commandId,
        String chargePointId,
        Kind kind,
        String action,
        JsonNode payload,
        Instant requestedAt,
        Instant expiresAt,
        Duration ttl,
        OfflinePolicy offlinePolicy,
        Duration responseTimeout,
        ReplyTo replyTo,
        ErrorInfo error)
        implements Versioned {

    public enum Kind {
        CALL,
        REPLY
    }

    public enum OfflinePolicy {
        QUEUE,
        FAIL_FAST
    }

    public record ReplyTo(String sessionId, String messageId) {}
}
