package io.ocppgw.route;

import java.time.Duration;
import java.time.Instant;

/**
 * One open command of a charge point (store {@value StoreNames#LEDGER}, key {@code chargePointId:commandId}):
 * everything route-streams needs to finish it, in one entry. Its deadlines are derived from it
 * ({@link CommandRules#dueAt}), not stored apart.
 *
 * @param command         the command, as the backend wrote it
 * @param attempts        how many times it was routed (the attempt number of its latest RoutedCommand)
 * @param podId           the pod of the latest attempt (null before the first)
 * @param incarnation     that pod's incarnation when it was routed
 * @param sessionId       the session of the latest attempt: a command is never routed to it again
 * @param deadline        not sent after this instant (its TTL); for a REPLY, how long it waits for its session
 * @param responseTimeout how long the charge point has to answer once it is sent
 * @param sequence        the command's offset on {@code commands}: a charge point's commands go out in this order
 * @param sessionEndedAt  SENT: when its session's DISCONNECTED was read (its pod's own report of how it ended is due; if none
 *                        comes by the backstop, it ends CONNECTION_LOST / SESSION_ENDED)
 */
public record LedgerEntry(
        StoredCommand command,
        State state,
        int attempts,
        String podId,
        String incarnation,
        Integer partition,
        String sessionId,
        Instant requestedAt,
        Instant deadline,
        Duration responseTimeout,
        Instant routedAt,
        Instant sentAt,
        String contentHash,
        long sequence,
        Instant sessionEndedAt) {

    public enum State {
        /** Waiting for the charge point to connect, or for its pod's lease to be renewed (QUEUE policy). */
        PARKED,
        /** On commands-down for the session named; its pod has not reported SENT yet. */
        ROUTED,
        /** Its pod reported it durable and on its way to the wire; the pod owns the outcome now. */
        SENT,
        /** A REPLY whose session route-streams does not know yet (its CONNECTED may still be on the way). */
        WAITING_SESSION
    }

    String chargePointId() {
        return command.chargePointId();
    }

    String commandId() {
        return command.commandId();
    }

    LedgerEntry parked() {
        return new LedgerEntry(
                command,
                State.PARKED,
                attempts,
                podId,
                incarnation,
                partition,
                sessionId,
                requestedAt,
                deadline,
                responseTimeout,
                routedAt,
                null,
                contentHash,
                sequence,
                null);
    }

    LedgerEntry routed(Route route, Instant at) {
        return new LedgerEntry(
                command,
                State.ROUTED,
                attempts + 1,
                route.podId(),
                route.incarnation(),
                route.partition(),
                route.sessionId(),
                requestedAt,
                deadline,
                responseTimeout,
                at,
                null,
                contentHash,
                sequence,
                null);
    }

    /** SENT by the session the pod names (the session of the attempt, or the session that already had the command). */
    LedgerEntry sent(String reportedSession, Instant at) {
        return new LedgerEntry(
                command,
                State.SENT,
                attempts,
                podId,
                incarnation,
                partition,
                reportedSession != null ? reportedSession : sessionId,
                requestedAt,
                deadline,
                responseTimeout,
                routedAt,
                at,
                contentHash,
                sequence,
                null);
    }

    /** The pod of its latest attempt refused it unsent: no session has it, so any may take it. */
    LedgerEntry neverTaken() {
        return new LedgerEntry(
                command,
                state,
                attempts,
                podId,
                incarnation,
                partition,
                null,
                requestedAt,
                deadline,
                responseTimeout,
                routedAt,
                sentAt,
                contentHash,
                sequence,
                sessionEndedAt);
    }

    /** Its session ended while it was SENT: the pod's report of how is due. */
    LedgerEntry sessionEnded(Instant at) {
        return new LedgerEntry(
                command,
                state,
                attempts,
                podId,
                incarnation,
                partition,
                sessionId,
                requestedAt,
                deadline,
                responseTimeout,
                routedAt,
                sentAt,
                contentHash,
                sequence,
                at);
    }
}
