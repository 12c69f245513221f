package io.ocppgw.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.reconcile.ChargePointBook.BootCheck;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.ReconciliationEvent.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Boot checks, pure: a BootNotification that finds transactions open starts a check of them; each then
 * resolves on its own when stopped or resumed (one event each), and those still waiting when the
 * grace window ends (wall clock) get UNRESOLVED_AFTER_GRACE.
 */
final class BootChecks {

    /** Charge point clocks drift: a sample up to this long before the boot still counts as "after". */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(60);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Duration grace;

    BootChecks(Duration grace) {
        this.grace = grace;
    }

    /**
     * A BootNotification: a new one (not a replay) gives up the starts still waiting, then, if open
     * transactions remain, raises one OPEN_TRANSACTION_AT_BOOT and starts a check of them.
     */
    void boot(Outcome out, JournalEntry e, Instant now) {
        ChargePointBook book = out.book;
        String seen = e.sessionId() + "/" + e.messageId();
        if (book.bootsSeen.contains(seen)) {
            out.duplicates.add("boot");
            return;
        }
        book.bootsSeen.add(seen);
        ChargePointBook.bound(book.bootsSeen, 8);
        Starts16.giveUp(
                out,
                start ->
                        true); // a rebooted charge point answers none of its old starts; they are open transactions now
        List<TrackedTransaction> open = new ArrayList<>();
        for (TrackedTransaction tx : book.transactions) {
            boolean alreadyWaiting = book.bootChecks.stream().anyMatch(c -> c.waiting.contains(tx.transactionId));
            if (tx.isOpen() && !alreadyWaiting) {
                open.add(tx);
            }
        }
        if (open.isEmpty()) {
            return;
        }
        BootCheck check = new BootCheck();
        check.bootSessionId = e.sessionId();
        check.bootPodId = e.podId();
        check.bootMessageId = e.messageId();
        check.bootAt = e.at();
        check.deadline = now.plus(grace);
        open.forEach(tx -> check.waiting.add(tx.transactionId));
        check.previousSessionId = book.lastSessionId;
        check.previousPodId = book.lastPodId;
        check.lastSeenBeforeBoot = book.lastSeenAt;
        book.bootChecks.add(check);
        out.events.add(out.event(
                Type.OPEN_TRANSACTION_AT_BOOT,
                open,
                seen,
                check,
                JSON.objectNode()
                        .put("graceSeconds", grace.toSeconds())
                        .put("graceEndsAt", check.deadline.toString())));
    }

    /** A transaction in a boot check was stopped or resumed: one resolution event, and it waits no more. */
    static void resolve(Outcome out, TrackedTransaction tx, Type type, Predicate<BootCheck> applies, String trigger) {
        for (Iterator<BootCheck> it = out.book.bootChecks.iterator(); it.hasNext(); ) {
            BootCheck check = it.next();
            if (check.waiting.contains(tx.transactionId) && applies.test(check)) {
                check.waiting.remove(tx.transactionId);
                out.events.add(out.event(type, List.of(tx), trigger, check, null));
                if (check.waiting.isEmpty()) {
                    it.remove();
                }
            }
        }
    }

    /** Whether a reading or event at {@code at} (charge point time) came after the check's boot, within the clock tolerance. */
    static Predicate<BootCheck> takenAfterBoot(Instant at) {
        return check -> !at.isBefore(check.bootAt.minus(CLOCK_TOLERANCE));
    }

    /** Checks whose grace window ended by wall-clock {@code now}: each transaction still waiting gets UNRESOLVED_AFTER_GRACE. */
    void expire(Outcome out, Instant now) {
        for (Iterator<BootCheck> it = out.book.bootChecks.iterator(); it.hasNext(); ) {
            BootCheck check = it.next();
            if (!check.deadline.isAfter(now)) {
                for (String id : check.waiting) {
                    out.book
                            .find(id)
                            .ifPresent(tx -> out.events.add(out.event(
                                    Type.UNRESOLVED_AFTER_GRACE,
                                    List.of(tx),
                                    "grace/" + check.bootSessionId + "/" + check.bootMessageId,
                                    check,
                                    JSON.objectNode()
                                            .put("graceSeconds", grace.toSeconds())
                                            .put(
                                                    "action",
                                                    "close it at its last meter value, or ask the charge point"))));
                }
                it.remove();
            }
        }
    }
}
