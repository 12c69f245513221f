package io.ocppgw.topics.records;

/**
 * Why a command ended as it did, or why the edge took the step it reports: a closed set a backend can
 * branch on. Free text goes to {@code description}, never here.
 */
public enum Reason {
    /** FAILED: the charge point answered with a CALLERROR (its code is in {@code error}). */
    CALL_ERROR,
    /** TIMEOUT: sent, and the charge point did not answer within the response timeout. */
    NO_ANSWER,
    /** TIMEOUT or CONNECTION_LOST: sent, and its pod never reported what happened (the backstop ended it). */
    NO_REPORT,
    /** CONNECTION_LOST: sent, and the session ended before an answer came. */
    SESSION_ENDED,
    /** CONNECTION_LOST: sent, and the pod that sent it is gone (restarted, stopped, or silent past the backstop). */
    POD_LOST,
    /** EXPIRED: its time to live passed before it could be sent. */
    TTL,
    /** EXPIRED: FAIL_FAST, and the charge point is not connected (or its pod's lease lapsed). */
    OFFLINE,
    /** UNDELIVERABLE: every attempt found no session (the bound on attempts was reached). */
    NOT_CONNECTED,
    /** REJECTED: a field is missing or malformed (the description names it). */
    INVALID,
    /** REJECTED: the payload is larger than allowed. */
    TOO_LARGE,
    /** REJECTED: the action is not one the CSMS may send in the charge point's OCPP version. */
    UNSUPPORTED_ACTION,
    /** REJECTED: the payload (or a REPLY's answer) breaks the OCPP schema of its action. */
    SCHEMA,
    /** REJECTED: the commandId was used before for a command with other content. */
    DUPLICATE_COMMAND_ID,
    /** REJECTED: the charge point has too many open commands. */
    TOO_MANY_OPEN_COMMANDS,
    /** REJECTED: the record is on a partition its key does not hash to (its producer does not partition by murmur2). */
    WRONG_PARTITION,
    /** REJECTED: the session's outbound queue on the edge pod is full. */
    QUEUE_FULL,
    /** REJECTED: the commandId was already sent in that session, and a session never takes one twice. */
    ALREADY_SENT,
    /** REJECTED (REPLY): the session it answers is gone, or never appeared within the answer budget. */
    SESSION_GONE,
    /** REJECTED (REPLY): nothing waits for it any more (answered, or out of its answer budget). */
    STALE_REPLY,
    /** REJECTED (REPLY): its error code is not one the charge point's OCPP version defines. */
    INVALID_ERROR_CODE,
    /** NOT_CONNECTED report: the session the command was routed to is not on the pod. */
    NO_SESSION,
    /** NOT_CONNECTED report: the edge could not make the command's journal record and SENT report durable, so it never sent it. */
    WRITE_FAILED,
    /**
     * NOT_CONNECTED report: the pod's lease had lapsed (it was paused, or could not reach Kafka), so the
     * command may have been routed to another session meanwhile; it was not sent, and may go to this session again.
     */
    LEASE_LAPSED
}
