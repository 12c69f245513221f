package io.ocppgw.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.reconcile.ChargePointBook.BootCheck;
import io.ocppgw.reconcile.ChargePointBook.PendingStart;
import io.ocppgw.reconcile.TransactionMessage.Start16;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.ReconciliationEvent.Type;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The life of a 1.6 start, pure: a StartTransaction waits in the book for its CALLRESULT, which makes
 * it a transaction under the id the CSMS gave; a start that will not be answered any more (its
 * session ended, a boot, a stop with -1) becomes an open transaction {@code unanswered-<messageId>},
 * renumbered when a retry of it is answered. Duplicates are recognised by the start's natural key
 * (connector, idTag, timestamp, meterStart), never by message id.
 */
final class Starts16 {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Starts16() {}

    /** A StartTransaction CALL: it waits for its answer; a retry (same natural key) joins the waiting one. */
    static void start(Start16 s, Outcome out, JournalEntry e) {
        List<PendingStart> pending = out.book.pendingStarts;
        for (PendingStart p : pending) {
            if (p.naturalKey.equals(s.naturalKey())) {
                if (!p.messageIds.contains(e.messageId())) {
                    p.messageIds.add(e.messageId());
                    ChargePointBook.bound(p.messageIds, 8);
                }
                p.sessionId = e.sessionId();
                p.podId = e.podId();
                return;
            }
        }
        PendingStart p = new PendingStart();
        p.messageIds.add(e.messageId());
        p.sessionId = e.sessionId();
        p.podId = e.podId();
        p.ocppVersion = e.ocppVersion();
        p.connectorId = s.connectorId();
        p.idTag = s.idTag();
        p.timestamp = s.timestamp();
        p.meterStart = s.meterStart();
        p.naturalKey = s.naturalKey();
        p.at = e.at();
        pending.add(p);
        ChargePointBook.bound(pending, ChargePointBook.MAX_PENDING_STARTS);
    }

    /** The CALLRESULT of a StartTransaction, giving it transaction id {@code id}. */
    static void answered(String id, Outcome out, JournalEntry e, String trigger) {
        ChargePointBook book = out.book;
        Optional<PendingStart> answered = book.pendingStarts.stream()
                .filter(p -> p.messageIds.contains(e.messageId()))
                .findFirst();
        if (answered.isEmpty()) {
            // The same answer replayed, or the answer to a start given up on when its session ended.
            Optional<TrackedTransaction> byMessage = book.transactions.stream()
                    .filter(t -> t.startMessageIds.contains(e.messageId()))
                    .findFirst();
            if (byMessage.isPresent()) {
                answeredFor(byMessage.get(), id, out, e, trigger);
            }
            return;
        }
        PendingStart p = answered.get();
        book.pendingStarts.remove(p);
        Optional<TrackedTransaction> sameStart = book.transactions.stream()
                .filter(t -> p.naturalKey.equals(t.startKey))
                .findFirst();
        if (sameStart.isPresent()) {
            p.messageIds.stream()
                    .filter(m -> !sameStart.get().startMessageIds.contains(m))
                    .forEach(sameStart.get().startMessageIds::add);
            ChargePointBook.bound(sameStart.get().startMessageIds, 8);
            answeredFor(sameStart.get(), id, out, e, trigger);
            return;
        }
        if (book.find(id).isPresent()) {
            // The CSMS handed out an id it had given to another start of this charge point.
            TrackedTransaction holder = book.find(id).get();
            out.conflict(holder, "start answered with an id already in use", trigger);
            return;
        }
        TrackedTransaction tx = fromStart(p, id);
        tx.seenOn(e.sessionId(), e.podId());
        tx.updatedAt = e.at();
        book.transactions.add(tx);
        out.touched(tx);
        suspectOlderOnSameConnector(out, tx, trigger);
    }

    /** A start whose natural key is already a transaction's was answered (again). */
    private static void answeredFor(TrackedTransaction tx, String id, Outcome out, JournalEntry e, String trigger) {
        if (tx.transactionId.equals(id)) {
            out.duplicates.add("start");
            return;
        }
        if (tx.isUnanswered()) {
            renumber(out, tx, id);
            tx.seenOn(e.sessionId(), e.podId());
            tx.updatedAt = e.at();
            return;
        }
        // The same start answered with two ids (X8): the charge point holds the newer one.
        String conflictKey = "start-id/" + id;
        if (tx.conflictsSeen.contains(conflictKey)) {
            out.duplicates.add("start");
            return;
        }
        tx.conflictsSeen.add(conflictKey);
        TrackedTransaction newer = TrackedTransaction.opened(
                id, tx.ocppVersion, tx.connectorId, tx.idTag, tx.startedAt, tx.meterStart, tx.startKey);
        newer.seenOn(e.sessionId(), e.podId());
        newer.updatedAt = e.at();
        out.book.transactions.add(newer);
        out.touched(newer);
        if (tx.isOpen()) {
            tx.status = Status.SUSPECT;
            tx.updatedAt = e.at();
            out.touched(tx);
        }
        out.events.add(out.event(
                Type.CONFLICTING_DUPLICATE,
                List.of(tx, newer),
                trigger,
                null,
                JSON.objectNode()
                        .put("reason", "the same StartTransaction was answered with two transaction ids")
                        .put("naturalKey", tx.startKey)));
    }

    /** Starts that will not be answered any more become open transactions of their own, without an id. */
    static void giveUp(Outcome out, Predicate<PendingStart> which) {
        for (Iterator<PendingStart> it = out.book.pendingStarts.iterator(); it.hasNext(); ) {
            PendingStart p = it.next();
            if (which.test(p)) {
                it.remove();
                Optional<TrackedTransaction> same = out.book.transactions.stream()
                        .filter(t -> p.naturalKey.equals(t.startKey))
                        .findFirst();
                if (same.isPresent()) {
                    continue; // a retry of a start that already has its transaction
                }
                TrackedTransaction tx = fromStart(p, TrackedTransaction.UNANSWERED_PREFIX + p.messageIds.get(0));
                tx.updatedAt = p.at;
                out.book.transactions.add(tx);
                out.touched(tx);
            }
        }
    }

    private static TrackedTransaction fromStart(PendingStart p, String id) {
        TrackedTransaction tx = TrackedTransaction.opened(
                id, p.ocppVersion, p.connectorId, p.idTag, p.timestamp, p.meterStart, p.naturalKey);
        tx.startMessageIds.addAll(p.messageIds);
        tx.seenOn(p.sessionId, p.podId);
        return tx;
    }

    private static void renumber(Outcome out, TrackedTransaction tx, String id) {
        out.removedKeys.add(TransactionKey.of(out.book.chargePointId, tx.transactionId));
        out.changedTransactions.remove(tx.transactionId);
        for (BootCheck check : out.book.bootChecks) {
            check.waiting.replaceAll(w -> w.equals(tx.transactionId) ? id : w);
        }
        tx.transactionId = id;
        out.touched(tx);
    }

    /** A new transaction on a connector that already has an open one (X19): the older is suspect. */
    static void suspectOlderOnSameConnector(Outcome out, TrackedTransaction tx, String trigger) {
        if (tx.connectorId == null || tx.connectorId == 0) {
            return;
        }
        List<TrackedTransaction> involved = new ArrayList<>();
        for (TrackedTransaction other : out.book.transactions) {
            if (other != tx && other.isOpen() && tx.connectorId.equals(other.connectorId)) {
                other.status = Status.SUSPECT;
                other.updatedAt = tx.updatedAt;
                out.touched(other);
                involved.add(other);
            }
        }
        if (!involved.isEmpty()) {
            involved.add(tx);
            out.events.add(
                    out.event(
                            Type.DUPLICATE_START,
                            involved,
                            trigger,
                            null,
                            JSON.objectNode()
                                    .put("connectorId", tx.connectorId)
                                    .put(
                                            "reason",
                                            "a transaction started on a connector whose earlier transaction was never stopped")));
        }
    }
}
