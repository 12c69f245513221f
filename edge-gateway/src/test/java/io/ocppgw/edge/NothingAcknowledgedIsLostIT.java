package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.FleetStats;
import io.ocppgw.simulator.SimulatedChargePoint;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated firmware (1.6 and 2.0.1) against an edge pod on a broker in its own process: every
 * message a charge point considers delivered is in the journal, in wire order, with its answer —
 * also across a broker that dies and comes back while transactions go on.
 */
class NothingAcknowledgedIsLostIT {

    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        timers.shutdownNow();
    }

    @Test
    void shouldJournalEveryAcknowledgedMessageInWireOrderWithItsAnswer(@TempDir Path dir) throws Exception {
        EmbeddedKafkaProcess broker =
                EmbeddedKafkaProcess.start(0, dir, false, EmbeddedKafkaProcess.defaultJvmOptions());
        toClose.add(broker);
        EdgeFixture edge =
                EdgeFixture.start(broker.bootstrapServers(), Map.of("OCPPGW_RESPONDERS", "StartTransaction=sequence"));
        toClose.add(edge);
        List<SimulatedChargePoint> fleet = fleet(edge, 4);
        fleet.forEach(SimulatedChargePoint::start);
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stream().allMatch(SimulatedChargePoint::isOnline));

        for (SimulatedChargePoint cp : fleet) {
            var tx = cp.startTransaction(1, "TAG-" + cp.identity(), 1000);
            for (int i = 1; i <= 3; i++) {
                cp.meterValue(tx, 1000 + 100L * i);
            }
            cp.stopTransaction(tx, 1400);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stream().allMatch(cp -> cp.queued() == 0));

        assertEveryDeliveredMessageIsJournaledInOrder(edge, fleet, 5);
    }

    @Test
    void shouldResendQueuedTransactionMessagesAfterABrokerOutageAndLoseNone(@TempDir Path dir) throws Exception {
        int port = FreePorts.loopback();
        EmbeddedKafkaProcess broker =
                EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions());
        EdgeFixture edge = EdgeFixture.start(
                broker.bootstrapServers(),
                Map.of("OCPPGW_RESPONDERS", "StartTransaction=sequence", "OCPPGW_ANSWER_BUDGET", "PT2S"));
        toClose.add(edge);
        List<SimulatedChargePoint> fleet = fleet(edge, 4);
        fleet.forEach(SimulatedChargePoint::start);
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stream().allMatch(SimulatedChargePoint::isOnline));
        List<SimulatedChargePoint.LocalTransaction> txs = new ArrayList<>();
        for (SimulatedChargePoint cp : fleet) {
            SimulatedChargePoint.LocalTransaction tx = cp.startTransaction(1, "TAG", 1000);
            txs.add(tx);
            cp.meterValue(tx, 1100);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stream().allMatch(cp -> cp.queued() == 0));

        broker.kill();
        for (int i = 0; i < fleet.size(); i++) {
            fleet.get(i).meterValue(txs.get(i), 1200);
            fleet.get(i).meterValue(txs.get(i), 1300);
            fleet.get(i).stopTransaction(txs.get(i), 1350);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stream().noneMatch(SimulatedChargePoint::isOnline));
        assertThat(fleet).allMatch(cp -> cp.queued() > 0);

        broker = EmbeddedKafkaProcess.start(port, dir, true, EmbeddedKafkaProcess.defaultJvmOptions());
        toClose.add(0, broker);
        await().atMost(Duration.ofSeconds(90)).until(() -> fleet.stream().allMatch(cp -> cp.queued() == 0));

        assertThat(fleet).allMatch(cp -> cp.droppedAfterAttempts() == 0);
        assertEveryDeliveredMessageIsJournaledInOrder(edge, fleet, 5);
    }

    private List<SimulatedChargePoint> fleet(EdgeFixture edge, int n) {
        FleetStats stats = new FleetStats();
        List<SimulatedChargePoint> fleet = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            OcppVersion version = i % 2 == 0 ? OcppVersion.OCPP_1_6 : OcppVersion.OCPP_2_0_1;
            SimulatedChargePoint cp = new SimulatedChargePoint(
                    SimulatedChargePoint.Settings.of(edge.url(), "SIM-" + i, version)
                            .withReconnect(Duration.ofMillis(200), Duration.ofSeconds(2)),
                    timers,
                    stats,
                    Clock.systemUTC());
            fleet.add(cp);
            toClose.add(cp);
        }
        return fleet;
    }

    /** For each charge point: its delivered messages are journaled as CALL then CALLRESULT, in the order delivered. */
    private static void assertEveryDeliveredMessageIsJournaledInOrder(
            EdgeFixture edge, List<SimulatedChargePoint> fleet, int perCp) {
        List<JournalEntry> journal = edge.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream()
                .map(ConsumerRecord::value)
                .toList();
        for (SimulatedChargePoint cp : fleet) {
            List<SimulatedChargePoint.Delivered> delivered = cp.delivered();
            assertThat(delivered).as(cp.identity()).hasSize(perCp);
            List<JournalEntry> mine = journal.stream()
                    .filter(e -> e.chargePointId().equals(cp.identity()))
                    .toList();
            List<String> answeredCalls = new ArrayList<>();
            for (JournalEntry e : mine) {
                if (e.direction() == Direction.TO_CP
                        && "CALLRESULT".equals(e.messageType())
                        && isTransactionMessage(e.action())) {
                    answeredCalls.add(e.messageId());
                }
            }
            assertThat(answeredCalls)
                    .as("answers journaled in the order the charge point got them")
                    .containsSubsequence(delivered.stream()
                            .map(SimulatedChargePoint.Delivered::messageId)
                            .toList());
            for (SimulatedChargePoint.Delivered d : delivered) {
                int call = indexOf(mine, d.messageId(), Direction.FROM_CP, "CALL");
                int result = indexOf(mine, d.messageId(), Direction.TO_CP, "CALLRESULT");
                assertThat(call)
                        .as("%s %s journaled", cp.identity(), d.action())
                        .isNotNegative();
                assertThat(result).as("its answer journaled after it").isGreaterThan(call);
                // compared as JSON text: the same number may be an int or a long node after a round trip
                assertThat(mine.get(call).payload().toString())
                        .isEqualTo(d.request().toString());
                assertThat(mine.get(result).payload().toString())
                        .isEqualTo(d.answer().toString());
            }
        }
    }

    private static boolean isTransactionMessage(String action) {
        return List.of("StartTransaction", "MeterValues", "StopTransaction", "TransactionEvent")
                .contains(action);
    }

    private static int indexOf(List<JournalEntry> entries, String messageId, Direction direction, String type) {
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry e = entries.get(i);
            if (messageId.equals(e.messageId()) && e.direction() == direction && type.equals(e.messageType())) {
                return i;
            }
        }
        return -1;
    }
}
