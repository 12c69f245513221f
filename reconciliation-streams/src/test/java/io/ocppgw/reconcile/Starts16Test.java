package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.reconcile.TransactionMessage.Start16;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.ReconciliationEvent.Type;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The 1.6 start lifecycle on its own: pending start, its answer, giving up, renumbering, two ids, one connector. */
class Starts16Test {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private static final Start16 START = new Start16(1, "TAG", T, 1000);

    private final ChargePointBook book = ChargePointBook.empty("CP-1");

    private Outcome out() {
        return new Outcome(book, T);
    }

    private static JournalEntry entry(String session, String messageId) {
        return new JournalEntry(
                "CP-1",
                "edge-gateway-0",
                session,
                "ocpp1.6",
                Direction.FROM_CP,
                "CALL",
                messageId,
                "StartTransaction",
                null,
                null,
                T);
    }

    private TrackedTransaction only() {
        assertThat(book.transactions).hasSize(1);
        return book.transactions.get(0);
    }

    @Test
    void shouldKeepAStartWaitingAndJoinItsRetryUnderTheSameNaturalKey() {
        Starts16.start(START, out(), entry("s1", "m1"));
        Starts16.start(START, out(), entry("s1", "m2"));

        assertThat(book.pendingStarts).hasSize(1);
        assertThat(book.pendingStarts.get(0).messageIds).containsExactly("m1", "m2");
        assertThat(book.transactions).isEmpty();
    }

    @Test
    void shouldOpenTheTransactionUnderTheAnsweredIdOnceAndCountAReplayAsDuplicate() {
        Starts16.start(START, out(), entry("s1", "m1"));
        Starts16.start(START, out(), entry("s1", "m2"));
        Outcome answered = out();
        Starts16.answered("7", answered, entry("s1", "m2"), "s1/m2");

        TrackedTransaction tx = only();
        assertThat(tx.transactionId).isEqualTo("7");
        assertThat(tx.status).isEqualTo(Status.OPEN);
        assertThat(tx.startedAt).isEqualTo(T);
        assertThat(tx.meterStart).isEqualTo(1000.0);
        assertThat(tx.startMessageIds).containsExactly("m1", "m2");
        assertThat(book.pendingStarts).isEmpty();
        assertThat(answered.changedTransactions).containsExactly("7");

        Outcome replay = out();
        Starts16.answered("7", replay, entry("s1", "m2"), "s1/m2");
        assertThat(replay.duplicates).containsExactly("start");
        assertThat(replay.changedTransactions).isEmpty();
        assertThat(book.transactions).hasSize(1);
    }

    @Test
    void shouldOpenAStartGivenUpOnWithoutAnIdAndRenumberItWhenItsRetryIsAnswered() {
        Starts16.start(START, out(), entry("s1", "m1"));
        Outcome gaveUp = out();
        Starts16.giveUp(gaveUp, start -> true);
        assertThat(only().transactionId).isEqualTo("unanswered-m1");
        assertThat(only().status).isEqualTo(Status.OPEN);
        assertThat(gaveUp.changedTransactions).containsExactly("unanswered-m1");

        Starts16.start(START, out(), entry("s2", "m9")); // the charge point retries on its new session
        Outcome renumbered = out();
        Starts16.answered("8", renumbered, entry("s2", "m9"), "s2/m9");

        assertThat(only().transactionId).isEqualTo("8");
        assertThat(only().startMessageIds).contains("m1", "m9");
        assertThat(renumbered.removedKeys).containsExactly(TransactionKey.of("CP-1", "unanswered-m1"));
        assertThat(renumbered.changedTransactions).containsExactly("8");
    }

    @Test
    void shouldKeepBothTransactionsWhenOneStartIsAnsweredWithTwoIds() {
        Starts16.start(START, out(), entry("s1", "m1"));
        Starts16.answered("7", out(), entry("s1", "m1"), "s1/m1");
        Starts16.start(START, out(), entry("s1", "m2"));
        Outcome twice = out();
        Starts16.answered("9", twice, entry("s1", "m2"), "s1/m2");

        assertThat(book.find("7").orElseThrow().status).isEqualTo(Status.SUSPECT);
        assertThat(book.find("9").orElseThrow().status)
                .as("the charge point holds the newer id")
                .isEqualTo(Status.OPEN);
        assertThat(twice.events).extracting(ReconciliationEvent::type).containsExactly(Type.CONFLICTING_DUPLICATE);
        assertThat(twice.events.get(0).transactionIds()).containsExactly("7", "9");
    }

    @Test
    void shouldFlagAnIdAlreadyHeldByAnotherStartAndOpenNothing() {
        Starts16.start(START, out(), entry("s1", "m1"));
        Starts16.answered("7", out(), entry("s1", "m1"), "s1/m1");
        Starts16.start(new Start16(2, "OTHER", T.plusSeconds(60), 2000), out(), entry("s1", "m2"));
        Outcome reused = out();
        Starts16.answered("7", reused, entry("s1", "m2"), "s1/m2");

        assertThat(book.transactions).hasSize(1);
        assertThat(reused.events).extracting(ReconciliationEvent::type).containsExactly(Type.CONFLICTING_DUPLICATE);
        assertThat(reused.events.get(0).details().path("reason").asText())
                .isEqualTo("start answered with an id already in use");
    }

    @Test
    void shouldMakeTheOlderOpenTransactionOnTheSameConnectorSuspect() {
        Starts16.start(START, out(), entry("s1", "m1"));
        Starts16.answered("7", out(), entry("s1", "m1"), "s1/m1");
        Starts16.start(new Start16(1, "TAG", T.plusSeconds(600), 1500), out(), entry("s1", "m2"));
        Outcome second = out();
        Starts16.answered("8", second, entry("s1", "m2"), "s1/m2");

        assertThat(book.find("7").orElseThrow().status).isEqualTo(Status.SUSPECT);
        assertThat(book.find("8").orElseThrow().status).isEqualTo(Status.OPEN);
        assertThat(second.events).extracting(ReconciliationEvent::type).containsExactly(Type.DUPLICATE_START);
        assertThat(second.changedTransactions).containsExactlyInAnyOrder("7", "8");
    }
}
