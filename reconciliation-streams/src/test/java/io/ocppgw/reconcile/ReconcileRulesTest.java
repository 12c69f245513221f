package io.ocppgw.reconcile;

import static io.ocppgw.reconcile.ReconcileHarness.at;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.CONFLICTING_DUPLICATE;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.METER_GAP;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.OPEN_TRANSACTION_AT_BOOT;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.READINGS_AFTER_STOP;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.RESOLVED_RESUMED;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.RESOLVED_STOPPED;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.UNRESOLVED_AFTER_GRACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.TransactionState;
import io.ocppgw.topics.records.TransactionState.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Rules beyond the vectors: replays, unanswered starts, conflicts, several transactions, bounds. */
class ReconcileRulesTest {

    private static final Duration GRACE = Duration.ofMinutes(5);

    /** Runs a journal, then writes every record of it again: the replay must change nothing and raise nothing. */
    private static void assertReplayChangesNothing(Consumer<ReconcileHarness> scenario) {
        try (ReconcileHarness h = new ReconcileHarness()) {
            scenario.accept(h);
            h.advance(Duration.ofHours(1)); // every timer of the scenario has fired
            List<ReconciliationEvent> events = h.events();
            Map<String, TransactionState> states = h.transactions();
            List<JournalEntry> journal = List.copyOf(h.written);

            h.replay(journal);
            h.advance(Duration.ofHours(1));

            assertThat(h.events()).as("no repeated event").isEqualTo(events);
            assertThat(h.transactions()).as("same state").isEqualTo(states);
        }
    }

    @Test
    void shouldChangeNothingWhenAJournalIsReplayed() {
        assertReplayChangesNothing(
                h -> { // X3
                    h.start(1, "T", "10:00", 1000, "7");
                    h.on("s2", "edge-gateway-1");
                    h.advanceTo(at("10:20"));
                    h.boot();
                    h.stop("7", 1200, "10:10");
                });
        assertReplayChangesNothing(
                h -> { // X5, X19, X11
                    h.start(1, "T", "10:00", 1000, "7");
                    h.meter("7", "10:05", 1100);
                    h.start(1, "U", "10:30", 1500, "8");
                    h.stop("99", 1, "10:31");
                    h.on("s2", "edge-gateway-1");
                    h.advanceTo(at("10:40"));
                    h.boot();
                });
        assertReplayChangesNothing(
                h -> { // X9, X13
                    h.start(1, "T", "10:00", 1000, null);
                    h.stop("-1", 1300, "10:30");
                    h.version("ocpp2.0.1");
                    h.txEvent("a", "Started", 0, "11:00", false, "Authorized", 0.0);
                    h.txEvent("a", "Updated", 2, "11:02", false, "MeterValuePeriodic", 200.0);
                });
    }

    @Test
    void shouldNumberAStartLeftUnansweredWhenItsRetryIsAnsweredOnTheNextSession() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            String first = h.start(1, "T", "10:00", 1000, null); // the socket dropped before the answer
            h.on("s2", "edge-gateway-1");
            h.advanceTo(at("10:02"));
            h.boot();
            assertThat(h.events())
                    .extracting(ReconciliationEvent::transactionIds)
                    .containsExactly(List.of(TrackedTransaction.UNANSWERED_PREFIX + first));

            h.start(1, "T", "10:00", 1000, "7"); // the queued retry, same natural key, new message id
            h.stop("7", 1250, "10:01");

            assertThat(h.transactions()).containsOnlyKeys("CP-1:7");
            assertThat(h.tx("7").status()).isEqualTo(Status.STOPPED);
            assertThat(h.tx("7").sessions()).containsExactly("s1", "s2");
            List<ReconciliationEvent> events = h.events();
            assertThat(events)
                    .extracting(ReconciliationEvent::type)
                    .containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_STOPPED);
            assertThat(events.get(1).transactionIds()).containsExactly("7");
        }
    }

    @Test
    void shouldReportAStopRepeatedWithOtherValuesOnce() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.start(1, "T", "10:00", 1000, "7");
            h.stop("7", 1200, "10:10");
            h.stop("7", 1300, "10:11");
            h.stop("7", 1300, "10:11");

            assertThat(h.eventTypes()).containsExactly(CONFLICTING_DUPLICATE);
            assertThat(h.tx("7").meterStop()).as("the first stop stands").isEqualTo(1200.0);
        }
    }

    @Test
    void shouldReportASeqNoRepeatedWithOtherContent() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.version("ocpp2.0.1");
            h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
            h.txEvent("a", "Updated", 1, "10:01", false, "MeterValuePeriodic", 100.0);
            h.txEvent("a", "Updated", 1, "10:01", false, "MeterValuePeriodic", 999.0);

            List<ReconciliationEvent> events = h.events();
            assertThat(events).extracting(ReconciliationEvent::type).containsExactly(CONFLICTING_DUPLICATE);
            assertThat(events.get(0).details().path("reason").asText()).contains("seqNo 1");
            assertThat(h.tx("a").lastMeterValue()).isEqualTo(100.0);
        }
    }

    @Test
    void shouldNotTakeQueuedOldReadingsAfterABootForAResumedTransaction() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.start(1, "T", "10:00", 1000, "7");
            h.on("s2", "edge-gateway-1");
            h.advanceTo(at("10:20"));
            h.boot();
            h.meter("7", "10:05", 1100); // taken before the reboot, sent from the queue after it

            assertThat(h.eventTypes()).containsExactly(OPEN_TRANSACTION_AT_BOOT);
            assertThat(h.tx("7").lastMeterValue()).isEqualTo(1100.0);
            h.stop("7", 1150, "10:08");
            assertThat(h.eventTypes()).containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_STOPPED);
        }
    }

    @Test
    void shouldResolveEachOpenTransactionOfABootOnItsOwn() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.start(1, "T", "10:00", 1000, "7");
            h.start(2, "U", "10:01", 5000, "8");
            h.on("s2", "edge-gateway-1");
            h.advanceTo(at("10:20"));
            h.boot();
            h.boot(); // a boot loop inside the window raises nothing new
            h.stop("8", 5400, "10:15");
            h.advance(GRACE.plusSeconds(2));

            List<ReconciliationEvent> events = h.events();
            assertThat(events)
                    .extracting(ReconciliationEvent::type)
                    .containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_STOPPED, UNRESOLVED_AFTER_GRACE);
            assertThat(events.get(0).transactionIds()).containsExactly("7", "8");
            assertThat(events.get(1).transactionIds()).containsExactly("8");
            assertThat(events.get(2).transactionIds()).containsExactly("7");
            assertThat(events.stream().map(ReconciliationEvent::eventId).distinct())
                    .hasSize(3);
        }
    }

    @Test
    void shouldReconcileA201RebootLikeA16One() {
        try (ReconcileHarness resumed = new ReconcileHarness();
                ReconcileHarness silent = new ReconcileHarness()) {
            for (ReconcileHarness h : List.of(resumed, silent)) {
                h.version("ocpp2.0.1");
                h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
                h.txEvent("a", "Updated", 1, "10:05", false, "MeterValuePeriodic", 500.0);
                h.on("s2", "edge-gateway-1");
                h.advanceTo(at("10:12"));
                h.boot();
            }
            resumed.txEvent(
                    "a",
                    "Updated",
                    2,
                    "10:13",
                    false,
                    "MeterValuePeriodic",
                    600.0); // live again, no TxResumed in 2.0.1
            silent.advance(GRACE.plusSeconds(2));

            assertThat(resumed.eventTypes()).containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_RESUMED);
            List<ReconciliationEvent> events = silent.events();
            assertThat(events)
                    .extracting(ReconciliationEvent::type)
                    .containsExactly(OPEN_TRANSACTION_AT_BOOT, UNRESOLVED_AFTER_GRACE);
            assertThat(events.get(1).lastMeterValue()).isEqualTo(500.0);
            assertThat(events.get(1).lastMeterAt()).isEqualTo(at("10:05"));
        }
    }

    @Test
    void shouldDropA201EndedRetriedThreeTimes() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.version("ocpp2.0.1");
            h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
            h.txEvent("a", "Ended", 1, "10:10", false, "EVDeparted", 700.0);
            TransactionState ended = h.tx("a");
            for (int i = 0; i < 3; i++) {
                h.txEvent("a", "Ended", 1, "10:10", false, "EVDeparted", 700.0);
            }

            assertThat(h.tx("a")).isEqualTo(ended);
            assertThat(ended.energyWh()).isEqualTo(700.0);
            assertThat(h.duplicates("event")).isEqualTo(3);
            assertThat(h.events()).isEmpty();
        }
    }

    @Test
    void shouldKeepABoundedNumberOfStoppedTransactionsPerChargePoint() {
        ReconcileSettings settings = ReconcileSettings.defaults(TopicNames.unprefixed());
        try (ReconcileHarness h = new ReconcileHarness(settings)) {
            for (int i = 0; i < settings.keepStopped() + 5; i++) {
                String id = String.valueOf(100 + i);
                String minute = String.format(java.util.Locale.ROOT, "11:%02d", i);
                h.start(1, "T", minute, i * 10, id);
                h.stop(id, i * 10 + 5, minute + ":30");
            }

            assertThat(h.book().transactions).hasSize(settings.keepStopped());
            assertThat(h.transactions()).as("the topic keeps them all").hasSize(settings.keepStopped() + 5);
        }
    }

    @Test
    void shouldNotRewriteABookWithNothingOpenForEveryHeartbeat() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.start(1, "T", "10:00", 1000, "7");
            h.stop("7", 1100, "10:05");
            h.advance(Duration.ofMinutes(10));
            h.heartbeat();
            assertThat(h.book().lastSeenAt)
                    .as("nothing open: the heartbeat is not written")
                    .isEqualTo(at("10:05"));

            h.start(1, "T", "10:30", 1100, "8");
            h.advance(Duration.ofMinutes(1));
            h.heartbeat();
            assertThat(h.book().lastSeenAt)
                    .as("open: last seen follows every frame")
                    .isEqualTo(h.wall());
        }
    }

    @Test
    void shouldKeepNoBookForChargePointsWithoutTransactions() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.boot();
            h.heartbeat();

            assertThat(h.book()).isNull();
            assertThat(h.events()).isEmpty();
        }
    }

    @Test
    void shouldRaiseNoMeterGapWhenTheEndedEventRepeatsTheLastSampleAMillisecondLater() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.version("ocpp2.0.1");
            h.txEvent("a", "Started", 0, "10:00:00", false, "Authorized", 0.0);
            for (int seq = 1; seq <= 10; seq++) { // every 30 s
                h.txEvent(
                        "a",
                        "Updated",
                        seq,
                        "10:0" + (seq / 2) + ":" + (seq % 2 == 0 ? "00" : "30"),
                        false,
                        "MeterValuePeriodic",
                        100.0 * seq);
            }
            // The station repeats its last periodic reading 1 ms later, then ends 2 s after it.
            h.txEvent("a", "Updated", 11, "10:05:00.001", false, "MeterValuePeriodic", 1000.0);
            h.txEvent("a", "Ended", 12, "10:05:02", false, "StopAuthorized", 1010.0);
            h.advance(Duration.ofHours(1));

            assertThat(h.eventTypes()).doesNotContain(METER_GAP);
            assertThat(h.tx("a").status()).isEqualTo(Status.STOPPED);
        }
    }

    @Test
    void shouldRaiseNoMeterGapForTriggeredAndClockAlignedReadingsButOneForARealSilence() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.start(1, "T", "10:00:20", 1000, "7");
            // Periodic every 60 s from the start; a triggered reading at 10:07:45 and a clock-aligned one at 10:15:05.
            for (int minute = 1; minute <= 16; minute++) {
                String m = minute < 10 ? "0" + minute : String.valueOf(minute);
                h.meter("7", "10:" + m + ":20", 1000 + minute * 10);
                if (minute == 7) {
                    h.meter("7", "10:07:45", 1075);
                }
                if (minute == 14) {
                    h.meter("7", "10:15:05", 1145);
                }
            }
            h.advance(Duration.ofSeconds(150)); // 2.5 intervals of silence: not yet a gap
            assertThat(h.events())
                    .as("no gap for extra readings between periodic ones")
                    .isEmpty();

            h.meter("7", "10:19:40", 1200); // 200 s after the last: more than three intervals
            List<ReconciliationEvent> events = h.events();
            assertThat(events).extracting(ReconciliationEvent::type).containsExactly(METER_GAP);
            assertThat(events.get(0).details().path("observedIntervalSeconds").asDouble())
                    .isEqualTo(60.0);
        }
    }

    private static void stoppedThenMetered(ReconcileHarness h) {
        h.start(1, "T", "10:00", 1000, "7");
        h.meter("7", "10:01", 1010);
        h.stop("7", 1036, "10:02");
        // A station after a hard reset keeps metering the transaction it stopped.
        for (int minute = 3; minute <= 6; minute++) {
            h.meter("7", "10:0" + minute, 1036 + (minute - 2) * 100 + 17);
        }
    }

    @Test
    void shouldKeepReadingsAfterTheStopApartAndRaiseOneEvent() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            stoppedThenMetered(h);

            TransactionState tx = h.tx("7");
            assertThat(tx.status()).isEqualTo(Status.STOPPED);
            assertThat(tx.stoppedAt()).isEqualTo(at("10:02"));
            assertThat(tx.meterStop()).isEqualTo(1036.0);
            assertThat(tx.lastMeterValue())
                    .as("billing fields as the stop left them")
                    .isEqualTo(1010.0);
            assertThat(tx.lastMeterAt()).isEqualTo(at("10:01"));
            assertThat(tx.meterSamples()).isEqualTo(1);
            assertThat(tx.energyWh()).isEqualTo(36.0);
            assertThat(tx.readingsAfterStop()).isEqualTo(4);
            assertThat(tx.lastReadingAfterStopWh()).isEqualTo(1453.0);
            assertThat(tx.lastReadingAfterStopAt()).isEqualTo(at("10:06"));
            List<ReconciliationEvent> events = h.events();
            assertThat(events).extracting(ReconciliationEvent::type).containsExactly(READINGS_AFTER_STOP);
            assertThat(events.get(0).details().path("readingAt").asText())
                    .isEqualTo(at("10:03").toString());
        }
        assertReplayChangesNothing(ReconcileRulesTest::stoppedThenMetered);
    }

    @Test
    void shouldKeep2xReadingsAfterTheEndedEventApart() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.version("ocpp2.0.1");
            h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 100.0);
            h.txEvent("a", "Updated", 1, "10:05", false, "MeterValuePeriodic", 150.0);
            h.txEvent("a", "Ended", 2, "10:10", false, "EVCommunicationLost", 200.0, "EVDisconnected");
            h.txEvent("a", "Updated", 3, "10:12", false, "MeterValuePeriodic", 260.0);
            h.txEvent("a", "Updated", 4, "10:14", false, "MeterValuePeriodic", 300.0);

            TransactionState tx = h.tx("a");
            assertThat(tx.meterStop()).isEqualTo(200.0);
            assertThat(tx.lastMeterValue()).isEqualTo(200.0);
            assertThat(tx.lastMeterAt()).isEqualTo(at("10:10"));
            assertThat(tx.energyWh()).isEqualTo(100.0);
            assertThat(tx.readingsAfterStop()).isEqualTo(2);
            assertThat(tx.lastReadingAfterStopWh()).isEqualTo(300.0);
            assertThat(h.eventTypes()).containsExactly(READINGS_AFTER_STOP);
        }
    }

    @Test
    void shouldKeepTheFirstStartedAndFlagASecondOnce() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.version("ocpp2.0.1");
            h.txEvent("a", "Started", 0, "10:00:00", false, "Authorized", 100.0);
            h.txEvent("a", "Started", 1, "10:00:24", false, "Authorized", 150.0); // after a reboot
            h.txEvent("a", "Started", 2, "10:00:30", false, "Authorized", 160.0);

            TransactionState tx = h.tx("a");
            assertThat(tx.startedAt()).isEqualTo(at("10:00"));
            assertThat(tx.meterStart()).isEqualTo(100.0);
            List<ReconciliationEvent> events = h.events();
            assertThat(events).extracting(ReconciliationEvent::type).containsExactly(CONFLICTING_DUPLICATE);
            assertThat(events.get(0).details().path("reason").asText()).isEqualTo("a second Started event");
            assertThat(events.get(0).details().path("seqNo").asInt()).isEqualTo(1);
        }
    }

    @Test
    void shouldKeepTheStopReasonAndTheTriggerOfTheStop() {
        try (ReconcileHarness h = new ReconcileHarness()) {
            h.start(1, "T", "10:00", 1000, "7");
            h.stop("7", 1100, "10:10", "EVDisconnected");
            h.start(1, "T", "10:20", 1100, "8");
            h.stop("8", 1200, "10:30", null);
            h.version("ocpp2.0.1");
            h.txEvent("a", "Started", 0, "11:00", false, "Authorized", 0.0);
            h.txEvent("a", "Ended", 1, "11:10", false, "RemoteStop", 500.0, "Remote");

            assertThat(h.tx("7").stopReason()).isEqualTo("EVDisconnected");
            assertThat(h.tx("7").stopTrigger()).isNull();
            assertThat(h.tx("8").stopReason())
                    .as("a 1.6 stop without a reason is Local")
                    .isEqualTo("Local");
            assertThat(h.tx("a").stopReason()).isEqualTo("Remote");
            assertThat(h.tx("a").stopTrigger()).isEqualTo("RemoteStop");
        }
    }
}
