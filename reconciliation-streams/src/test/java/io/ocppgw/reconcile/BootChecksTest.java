package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.reconcile.ChargePointBook.BootCheck;
import io.ocppgw.reconcile.TransactionMessage.Start16;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.ReconciliationEvent.Type;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Boot checks on their own: which boot starts one, how each transaction resolves, what the grace window ends in. */
class BootChecksTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(5);

    private final ChargePointBook book = ChargePointBook.empty("CP-1");
    private final BootChecks checks = new BootChecks(GRACE);

    private Outcome out(Instant at) {
        return new Outcome(book, at);
    }

    private static JournalEntry boot(String session, String messageId, Instant at) {
        return new JournalEntry(
                "CP-1",
                "edge-gateway-1",
                session,
                "ocpp1.6",
                Direction.FROM_CP,
                "CALL",
                messageId,
                "BootNotification",
                null,
                null,
                at);
    }

    private TrackedTransaction open(String id) {
        TrackedTransaction tx = TrackedTransaction.opened(id, "ocpp1.6", 1, "TAG", T, 1000.0, "k-" + id);
        book.transactions.add(tx);
        return tx;
    }

    @Test
    void shouldRaiseNothingForABootWithoutOpenTransactions() {
        Outcome out = out(T);
        checks.boot(out, boot("s2", "b1", T), T);

        assertThat(out.events).isEmpty();
        assertThat(book.bootChecks).isEmpty();
    }

    @Test
    void shouldCheckTheOpenTransactionsOnceAndIgnoreTheSameBootReplayed() {
        open("7");
        open("8");
        book.lastSessionId = "s1";
        Outcome first = out(T);
        checks.boot(first, boot("s2", "b1", T), T);

        assertThat(first.events).extracting(ReconciliationEvent::type).containsExactly(Type.OPEN_TRANSACTION_AT_BOOT);
        assertThat(first.events.get(0).transactionIds()).containsExactly("7", "8");
        assertThat(book.bootChecks).hasSize(1);
        BootCheck check = book.bootChecks.get(0);
        assertThat(check.deadline).isEqualTo(T.plus(GRACE));
        assertThat(check.previousSessionId).isEqualTo("s1");

        Outcome replay = out(T);
        checks.boot(replay, boot("s2", "b1", T), T);
        assertThat(replay.events).isEmpty();
        assertThat(replay.duplicates).containsExactly("boot");
    }

    @Test
    void shouldTurnAStartStillWaitingIntoAnOpenTransactionThatTheBootChecks() {
        Starts16.start(
                new Start16(1, "TAG", T, 1000),
                out(T),
                new JournalEntry(
                        "CP-1",
                        "edge-gateway-0",
                        "s1",
                        "ocpp1.6",
                        Direction.FROM_CP,
                        "CALL",
                        "m1",
                        "StartTransaction",
                        null,
                        null,
                        T));
        Outcome out = out(T.plusSeconds(60));
        checks.boot(out, boot("s2", "b1", T.plusSeconds(60)), T.plusSeconds(60));

        assertThat(book.pendingStarts).isEmpty();
        assertThat(out.events.get(0).transactionIds()).containsExactly("unanswered-m1");
    }

    @Test
    void shouldResolveEachTransactionOnceAndEndTheCheckWithTheLast() {
        TrackedTransaction a = open("7");
        TrackedTransaction b = open("8");
        checks.boot(out(T), boot("s2", "b1", T), T);

        Outcome stopped = out(T.plusSeconds(10));
        BootChecks.resolve(stopped, a, Type.RESOLVED_STOPPED, check -> true, "s2/m5");
        BootChecks.resolve(stopped, a, Type.RESOLVED_STOPPED, check -> true, "s2/m5");
        assertThat(stopped.events).extracting(ReconciliationEvent::type).containsExactly(Type.RESOLVED_STOPPED);
        assertThat(book.bootChecks).hasSize(1);

        Outcome early = out(T.plusSeconds(20));
        BootChecks.resolve(early, b, Type.RESOLVED_RESUMED, BootChecks.takenAfterBoot(T.minusSeconds(61)), "s2/m6");
        assertThat(early.events)
                .as("a reading from before the boot, past the clock tolerance, resolves nothing")
                .isEmpty();
        BootChecks.resolve(early, b, Type.RESOLVED_RESUMED, BootChecks.takenAfterBoot(T.minusSeconds(59)), "s2/m7");
        assertThat(early.events).extracting(ReconciliationEvent::type).containsExactly(Type.RESOLVED_RESUMED);
        assertThat(book.bootChecks).isEmpty();
    }

    @Test
    void shouldGiveUpOnlyOnTransactionsStillWaitingWhenTheGraceWindowEnds() {
        TrackedTransaction a = open("7");
        open("8");
        checks.boot(out(T), boot("s2", "b1", T), T);
        BootChecks.resolve(out(T), a, Type.RESOLVED_STOPPED, check -> true, "s2/m5");

        Outcome before = out(T.plus(GRACE).minusSeconds(1));
        checks.expire(before, T.plus(GRACE).minusSeconds(1));
        assertThat(before.events).isEmpty();

        Outcome after = out(T.plus(GRACE));
        checks.expire(after, T.plus(GRACE));
        assertThat(after.events).extracting(ReconciliationEvent::type).containsExactly(Type.UNRESOLVED_AFTER_GRACE);
        assertThat(after.events.get(0).transactionIds()).containsExactly("8");
        assertThat(book.bootChecks).isEmpty();
    }
}
