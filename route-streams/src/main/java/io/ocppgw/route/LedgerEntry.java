package io.ocppgw.route;

import io.ocppgw.topics.records.Command;
import java.time.Instant;

/**
 * One open command of a charge point.
 *
 * @param attempts how many times it was routed (the attempt number of its latest RoutedCommand)
 * @param deadline when it expires if not sent by then
 * @param sequence the command's offset on {@code commands}: a charge point's commands go out in this order
 */
public record LedgerEntry(Command command, State state, int attempts, String podId, Integer partition, String sessionId,
                          Instant requestedAt, Instant deadline, Instant routedAt, Instant sentAt, String contentHash, long sequence) {

    public enum State {
        /** Waiting for the charge point to connect (QUEUE policy). */
        PARKED,
        /** On commands-down, not yet reported SENT. */
        ROUTED,
        /** On the wire; the edge owns the outcome now. */
        SENT
    }

    LedgerEntry with(State newState) {
        return new LedgerEntry(command, newState, attempts, podId, partition, sessionId, requestedAt, deadline, routedAt, sentAt, contentHash, sequence);
    }

    LedgerEntry routed(Route route, Instant at) {
        return new LedgerEntry(command, State.ROUTED, attempts + 1, route.podId(), route.partition(), route.sessionId(), requestedAt,
                deadline, at, null, contentHash, sequence);
    }

    LedgerEntry sent(Instant at) {
        return new LedgerEntry(command, State.SENT, attempts, podId, partition, sessionId, requestedAt, deadline, routedAt, at, contentHash, sequence);
    }
}
