package io.ocppgw.topics.records;

import java.time.Instant;

/**
 * On {@code commands-down}, key chargePointId, on the partition of the pod named: either a command
 * for a session there, or a control record ({@code SUPERSEDED}: close the named older session,
 * its identity reconnected to another pod).
 */
public record RoutedCommand(
        Type type,
        String chargePointId,
        String podId,
        int partition,
        String sessionId,
        int attempt,
        Instant routedAt,
        Command command) implements Versioned {

    public enum Type { COMMAND, SUPERSEDED }
}
