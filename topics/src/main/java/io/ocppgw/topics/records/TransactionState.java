package io.ocppgw.topics.records;

import java.time.Instant;
import java.util.List;

/**
 * On {@code transactions} (compacted), key {@link TransactionKey}: the latest known state of one
 * transaction, as reconstructed from the journal.
 *
 * @param connectorId 1.6 connector, or 2.x EVSE id
 * @param idTag       1.6 idTag, or 2.x idToken
 * @param transactionId the CSMS-given id; {@code unanswered-<messageId>} for a 1.6 start that never got one
 * @param energyWh    energy delivered so far (last or stop meter value minus the start value), Wh
 * @param lastSeqNo   2.x: the highest TransactionEvent seqNo seen
 * @param sessions    every session the transaction was seen on, oldest first (pods likewise)
 * @param stopReason  why it stopped: 1.6 {@code reason}, 2.x {@code stoppedReason}; {@code Local} when the stop named none (the specs' default)
 * @param stopTrigger 2.x: the {@code triggerReason} of the Ended event; null for 1.6
 * @param readingsAfterStop meter readings timestamped after {@code stoppedAt}, kept apart: they change none of the fields above
 * @param lastReadingAfterStopWh the energy register of the newest of them, Wh
 * @param lastReadingAfterStopAt the time of the newest of them
 */
public record TransactionState(
        String chargePointId,
        String transactionId,
        String ocppVersion,
        Integer connectorId,
        String idTag,
        Status status,
        Instant startedAt,
        Double meterStart,
        Instant lastMeterAt,
        Double lastMeterValue,
        long meterSamples,
        Instant stoppedAt,
        Double meterStop,
        Double energyWh,
        Integer lastSeqNo,
        List<String> sessions,
        List<String> pods,
        Instant updatedAt,
        String stopReason,
        String stopTrigger,
        long readingsAfterStop,
        Double lastReadingAfterStopWh,
        Instant lastReadingAfterStopAt)
        implements Versioned {

    public enum Status {
        OPEN,
        STOPPED,
        SUSPECT
    }
}
