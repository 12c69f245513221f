package io.ocppgw.reconcile;

import static io.ocppgw.reconcile.ReconcileHarness.at;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.CONFLICTING_DUPLICATE;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.DUPLICATE_START;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.METER_GAP;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.OPEN_TRANSACTION_AT_BOOT;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.RESOLVED_RESUMED;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.RESOLVED_STOPPED;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.SEQUENCE_GAP;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.STOP_FOR_UNKNOWN_TRANSACTION;
import static io.ocppgw.topics.records.ReconciliationEvent.Type.UNRESOLVED_AFTER_GRACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.TransactionState;
import io.ocppgw.topics.records.TransactionState.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The behaviour vectors X1–X19, one test each, on the real topology (TopologyTestDriver, wall-clock punctuation). */
class ReconcileVectorsTest {

    private static final Duration GRACE = Duration.ofMinutes(5);
    private final ReconcileHarness h = new ReconcileHarness();

    @AfterEach
    void close() {
        h.close();
    }

    /** X1 in its own words: Start(1,T,10:00,1000) → id 7. */
    private void x1() {
        h.start(1, "T", "10:00", 1000, "7");
    }

    @Test
    void x1_answeredStartOpensTheTransactionOnItsConnector() {
        x1();

        TransactionState tx = h.tx("7");
        assertThat(tx.status()).isEqualTo(Status.OPEN);
        assertThat(tx.connectorId()).isEqualTo(1);
        assertThat(tx.idTag()).isEqualTo("T");
        assertThat(tx.meterStart()).isEqualTo(1000.0);
        assertThat(tx.startedAt()).isEqualTo(at("10:00"));
        assertThat(tx.sessions()).containsExactly("s1");
        assertThat(h.events()).isEmpty();
    }

    @Test
    void x2_meterValuesThenStopCloseItWithItsEnergy() {
        x1();
        h.meter("7", "10:05", 1100);
        h.stop("7", 1200, "10:10");

        TransactionState tx = h.tx("7");
        assertThat(tx.status()).isEqualTo(Status.STOPPED);
        assertThat(tx.energyWh()).isEqualTo(200.0);
        assertThat(tx.meterSamples()).isEqualTo(1);
        assertThat(tx.lastMeterValue()).isEqualTo(1100.0);
        assertThat(tx.stoppedAt()).isEqualTo(at("10:10"));
        assertThat(h.events()).isEmpty();
    }

    @Test
    void x3_bootWithTheTransactionOpenThenItsQueuedStopResolvesAsStopped() {
        x1();
        h.on("s2", "edge-gateway-1");
        h.advanceTo(at("10:20"));
        h.boot();
        h.stop("7", 1200, "10:10");

        List<ReconciliationEvent> events = h.events();
        assertThat(events)
                .extracting(ReconciliationEvent::type)
                .containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_STOPPED);
        ReconciliationEvent atBoot = events.get(0);
        assertThat(atBoot.transactionIds()).containsExactly("7");
        assertThat(atBoot.previousSessionId()).isEqualTo("s1");
        assertThat(atBoot.previousPodId()).isEqualTo("edge-gateway-0");
        assertThat(atBoot.newSessionId()).isEqualTo("s2");
        assertThat(atBoot.newPodId()).isEqualTo("edge-gateway-1");
        assertThat(atBoot.lastSeenAt()).isEqualTo(at("10:00"));
        assertThat(events.get(1).transactionIds()).containsExactly("7");
        assertThat(h.tx("7").status()).isEqualTo(Status.STOPPED);

        h.advance(GRACE.plusMinutes(1));
        assertThat(h.eventTypes())
                .as("resolved: nothing after the grace window")
                .hasSize(2);
    }

    @Test
    void x4_bootThenFreshMeterValuesResolveAsResumed() {
        x1();
        h.on("s2", "edge-gateway-1");
        h.advanceTo(at("10:20"));
        h.boot();
        h.meter("7", "10:21", 1150);

        assertThat(h.eventTypes()).containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_RESUMED);
        assertThat(h.tx("7").status()).isEqualTo(Status.OPEN);
        h.advance(GRACE.plusMinutes(1));
        assertThat(h.eventTypes()).hasSize(2);
    }

    @Test
    void x5_bootThenSilencePastTheGraceWindowIsUnresolvedWithTheLastMeterReading() {
        x1();
        h.meter("7", "10:05", 1100);
        h.on("s2", "edge-gateway-1");
        h.advanceTo(at("10:20"));
        h.boot();

        h.advance(GRACE.minusSeconds(5));
        assertThat(h.eventTypes()).as("not before the window ends").containsExactly(OPEN_TRANSACTION_AT_BOOT);
        h.advance(Duration.ofSeconds(10));

        List<ReconciliationEvent> events = h.events();
        assertThat(events)
                .extracting(ReconciliationEvent::type)
                .containsExactly(OPEN_TRANSACTION_AT_BOOT, UNRESOLVED_AFTER_GRACE);
        ReconciliationEvent unresolved = events.get(1);
        assertThat(unresolved.transactionIds()).containsExactly("7");
        assertThat(unresolved.lastMeterValue()).isEqualTo(1100.0);
        assertThat(unresolved.lastMeterAt()).isEqualTo(at("10:05"));
        assertThat(unresolved.transactions())
                .singleElement()
                .satisfies(t -> assertThat(t.meterStart()).isEqualTo(1000.0));
        assertThat(h.tx("7").status()).as("never auto-closed").isEqualTo(Status.OPEN);
    }

    @Test
    void x6_stopRetriedTwiceWithNewMessageIdsChangesNothing() {
        x1();
        h.meter("7", "10:05", 1100);
        h.stop("7", 1200, "10:10");
        TransactionState stopped = h.tx("7");

        h.stop("7", 1200, "10:10");
        h.stop("7", 1200, "10:10");

        assertThat(h.tx("7")).isEqualTo(stopped);
        assertThat(h.duplicates("stop")).isEqualTo(2);
        assertThat(h.events()).isEmpty();
    }

    @Test
    void x7_identicalStartRetryAnsweredWithTheSameIdIsOneTransaction() {
        x1();
        h.start(1, "T", "10:00", 1000, "7");

        assertThat(h.transactions()).hasSize(1);
        assertThat(h.tx("7").status()).isEqualTo(Status.OPEN);
        assertThat(h.duplicates("start")).isEqualTo(1);
        assertThat(h.events()).isEmpty();
    }

    @Test
    void x8_startRetryAnsweredWithAnotherIdIsAConflictingDuplicate() {
        x1();
        h.start(1, "T", "10:00", 1000, "8");

        List<ReconciliationEvent> events = h.events();
        assertThat(events).extracting(ReconciliationEvent::type).containsExactly(CONFLICTING_DUPLICATE);
        assertThat(events.get(0).transactionIds()).containsExactly("7", "8");
        assertThat(h.tx("8").status()).as("the charge point holds the newer id").isEqualTo(Status.OPEN);
        assertThat(h.tx("7").status()).isEqualTo(Status.SUSPECT);
    }

    @Test
    void x9_stopWithMinusOneClosesTheOneStartThatNeverGotAnId() {
        String startMessage = h.start(1, "T", "10:00", 1000, null);
        h.stop("-1", 1300, "10:30");

        String id = TrackedTransaction.UNANSWERED_PREFIX + startMessage;
        TransactionState tx = h.tx(id);
        assertThat(tx.status()).isEqualTo(Status.STOPPED);
        assertThat(tx.energyWh()).isEqualTo(300.0);
        assertThat(h.events()).isEmpty();

        h.stop("-1", 1300, "10:30");
        assertThat(h.duplicates("stop")).as("its retry").isEqualTo(1);
    }

    @Test
    void x9_stopWithMinusOneAndNoOrSeveralCandidatesIsAStopForAnUnknownTransaction() {
        h.stop("-1", 1300, "10:30");
        assertThat(h.eventTypes()).containsExactly(STOP_FOR_UNKNOWN_TRANSACTION);
        assertThat(h.events().get(0).details().path("meterStop").asDouble()).isEqualTo(1300.0);

        h.start(1, "T", "11:00", 2000, null);
        h.start(2, "U", "11:01", 3000, null);
        h.stop("-1", 3500, "11:30");
        assertThat(h.eventTypes()).containsExactly(STOP_FOR_UNKNOWN_TRANSACTION, STOP_FOR_UNKNOWN_TRANSACTION);
        assertThat(h.events().get(1).details().path("openTransactionsWithoutId").asInt())
                .isEqualTo(2);
        assertThat(h.transactions().values())
                .extracting(TransactionState::status)
                .containsOnly(Status.OPEN);
    }

    @Test
    void x10_bootWithNothingOpenRaisesNothing() {
        x1();
        h.stop("7", 1200, "10:10");
        h.on("s2", "edge-gateway-0");
        h.boot();
        h.advance(GRACE.plusMinutes(1));

        assertThat(h.events()).isEmpty();
    }

    @Test
    void x11_stopForATransactionNeverSeenIsReportedOnce() {
        h.stop("99", 500, "10:10");
        h.stop("99", 500, "10:10");

        List<ReconciliationEvent> events = h.events();
        assertThat(events).extracting(ReconciliationEvent::type).containsExactly(STOP_FOR_UNKNOWN_TRANSACTION);
        assertThat(events.get(0).transactionIds()).containsExactly("99");
        assertThat(events.get(0).details().path("timestamp").asText())
                .isEqualTo(at("10:10").toString());
        assertThat(h.transactions()).isEmpty();
    }

    @Test
    void x12_repeatedSeqNoIsOneUpdate() {
        h.version("ocpp2.0.1");
        h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
        h.txEvent("a", "Updated", 1, "10:01", false, "MeterValuePeriodic", 100.0);
        TransactionState once = h.tx("a");
        h.txEvent("a", "Updated", 1, "10:01", false, "MeterValuePeriodic", 100.0);

        assertThat(h.tx("a")).isEqualTo(once);
        assertThat(once.meterSamples()).isEqualTo(2);
        assertThat(once.lastSeqNo()).isEqualTo(1);
        assertThat(h.duplicates("event")).isEqualTo(1);
        assertThat(h.events()).isEmpty();
    }

    @Test
    void x13_aSeqNoHoleIsReportedAfterTheGraceWindowNotAtOnce() {
        h.version("ocpp2.0.1");
        h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
        h.txEvent("a", "Updated", 1, "10:01", false, "MeterValuePeriodic", 100.0);
        h.txEvent("a", "Updated", 3, "10:03", false, "MeterValuePeriodic", 300.0);
        h.txEvent("a", "Ended", 4, "10:04", false, "EVDeparted", 400.0);
        assertThat(h.events()).as("not at once").isEmpty();

        h.advance(GRACE.plusSeconds(2));

        List<ReconciliationEvent> events = h.events();
        assertThat(events).extracting(ReconciliationEvent::type).containsExactly(SEQUENCE_GAP);
        assertThat(events.get(0).details().path("missingSeqNos"))
                .extracting(n -> n.asInt())
                .containsExactly(2);
        assertThat(h.tx("a").status()).isEqualTo(Status.STOPPED);
        h.advance(GRACE.plusSeconds(2));
        assertThat(h.events()).hasSize(1);
    }

    @Test
    void x14_aHoleFilledByALateOfflineMessageWithinTheWindowIsNoGap() {
        h.version("ocpp2.0.1");
        h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
        h.txEvent("a", "Updated", 1, "10:01", false, "MeterValuePeriodic", 100.0);
        h.txEvent("a", "Updated", 3, "10:03", false, "MeterValuePeriodic", 300.0);
        h.txEvent("a", "Ended", 4, "10:04", false, "EVDeparted", 400.0);
        // the hole appeared at 10:03: its window ends at 10:08
        h.advanceTo(at("10:07:50"));
        h.txEvent("a", "Updated", 2, "10:02", true, "MeterValuePeriodic", 200.0);

        h.advance(GRACE.plusMinutes(1));

        assertThat(h.events()).isEmpty();
        assertThat(h.tx("a").meterSamples()).isEqualTo(5);
    }

    @Test
    void x15_bootThenAnOfflineEndedWithinGraceResolvesAsStopped() {
        h.version("ocpp2.0.1");
        h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
        h.on("s2", "edge-gateway-1");
        h.advanceTo(at("10:20"));
        h.boot();
        h.txEvent("a", "Ended", 5, "10:10", true, "PowerLoss", 900.0);

        List<ReconciliationEvent> events = h.events();
        assertThat(events)
                .extracting(ReconciliationEvent::type)
                .containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_STOPPED);
        assertThat(events.get(0).transactionIds()).containsExactly("a");
        assertThat(h.tx("a").status()).isEqualTo(Status.STOPPED);
        assertThat(h.tx("a").energyWh()).isEqualTo(900.0);
    }

    @Test
    void x16_bootThenTxResumedResolvesAsResumed() {
        h.version("ocpp2.1");
        h.txEvent("a", "Started", 0, "10:00", false, "Authorized", 0.0);
        h.on("s2", "edge-gateway-1");
        h.advanceTo(at("10:20"));
        h.boot();
        // The charge point's clock may be behind after a reboot: the trigger reason says enough.
        h.txEvent("a", "Updated", 1, "10:00:30", false, "TxResumed", 50.0);

        assertThat(h.eventTypes()).containsExactly(OPEN_TRANSACTION_AT_BOOT, RESOLVED_RESUMED);
        assertThat(h.tx("a").status()).isEqualTo(Status.OPEN);
    }

    @Test
    void x17_noSampleForMoreThanThreeIntervalsIsOneMeterGap() {
        x1();
        for (int minute = 1; minute <= 4; minute++) {
            h.meter("7", "10:0" + minute, 1000 + minute * 10);
        }
        h.advance(Duration.ofSeconds(3 * 60 - 10));
        assertThat(h.events()).as("three intervals not yet passed").isEmpty();

        h.advance(Duration.ofSeconds(20));
        List<ReconciliationEvent> events = h.events();
        assertThat(events).extracting(ReconciliationEvent::type).containsExactly(METER_GAP);
        assertThat(events.get(0).details().path("lastSampleAt").asText())
                .isEqualTo(at("10:04").toString());
        assertThat(events.get(0).details().path("observedIntervalSeconds").asDouble())
                .isEqualTo(60.0);

        h.advance(Duration.ofMinutes(10));
        h.meter("7", "10:20", 1200);
        h.meter("7", "10:21", 1210);
        assertThat(h.eventTypes()).as("one event for that gap").containsExactly(METER_GAP);
    }

    @Test
    void x18_reconnectToAnotherPodWithoutBootIsNoEventAndListsBothSessions() {
        x1();
        h.on("s2", "edge-gateway-1");
        h.heartbeat();
        h.meter("7", "10:05", 1100);

        h.advance(GRACE.plusMinutes(1));
        assertThat(h.eventTypes()).doesNotContain(OPEN_TRANSACTION_AT_BOOT, UNRESOLVED_AFTER_GRACE, RESOLVED_RESUMED);
        assertThat(h.tx("7").sessions()).containsExactly("s1", "s2");
        assertThat(h.tx("7").pods()).containsExactly("edge-gateway-0", "edge-gateway-1");
    }

    @Test
    void x19_anotherStartOnTheSameConnectorMakesTheOpenOneSuspect() {
        x1();
        h.start(1, "U", "10:30", 1500, "8");

        List<ReconciliationEvent> events = h.events();
        assertThat(events).extracting(ReconciliationEvent::type).containsExactly(DUPLICATE_START);
        assertThat(events.get(0).transactionIds()).containsExactly("7", "8");
        assertThat(h.tx("7").status()).isEqualTo(Status.SUSPECT);
        assertThat(h.tx("8").status()).isEqualTo(Status.OPEN);
    }
}
