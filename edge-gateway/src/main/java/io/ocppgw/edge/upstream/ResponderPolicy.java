package io.ocppgw.edge.upstream;

/** Who answers a CALL from a charge point. */
public enum ResponderPolicy {
    /** The gateway answers from configuration once the CALL is journaled. */
    ACK,
    /** A backend answers with a REPLY command; the gateway waits within the budget. */
    BACKEND,
    /** 1.6 StartTransaction only: transactionId = offset of a record appended to {@code transaction-ids}. */
    SEQUENCE
}
