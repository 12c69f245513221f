package io.ocppgw.topics.records;

import java.time.Instant;

/**
 * On {@code cp-connections}, key chargePointId: a session began or ended on an edge pod.
 *
 * @param connectedAt when the session was established; with sessionId it orders sessions
 * @param at          when this event happened (equal to connectedAt for CONNECTED)
 * @param reason      why a session ended (DISCONNECTED only)
 * @param incarnation the incarnation of the pod process that holds the session
 */
public record ConnectionEvent(
        Type type,
        String chargePointId,
        String podId,
        int partition,
        String sessionId,
        Instant connectedAt,
        Instant at,
        String ocppVersion,
        String remoteAddress,
        String reason,
        String incarnation)
        implements Versioned {

    public enum Type {
        CONNECTED,
        DISCONNECTED
    }
}
