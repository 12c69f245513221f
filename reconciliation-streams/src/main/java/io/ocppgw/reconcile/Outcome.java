package io.ocppgw.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.reconcile.ChargePointBook.BootCheck;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.ReconciliationEvent.Type;
import io.ocppgw.topics.records.TransactionState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** What one input did to a charge point's book: the transactions it changed or removed, the events it raised. */
final class Outcome {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final ChargePointBook book;
    /** When it happened: the journal entry's gateway time, or the wall clock for a timer. */
    final Instant at;

    final List<String> changedTransactions = new ArrayList<>();
    final List<String> removedKeys = new ArrayList<>();
    final List<ReconciliationEvent> events = new ArrayList<>();
    /** Duplicates dropped, by kind: start, stop, meter, event, boot. */
    final List<String> duplicates = new ArrayList<>();

    Outcome(ChargePointBook book, Instant at) {
        this.book = book;
        this.at = at;
    }

    /** The current state of every transaction this input changed. */
    List<TransactionState> changed() {
        List<TransactionState> states = new ArrayList<>();
        for (String id : changedTransactions) {
            book.find(id).ifPresent(t -> states.add(t.toState(book.chargePointId)));
        }
        return states;
    }

    /** Marks {@code tx} as changed by this input, so it is published. */
    void touched(TrackedTransaction tx) {
        if (!changedTransactions.contains(tx.transactionId)) {
            changedTransactions.add(tx.transactionId);
        }
    }

    /** An event about {@code txs}, with the boot check it belongs to (or null); its id follows from type, transactions and trigger. */
    ReconciliationEvent event(
            Type type, List<TrackedTransaction> txs, String trigger, BootCheck check, ObjectNode details) {
        List<String> ids = txs.stream().map(t -> t.transactionId).toList();
        TrackedTransaction latest = txs.stream()
                .filter(t -> t.lastMeterAt != null)
                .max(Comparator.comparing(t -> t.lastMeterAt))
                .orElse(null);
        List<TransactionState> states =
                txs.stream().map(t -> t.toState(book.chargePointId)).toList();
        return new ReconciliationEvent(
                eventId(book.chargePointId, type, ids, trigger),
                type,
                book.chargePointId,
                ids,
                states,
                latest == null ? null : latest.lastMeterValue,
                latest == null ? null : latest.lastMeterAt,
                check != null ? check.lastSeenBeforeBoot : book.lastSeenAt,
                check != null ? check.previousSessionId : null,
                check != null ? check.previousPodId : null,
                check != null ? check.bootSessionId : null,
                check != null ? check.bootPodId : null,
                details,
                at);
    }

    void conflict(TrackedTransaction tx, String what, String trigger) {
        conflict(tx, what, trigger, JSON.objectNode());
    }

    /** One CONFLICTING_DUPLICATE per kind of conflict ({@code what}) and transaction. */
    void conflict(TrackedTransaction tx, String what, String trigger, ObjectNode details) {
        if (tx.conflictsSeen.contains(what)) {
            duplicates.add("conflict");
            return;
        }
        tx.conflictsSeen.add(what);
        ChargePointBook.bound(tx.conflictsSeen, 8);
        events.add(event(Type.CONFLICTING_DUPLICATE, List.of(tx), trigger, null, details.put("reason", what)));
    }

    /** The same cause gives the same id, so a consumer can drop a repeat whatever the delivery. */
    static String eventId(String chargePointId, Type type, List<String> transactionIds, String trigger) {
        return UUID.nameUUIDFromBytes((chargePointId + "|" + type + "|" + transactionIds + "|" + trigger)
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
