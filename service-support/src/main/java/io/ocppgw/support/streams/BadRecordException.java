package io.ocppgw.support.streams;

/**
 * Thrown by a processor for a record it cannot use (a required field missing, a key that does not fit
 * its value): {@link BadRecords} counts it, logs where it was, writes it raw to {@code dead-letters}
 * and lets the partition go on. Any other exception is a fault of the app, not of the record.
 */
public final class BadRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRecordException(String what) {
        super(what);
    }
}
