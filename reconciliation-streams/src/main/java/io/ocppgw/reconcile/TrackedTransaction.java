package io.ocppgw.reconcile;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.ocppgw.topics.records.TransactionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One transaction inside a {@link ChargePointBook}: the published {@link TransactionState} fields plus
 * what deduplication and gap detection need. Mutable for the same reason as the book.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class TrackedTransaction {

    static final String UNANSWERED_PREFIX = "unanswered-";
    static final int RECENT_SAMPLES = 64;
    static final int RECENT_SEQ_HASHES = 32;

    String transactionId;
    String ocppVersion;
    Integer connectorId;
    String idTag;
    TransactionState.Status status;
    Instant startedAt;
    Double meterStart;
    Instant lastMeterAt;
    Double lastMeterValue;
    long meterSamples;
    Instant stoppedAt;
    Double meterStop;
    Integer lastSeqNo;
    List<String> sessions = new ArrayList<>();
    List<String> pods = new ArrayList<>();
    Instant updatedAt;
    String stopReason;
    String stopTrigger;
    long readingsAfterStop;
    Double lastReadingAfterStopWh;
    Instant lastReadingAfterStopAt;

    /** 1.6: the natural key of its start, and the message ids that carried it. */
    String startKey;

    List<String> startMessageIds = new ArrayList<>();
    /** 1.6 stop content (meterStop|timestamp) once stopped: a retry with the same is a duplicate. */
    String stopContent;
    /** Meter deduplication: timestamps of the latest samples. */
    List<Instant> recentSamples = new ArrayList<>();
    /** The sampling interval expected between readings, ms: the most common of {@link #intervalCounts}. */
    Long intervalMillis;
    /** Intervals between consecutive readings, whole seconds → how often ({@link SamplingIntervals}). */
    Map<Long, Integer> intervalCounts = new TreeMap<>();
    /** Wall-clock time the newest sample was processed. */
    Instant lastSampleProcessedAt;
    /** The lastMeterAt a METER_GAP was raised for: one event per gap. */
    Instant meterGapReportedFor;
    /** 2.x seqNos seen, as [from, to] ranges. */
    SeqRanges seqNos = new SeqRanges();
    /** 2.x content hash of the latest seqNos, to tell a retry from a conflicting duplicate. */
    Map<Integer, Integer> recentSeqHashes = new TreeMap<>();
    /** Wall-clock time a seqNo hole is reported if still open. */
    Instant seqGapDeadline;

    List<Integer> reportedHoles = new ArrayList<>();
    /** Conflicting duplicates already reported, so a third copy is not reported twice. */
    List<String> conflictsSeen = new ArrayList<>();

    /** A transaction just begun: OPEN, with what its start said (any of it may be unknown yet: null). */
    static TrackedTransaction opened(
            String transactionId,
            String ocppVersion,
            Integer connectorId,
            String idTag,
            Instant startedAt,
            Double meterStart,
            String startKey) {
        TrackedTransaction tx = new TrackedTransaction();
        tx.transactionId = transactionId;
        tx.ocppVersion = ocppVersion;
        tx.connectorId = connectorId;
        tx.idTag = idTag;
        tx.status = TransactionState.Status.OPEN;
        tx.startedAt = startedAt;
        tx.meterStart = meterStart;
        tx.startKey = startKey;
        return tx;
    }

    boolean isOpen() {
        return status == TransactionState.Status.OPEN || status == TransactionState.Status.SUSPECT;
    }

    boolean isUnanswered() {
        return transactionId.startsWith(UNANSWERED_PREFIX);
    }

    void seenOn(String sessionId, String podId) {
        if (sessionId != null && !sessions.contains(sessionId)) {
            sessions.add(sessionId);
            ChargePointBook.bound(sessions, ChargePointBook.MAX_REMEMBERED);
        }
        if (podId != null && !pods.contains(podId)) {
            pods.add(podId);
            ChargePointBook.bound(pods, ChargePointBook.MAX_REMEMBERED);
        }
    }

    Double energyWh() {
        Double end = meterStop != null ? meterStop : lastMeterValue;
        return end == null || meterStart == null ? null : end - meterStart;
    }

    TransactionState toState(String chargePointId) {
        return new TransactionState(
                chargePointId,
                transactionId,
                ocppVersion,
                connectorId,
                idTag,
                status,
                startedAt,
                meterStart,
                lastMeterAt,
                lastMeterValue,
                meterSamples,
                stoppedAt,
                meterStop,
                energyWh(),
                lastSeqNo,
                List.copyOf(sessions),
                List.copyOf(pods),
                updatedAt,
                stopReason,
                stopTrigger,
                readingsAfterStop,
                lastReadingAfterStopWh,
                lastReadingAfterStopAt);
    }
}
