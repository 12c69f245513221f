package io.ocppgw.route;

import static io.ocppgw.topics.records.Command.OfflinePolicy.FAIL_FAST;
import static io.ocppgw.topics.records.Command.OfflinePolicy.QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules of issue #5 beyond the vectors: validation, STOPPED pods, limits, sent commands on dead pods, expiry at the edge. */
class RouteRulesTest {

    private final RouterHarness h = new RouterHarness(new RouteSettings(TopicNames.unprefixed(), 3, Duration.ofHours(1), 1024, 2,
            Duration.ofSeconds(1), Duration.ofDays(7)));

    @AfterEach
    void close() {
        h.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing-id", "long-id", "other-key", "no-action", "array-payload", "big-payload", "no-policy", "impossible-identity"})
    void shouldRejectInvalidCommandsAtOnce(String flaw) {
        h.connected("A", "s1", "p0", 10);
        var payload = JsonNodeFactory.instance.objectNode().put("type", "Soft");
        Command c = switch (flaw) {
            case "missing-id" -> new Command(null, "A", Command.Kind.CALL, "Reset", payload, Instant.now(), null, null, QUEUE, null, null, null);
            case "long-id" -> new Command("x".repeat(37), "A", Command.Kind.CALL, "Reset", payload, Instant.now(), null, null, QUEUE, null, null, null);
            case "other-key" -> new Command("k1", "B", Command.Kind.CALL, "Reset", payload, Instant.now(), null, null, QUEUE, null, null, null);
            case "no-action" -> new Command("k2", "A", Command.Kind.CALL, null, payload, Instant.now(), null, null, QUEUE, null, null, null);
            case "array-payload" -> new Command("k3", "A", Command.Kind.CALL, "Reset", JsonNodeFactory.instance.arrayNode(), Instant.now(),
                    null, null, QUEUE, null, null, null);
            case "big-payload" -> new Command("k4", "A", Command.Kind.CALL, "DataTransfer",
                    JsonNodeFactory.instance.objectNode().put("vendorId", "v").put("data", "d".repeat(2000)), Instant.now(), null, null, QUEUE,
                    null, null, null);
            case "impossible-identity" -> new Command("k6", "A:1", Command.Kind.CALL, "Reset", payload, Instant.now(), null, null, QUEUE,
                    null, null, null);
            default -> new Command("k5", "A", Command.Kind.CALL, "Reset", payload, Instant.now(), null, null, null, null, null, null);
        };

        h.rawCommand(c.chargePointId() != null && c.chargePointId().contains(":") ? c.chargePointId() : "A", c);

        assertThat(h.results()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.REJECTED));
        assertThat(h.down()).isEmpty();
    }

    @Test
    void shouldRejectAPayloadTheChargePointsVersionWouldRefuse() {
        h.connected("A", "s1", "p0", 10, "ocpp2.0.1");
        h.command("bad", "A", QUEUE, 60, "Reset", JsonNodeFactory.instance.objectNode().put("type", "Soft"));

        assertThat(h.results()).singleElement().satisfies(r -> assertThat(r.reason()).startsWith("SCHEMA"));
    }

    @Test
    void shouldTreatAStoppedPodAsOffline() {
        h.connected("A", "s1", "p0", 10);
        h.lease("p0", PodLease.State.STOPPED, 0, 60);
        h.command("c1", "A", FAIL_FAST, 60);

        assertThat(h.results()).singleElement().satisfies(r -> assertThat(r.reason()).startsWith("OFFLINE"));
    }

    @Test
    void shouldReportASentCommandOnAPodWhoseLeaseExpiredAsConnectionLost() {
        h.lease("p0", PodLease.State.READY, 0, 15);
        h.connected("A", "s1", "p0", 10);
        h.command("c1", "A", QUEUE, 300);
        h.report("c1", "A", DeliveryReport.Status.SENT, 1);
        h.advance(Duration.ofSeconds(20));

        assertThat(h.results()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.CONNECTION_LOST));
    }

    @Test
    void shouldReportACommandAsConnectionLostWhenItsPodsSentReportIsReadOnlyAfterThePodWasDeclaredDead() {
        // Found by bench failover: the pod sent the command and died; its lease expired (the command was
        // parked for the charge point's return) before route-streams read the pod's SENT report.
        h.lease("p0", PodLease.State.READY, 0, 15);
        h.connected("A", "s1", "p0", 10);
        h.command("c1", "A", QUEUE, 60);
        h.advance(Duration.ofSeconds(20));
        assertThat(h.results()).isEmpty();

        h.report("c1", "A", DeliveryReport.Status.SENT, 1);

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.CONNECTION_LOST);
            assertThat(r.reason()).contains("p0");
        });
        h.advance(Duration.ofSeconds(120));
        assertThat(h.results()).as("one outcome, not a second at the TTL").isEmpty();
    }

    @Test
    void shouldBoundOpenCommandsPerChargePoint() {
        h.command("c1", "B", QUEUE, 60);
        h.command("c2", "B", QUEUE, 60);
        h.command("c3", "B", QUEUE, 60);

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.commandId()).isEqualTo("c3");
            assertThat(r.reason()).startsWith("TOO_MANY_OPEN_COMMANDS");
        });
    }

    @Test
    void shouldFreeAPlaceInTheBoundWhenACommandFinishes() {
        h.connected("B", "s1", "p0", 10);
        h.command("c1", "B", QUEUE, 60);
        h.command("c2", "B", QUEUE, 60);
        h.report("c1", "B", DeliveryReport.Status.RESPONSE, 1);
        h.command("c3", "B", QUEUE, 60);

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.commandId()).isEqualTo("c1");
            assertThat(r.status()).isEqualTo(CommandResult.Status.COMPLETED);
        });
        assertThat(h.down()).extracting(d -> d.command().commandId()).containsExactly("c1", "c2", "c3");
    }

    @Test
    void shouldSendParkedCommandsInTheOrderTheyWereWrittenNotByTheirIds() {
        for (String id : List.of("z", "a")) { // two: this harness bounds open commands at 2
            h.command(id, "A", QUEUE, 60);
        }
        h.connected("A", "s1", "p0", 10);

        assertThat(h.down()).extracting(d -> d.command().commandId()).containsExactly("z", "a");
    }

    @Test
    void shouldTurnTheEdgesExpiredRejectionIntoExpiredAndIgnoreReportsOfEarlierAttempts() {
        h.connected("A", "s1", "p0", 10);
        h.command("c1", "A", QUEUE, 60);
        h.report("c1", "A", DeliveryReport.Status.NOT_CONNECTED, 1);
        h.connected("A", "s2", "p1", 20);
        h.report("c1", "A", DeliveryReport.Status.TIMEOUT, 1); // a late report of attempt 1
        assertThat(h.results()).isEmpty();

        Instant now = Instant.now();
        h.driver.createInputTopic("command-status", new org.apache.kafka.common.serialization.StringSerializer(),
                io.ocppgw.topics.records.JsonSerde.of(DeliveryReport.class)).pipeInput("A", new DeliveryReport("c1", "A", "p1", "s2", 2,
                DeliveryReport.Status.REJECTED, null, null, "EXPIRED", now), now);

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.EXPIRED);
            assertThat(r.reason()).isEqualTo("TTL");
            assertThat(r.attempts()).isEqualTo(2);
        });
        assertThat(h.down()).filteredOn(r -> r.type() == RoutedCommand.Type.COMMAND).hasSize(2);
    }
}
