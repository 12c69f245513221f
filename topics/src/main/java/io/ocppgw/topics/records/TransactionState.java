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
        Instant updatedAt) implements Versioned {

    public enum Status { OPEN, STOPPED, SUSPECT }
}
