package io.ocppgw.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.reconcile.TransactionMessage.Boot;
import io.ocppgw.reconcile.TransactionMessage.Meter16;
import io.ocppgw.reconcile.TransactionMessage.Sample;
import io.ocppgw.reconcile.TransactionMessage.Start16;
import io.ocppgw.reconcile.TransactionMessage.StartAnswer;
import io.ocppgw.reconcile.TransactionMessage.Stop16;
import io.ocppgw.reconcile.TransactionMessage.TxEvent;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.ReconciliationEvent.Type;
import io.ocppgw.topics.records.TransactionState.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The transaction rules (and the behaviour vectors X1–X19) as pure functions: a journal entry (or the
 * wall clock reaching a timer) and a charge point's book in, the changed book, the transactions to
 * publish and the reconciliation events out. No Kafka here.
 *
 * <p>Duplicates are recognised by natural keys, never by message id. Event ids are derived from what
 * caused them, so the same input always yields the same event id.
 */
final class TransactionRules {

    private static final int MAX_OPEN = 64;
    private static final int MAX_HOLES = 100;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ReconcileSettings settings;

    private final BootChecks bootChecks;

    TransactionRules(ReconcileSettings settings) {
        this.settings = settings;
        this.bootChecks = new BootChecks(settings.grace());
    }

    /**
     * Applies one journal entry of the book's charge point (its transaction message, if any, already
     * read from it), processed at wall-clock {@code now}.
     */
    Outcome apply(ChargePointBook current, JournalEntry e, Optional<TransactionMessage> message, Instant now) {
        ChargePointBook book = current != null ? current : ChargePointBook.empty(e.chargePointId());
        Outcome out = new Outcome(book, e.at());
        String trigger = e.sessionId() + "/" + e.messageId();
        // A start left unanswered by a session that has ended will not be answered any more.
        if (book.lastSessionId != null && !book.lastSessionId.equals(e.sessionId())) {
            Starts16.giveUp(out, start -> !start.sessionId.equals(e.sessionId()));
        }
        if (message.isPresent()) {
            TransactionMessage m = message.get();
            if (m instanceof Boot) {
                bootChecks.boot(out, e, now);
            } else if (m instanceof Start16) {
                Starts16.start((Start16) m, out, e);
            } else if (m instanceof StartAnswer) {
                Starts16.answered(((StartAnswer) m).transactionId(), out, e, trigger);
            } else if (m instanceof Stop16) {
                stop((Stop16) m, out, e, trigger, now);
            } else if (m instanceof Meter16) {
                meterValues((Meter16) m, out, e, trigger, now);
            } else if (m instanceof TxEvent) {
                transactionEvent((TxEvent) m, out, e, trigger, now);
            }
        }
        book.lastSessionId = e.sessionId();
        book.lastPodId = e.podId();
        book.lastSeenAt = e.at();
        book.ocppVersion = e.ocppVersion();
        prune(out);
        return out;
    }

    /** Runs the timers of a book that are due at wall-clock {@code now}. */
    Outcome onTime(ChargePointBook book, Instant now) {
        Outcome out = new Outcome(book, now);
        bootChecks.expire(out, now);
        for (TrackedTransaction tx : book.transactions) {
            if (tx.seqGapDeadline != null && !tx.seqGapDeadline.isAfter(now)) {
                tx.seqGapDeadline = null;
                List<Integer> holes = unreportedHoles(tx);
                if (!holes.isEmpty()) {
                    tx.reportedHoles.addAll(holes);
                    ChargePointBook.bound(tx.reportedHoles, MAX_HOLES);
                    ObjectNode details = JSON.objectNode().put("highestSeqNo", tx.seqNos.highest());
                    holes.forEach(details.putArray("missingSeqNos")::add);
                    out.events.add(out.event(Type.SEQUENCE_GAP, List.of(tx), "seq/" + holes, null, details));
                }
            }
            Instant meterGapDue = meterGapDue(tx);
            if (meterGapDue != null && !meterGapDue.isAfter(now)) {
                meterGap(out, tx, null);
            }
        }
        return out;
    }

    /** The earliest wall-clock time a timer of this book is due, if any. */
    Optional<Instant> nextDeadline(ChargePointBook book) {
        List<Instant> due = new ArrayList<>();
        book.bootChecks.forEach(c -> due.add(c.deadline));
        for (TrackedTransaction tx : book.transactions) {
            if (tx.seqGapDeadline != null) {
                due.add(tx.seqGapDeadline);
            }
            Instant meter = meterGapDue(tx);
            if (meter != null) {
                due.add(meter);
            }
        }
        return due.stream().min(Comparator.naturalOrder());
    }

    // --- 1.6 StopTransaction ---

    private void stop(Stop16 s, Outcome out, JournalEntry e, String trigger, Instant now) {
        ChargePointBook book = out.book;
        Optional<TrackedTransaction> found;
        if (s.transactionId().equals("-1")) {
            // X9: the charge point never got an id. Close its one open start without one, if exactly one.
            Optional<TrackedTransaction> retried = book.transactions.stream()
                    .filter(t -> t.isUnanswered() && s.naturalContent().equals(t.stopContent))
                    .findFirst();
            if (retried.isPresent()) {
                out.duplicates.add("stop");
                return;
            }
            Starts16.giveUp(out, start -> true);
            List<TrackedTransaction> candidates = book.transactions.stream()
                    .filter(t -> t.isUnanswered() && t.isOpen())
                    .toList();
            found = candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
        } else {
            found = book.find(s.transactionId());
        }
        if (found.isEmpty()) {
            if (!isNewUnknownStop(book, s.transactionId() + "|" + s.naturalContent())) {
                out.duplicates.add("stop");
                return;
            }
            ObjectNode details = JSON.objectNode()
                    .put("transactionId", s.transactionId())
                    .put("meterStop", s.meterStop())
                    .put("timestamp", s.timestamp().toString())
                    .put("reason", s.reason())
                    .put("messageId", e.messageId());
            if (s.transactionId().equals("-1")) {
                details.put(
                        "openTransactionsWithoutId",
                        book.transactions.stream()
                                .filter(t -> t.isUnanswered() && t.isOpen())
                                .count());
            }
            out.events.add(unknownStop(book, s.transactionId(), trigger, e, details));
            return;
        }
        TrackedTransaction tx = found.get();
        if (tx.stopContent != null) {
            if (tx.stopContent.equals(s.naturalContent())) {
                out.duplicates.add("stop");
            } else {
                out.conflict(
                        tx,
                        "stopped again with other values: meterStop " + s.meterStop() + " at " + s.timestamp(),
                        trigger);
            }
            return;
        }
        tx.stopContent = s.naturalContent();
        tx.status = Status.STOPPED;
        tx.stoppedAt = s.timestamp();
        tx.meterStop = s.meterStop();
        tx.stopReason = s.reason() == null ? DEFAULT_STOP_REASON : s.reason();
        tx.seenOn(e.sessionId(), e.podId());
        tx.updatedAt = e.at();
        out.touched(tx);
        BootChecks.resolve(out, tx, Type.RESOLVED_STOPPED, check -> true, trigger);
    }

    /** Remembers a stop for an unknown transaction; false when it was reported already (a retry). */
    private static boolean isNewUnknownStop(ChargePointBook book, String naturalKey) {
        if (book.unknownStops.contains(naturalKey)) {
            return false;
        }
        book.unknownStops.add(naturalKey);
        ChargePointBook.bound(book.unknownStops, ChargePointBook.MAX_REMEMBERED);
        return true;
    }

    private ReconciliationEvent unknownStop(
            ChargePointBook book, String transactionId, String trigger, JournalEntry e, ObjectNode details) {
        return new ReconciliationEvent(
                Outcome.eventId(book.chargePointId, Type.STOP_FOR_UNKNOWN_TRANSACTION, List.of(transactionId), trigger),
                Type.STOP_FOR_UNKNOWN_TRANSACTION,
                book.chargePointId,
                List.of(transactionId),
                List.of(),
                null,
                null,
                book.lastSeenAt,
                book.lastSessionId,
                book.lastPodId,
                e.sessionId(),
                e.podId(),
                details,
                e.at());
    }

    /** The stop reason both specs imply when a stop names none. */
    static final String DEFAULT_STOP_REASON = "Local";

    // --- 1.6 MeterValues ---

    private void meterValues(Meter16 m, Outcome out, JournalEntry e, String trigger, Instant now) {
        Optional<TrackedTransaction> found = out.book.find(m.transactionId());
        if (found.isEmpty()) {
            return; // readings of a transaction this journal never saw start; nothing to reconcile them with
        }
        TrackedTransaction tx = found.get();
        List<Sample> fresh = m.samples().stream()
                .filter(s -> !tx.recentSamples.contains(s.timestamp()))
                .toList();
        if (fresh.isEmpty()) {
            out.duplicates.add("meter");
            return;
        }
        addSamples(out, tx, fresh, now);
        tx.seenOn(e.sessionId(), e.podId());
        tx.updatedAt = e.at();
        out.touched(tx);
        Instant newest = fresh.stream()
                .map(Sample::timestamp)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        BootChecks.resolve(out, tx, Type.RESOLVED_RESUMED, BootChecks.takenAfterBoot(newest), trigger);
    }

    private void addSamples(Outcome out, TrackedTransaction tx, List<Sample> samples, Instant now) {
        for (Sample s :
                samples.stream().sorted(Comparator.comparing(Sample::timestamp)).toList()) {
            tx.recentSamples.add(s.timestamp());
            ChargePointBook.bound(tx.recentSamples, TrackedTransaction.RECENT_SAMPLES);
            if (tx.status == Status.STOPPED
                    && tx.stoppedAt != null
                    && s.timestamp().isAfter(tx.stoppedAt)) {
                readingAfterStop(out, tx, s);
                continue;
            }
            tx.meterSamples++;
            if (tx.lastMeterAt != null && !s.timestamp().isAfter(tx.lastMeterAt)) {
                continue; // a late, older reading: counted, but not the latest
            }
            if (tx.lastMeterAt != null) {
                long interval = Duration.between(tx.lastMeterAt, s.timestamp()).toMillis();
                if (tx.intervalCounts.isEmpty() && tx.intervalMillis != null) {
                    SamplingIntervals.observe(
                            tx.intervalCounts, tx.intervalMillis); // a state kept before the counts existed
                }
                Long expected = SamplingIntervals.expectedMillis(tx.intervalCounts);
                if (expected != null && interval > settings.meterGapFactor() * expected) {
                    meterGap(out, tx, s.timestamp());
                } else {
                    SamplingIntervals.observe(tx.intervalCounts, interval);
                    tx.intervalMillis = SamplingIntervals.expectedMillis(tx.intervalCounts);
                }
            }
            tx.lastMeterAt = s.timestamp();
            if (s.energyWh() != null) {
                tx.lastMeterValue = s.energyWh();
            }
            tx.lastSampleProcessedAt = now;
        }
    }

    /**
     * A reading timestamped after the stop (a station that keeps metering a transaction it stopped):
     * kept apart, so the stopped record's billing fields stay as the stop left them; one event.
     */
    private void readingAfterStop(Outcome out, TrackedTransaction tx, Sample s) {
        tx.readingsAfterStop++;
        if (tx.lastReadingAfterStopAt == null || !s.timestamp().isBefore(tx.lastReadingAfterStopAt)) {
            tx.lastReadingAfterStopAt = s.timestamp();
            tx.lastReadingAfterStopWh = s.energyWh();
        }
        out.touched(tx);
        if (tx.readingsAfterStop == 1) {
            ObjectNode details = JSON.objectNode()
                    .put("stoppedAt", tx.stoppedAt.toString())
                    .put("readingAt", s.timestamp().toString());
            if (s.energyWh() != null) {
                details.put("energyWh", s.energyWh());
            }
            out.events.add(
                    out.event(Type.READINGS_AFTER_STOP, List.of(tx), "after-stop/" + tx.stoppedAt, null, details));
        }
    }

    /** Wall-clock time an open transaction's silence becomes a METER_GAP, unless that gap was reported. */
    private Instant meterGapDue(TrackedTransaction tx) {
        if (tx.status != Status.OPEN
                || tx.intervalMillis == null
                || tx.lastSampleProcessedAt == null
                || tx.lastMeterAt.equals(tx.meterGapReportedFor)) {
            return null;
        }
        return tx.lastSampleProcessedAt.plusMillis((long) (settings.meterGapFactor() * tx.intervalMillis) + 1);
    }

    /** One METER_GAP per gap: after {@code lastMeterAt}, until {@code nextSampleAt} (null: still silent). */
    private void meterGap(Outcome out, TrackedTransaction tx, Instant nextSampleAt) {
        if (tx.lastMeterAt.equals(tx.meterGapReportedFor)) {
            return;
        }
        tx.meterGapReportedFor = tx.lastMeterAt;
        out.touched(tx);
        ObjectNode details = JSON.objectNode()
                .put("lastSampleAt", tx.lastMeterAt.toString())
                .put("observedIntervalSeconds", tx.intervalMillis / 1000.0)
                .put("factor", settings.meterGapFactor());
        if (nextSampleAt != null) {
            details.put("nextSampleAt", nextSampleAt.toString());
        }
        out.events.add(out.event(Type.METER_GAP, List.of(tx), "meter-gap/" + tx.lastMeterAt, null, details));
    }

    // --- 2.0.1 / 2.1 TransactionEvent ---

    private void transactionEvent(TxEvent t, Outcome out, JournalEntry e, String trigger, Instant now) {
        ChargePointBook book = out.book;
        Optional<TrackedTransaction> found = book.find(t.transactionId());
        if (found.isPresent() && found.get().seqNos.contains(t.seqNo())) {
            TrackedTransaction tx = found.get();
            Integer known = tx.recentSeqHashes.get(t.seqNo());
            if (known == null || known == t.contentHash()) {
                out.duplicates.add("event");
            } else {
                out.conflict(tx, "seqNo " + t.seqNo() + " received twice with different content", trigger);
            }
            return;
        }
        if (found.isEmpty() && t.eventType() == TxEvent.EventType.ENDED) {
            if (!isNewUnknownStop(book, t.transactionId() + "|seq" + t.seqNo())) {
                out.duplicates.add("event");
                return;
            }
            out.events.add(unknownStop(
                    book,
                    t.transactionId(),
                    trigger,
                    e,
                    JSON.objectNode()
                            .put("transactionId", t.transactionId())
                            .put("seqNo", t.seqNo())
                            .put("timestamp", t.timestamp().toString())
                            .put("messageId", e.messageId())));
            return;
        }
        TrackedTransaction tx;
        boolean isNew = found.isEmpty();
        if (isNew) {
            tx = TrackedTransaction.opened(
                    t.transactionId(), e.ocppVersion(), t.evseId(), t.idToken(), null, null, null);
            book.transactions.add(tx);
        } else {
            tx = found.get();
        }
        tx.seqNos.add(t.seqNo());
        tx.recentSeqHashes.put(t.seqNo(), t.contentHash());
        while (tx.recentSeqHashes.size() > TrackedTransaction.RECENT_SEQ_HASHES) {
            tx.recentSeqHashes.remove(tx.recentSeqHashes.keySet().iterator().next());
        }
        tx.lastSeqNo = tx.seqNos.highest();
        if (tx.connectorId == null) {
            tx.connectorId = t.evseId();
        }
        if (tx.idTag == null) {
            tx.idTag = t.idToken();
        }
        if (t.eventType() == TxEvent.EventType.STARTED) {
            if (tx.startedAt == null) {
                tx.startedAt = t.timestamp();
                t.samples().stream()
                        .map(Sample::energyWh)
                        .filter(v -> v != null)
                        .findFirst()
                        .ifPresent(v -> tx.meterStart = v);
            } else {
                // OCPP allows one Started per transaction: the first one's start stands.
                out.conflict(
                        tx,
                        "a second Started event",
                        trigger,
                        JSON.objectNode()
                                .put("seqNo", t.seqNo())
                                .put("timestamp", t.timestamp().toString())
                                .put("startedAt", tx.startedAt.toString()));
            }
        }
        List<Sample> fresh = t.samples().stream()
                .filter(s -> !tx.recentSamples.contains(s.timestamp()))
                .toList();
        addSamples(out, tx, fresh, now);
        tx.seenOn(e.sessionId(), e.podId());
        tx.updatedAt = e.at();
        out.touched(tx);
        if (isNew) {
            Starts16.suspectOlderOnSameConnector(out, tx, trigger);
        }
        if (t.eventType() == TxEvent.EventType.ENDED) {
            tx.status = Status.STOPPED;
            tx.stoppedAt = t.timestamp();
            tx.meterStop = t.samples().stream()
                    .map(Sample::energyWh)
                    .filter(v -> v != null)
                    .reduce((a, b) -> b)
                    .orElse(tx.lastMeterValue);
            tx.stopReason = t.stoppedReason() == null ? DEFAULT_STOP_REASON : t.stoppedReason();
            tx.stopTrigger = t.triggerReason();
            BootChecks.resolve(out, tx, Type.RESOLVED_STOPPED, check -> true, trigger);
        } else if (t.eventType() == TxEvent.EventType.UPDATED) {
            BootChecks.resolve(
                    out,
                    tx,
                    Type.RESOLVED_RESUMED,
                    check -> t.isResumedTrigger()
                            || (!t.offline()
                                    && BootChecks.takenAfterBoot(t.timestamp()).test(check)),
                    trigger);
        }
        // X13/X14: a hole may still be filled by late offline messages; report it only after the grace window.
        if (unreportedHoles(tx).isEmpty()) {
            tx.seqGapDeadline = null;
        } else if (tx.seqGapDeadline == null) {
            tx.seqGapDeadline = now.plus(settings.grace());
        }
    }

    private static List<Integer> unreportedHoles(TrackedTransaction tx) {
        List<Integer> holes = new ArrayList<>(tx.seqNos.holes(MAX_HOLES));
        holes.removeAll(tx.reportedHoles);
        return holes;
    }

    // --- shared ---

    /** Keeps a charge point's book bounded: the oldest stopped transactions go first, then the oldest suspect ones. */
    private void prune(Outcome out) {
        List<TrackedTransaction> txs = out.book.transactions;
        List<TrackedTransaction> stopped = txs.stream()
                .filter(t -> !t.isOpen())
                .sorted(Comparator.comparing(t -> t.updatedAt == null ? Instant.EPOCH : t.updatedAt))
                .toList();
        for (int i = 0; i < stopped.size() - settings.keepStopped(); i++) {
            txs.remove(stopped.get(i));
        }
        List<TrackedTransaction> suspect = txs.stream()
                .filter(t -> t.status == Status.SUSPECT)
                .sorted(Comparator.comparing(t -> t.updatedAt == null ? Instant.EPOCH : t.updatedAt))
                .toList();
        for (int i = 0; i < suspect.size() && txs.size() - settings.keepStopped() > MAX_OPEN; i++) {
            txs.remove(suspect.get(i));
        }
    }
}
