package io.ocppgw.topics.records;

import java.time.Duration;
import java.time.Instant;

/**
 * On {@code commands-down}, key chargePointId, on the partition of the pod named: either a command
 * for a session there, or a control record ({@code SUPERSEDED}: close the named older session,
 * its identity reconnected to another pod).
 *
 * @param incarnation     the incarnation of the pod process the route was made for
 * @param deadline        CALL: not sent after this instant (route-streams decided it from the command's TTL)
 * @param responseTimeout CALL: how long to wait for the charge point's answer once sent
 * @param checkedFor      CALL: the OCPP version whose action and schema route-streams checked the command
 *                        against (the edge checks it again only for a session of another version)
 * @param leaseRenewedAt  CALL: the {@code renewedAt} of the pod's lease route-streams routed by (null: it had none);
 *                        a pod whose lease lapsed since does not send it (it may have gone to another session)
 */
public record RoutedCommand(
        Type type,
        String chargePointId,
        String podId,
        int partition,
        String sessionId,
        int attempt,
        Instant routedAt,
        Command command,
        String incarnation,
        Instant deadline,
        Duration responseTimeout,
        String checkedFor,
        Instant leaseRenewedAt)
        implements Versioned {

    public enum Type {
        COMMAND,
        SUPERSEDED
    }
}
