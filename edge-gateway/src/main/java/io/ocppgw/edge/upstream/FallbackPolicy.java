package io.ocppgw.edge.upstream;

/** What happens when a {@code backend} CALL gets no reply within the budget. */
public enum FallbackPolicy {
    /** Close the socket without answering: the charge point queues and retries (transactions, Authorize). */
    CLOSE,
    /** Answer from configuration (DataTransfer: {@code UnknownVendorId}; others: the ack answer). */
    ANSWER
}
