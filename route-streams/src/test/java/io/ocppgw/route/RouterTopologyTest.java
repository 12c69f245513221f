package io.ocppgw.route;

import static io.ocppgw.topics.records.Command.OfflinePolicy.QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.RoutedCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole topology on a TopologyTestDriver, for what the rules' unit tests cannot show: records
 * that are no records at all, the stores and what is kept in memory across a restart, the sinks.
 */
class RouterTopologyTest {

    private static final TopicNames T = TopicNames.unprefixed();
    private RouterHarness h = new RouterHarness();

    @AfterEach
    void close() {
        h.close();
    }

    /** Bytes that are no record of any input, for each input topic. */
    static Stream<Arguments> badRecords() {
        String events = "{\"type\":\"CONNECTED\",\"chargePointId\":\"A\",\"podId\":\"p0\",\"sessionId\":\"s0\","
                + "\"connectedAt\":\"2026-11-25T09:00:00Z\",\"at\":\"2026-11-25T09:00:00Z\"}";
        return Stream.of(
                Arguments.of(T.name(Topic.CP_CONNECTIONS), "A", "raw bytes", new byte[] {0, 1, 2, (byte) 0xff}),
                Arguments.of(
                        T.name(Topic.CP_CONNECTIONS),
                        "A",
                        "half JSON",
                        "{\"type\":\"CONNEC".getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        T.name(Topic.CP_CONNECTIONS),
                        "A",
                        "an unknown enum value",
                        events.replace("CONNECTED", "RECONNECTED").getBytes(StandardCharsets.UTF_8)),
                Arguments.of(T.name(Topic.CP_CONNECTIONS), null, "a null key", events.getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        T.name(Topic.CP_CONNECTIONS),
                        "A",
                        "a missing field",
                        events.replace("\"sessionId\":\"s0\",", "").getBytes(StandardCharsets.UTF_8)),
                Arguments.of(T.name(Topic.COMMANDS), "A", "raw bytes", new byte[] {0, 1, 2, (byte) 0xff}),
                Arguments.of(
                        T.name(Topic.COMMANDS),
                        "A",
                        "half JSON",
                        "{\"commandId\":\"x".getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        T.name(Topic.COMMANDS),
                        "A",
                        "nested 100,000 deep",
                        ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        T.name(Topic.COMMANDS),
                        "A",
                        "JSON without ids",
                        "{\"kind\":\"CALL\"}".getBytes(StandardCharsets.UTF_8)),
                Arguments.of(T.name(Topic.COMMAND_STATUS), "A", "raw bytes", new byte[] {0, 1, 2, (byte) 0xff}),
                Arguments.of(
                        T.name(Topic.COMMAND_STATUS),
                        "A",
                        "half JSON",
                        "{\"commandId\":\"x".getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        T.name(Topic.COMMAND_STATUS),
                        "A",
                        "an unknown enum value",
                        "{\"commandId\":\"c\",\"chargePointId\":\"A\",\"status\":\"DELIVERED\"}"
                                .getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        T.name(Topic.COMMAND_STATUS),
                        null,
                        "a null key",
                        "{\"commandId\":\"c\",\"chargePointId\":\"A\",\"status\":\"SENT\"}"
                                .getBytes(StandardCharsets.UTF_8)),
                Arguments.of(T.name(Topic.GATEWAY_PODS), "p0", "raw bytes", new byte[] {0, 1, 2, (byte) 0xff}),
                Arguments.of(
                        T.name(Topic.GATEWAY_PODS),
                        "p0",
                        "an unknown enum value",
                        "{\"podId\":\"p0\",\"state\":\"SLEEPING\",\"renewedAt\":\"2026-11-25T09:00:00Z\",\"expiresAt\":\"2026-11-25T09:00:10Z\"}"
                                .getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        T.name(Topic.GATEWAY_PODS),
                        "p0",
                        "a missing field",
                        "{\"podId\":\"p0\",\"state\":\"READY\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badRecords")
    void shouldDeadLetterABadRecordAndCompleteTheNextCommandOfThePartition(
            String topic, String key, String what, byte[] value) {
        h.raw(topic, key, value);

        completeOneCommand("after-" + what.replace(' ', '-').replace(",", ""));
        if (topic.equals(T.name(Topic.GATEWAY_PODS))) {
            // a global store is kept by a thread without a producer: a bad lease is counted, logged and skipped
            assertThat(h.driver.getKeyValueStore(StoreNames.LEASES).get("p0")).isNull();
        } else {
            assertThat(h.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.topic()).isEqualTo(topic);
                assertThat(d.value()).isEqualTo(value);
            });
        }
        assertThat(h.counter("ocppgw_bad_records")).isEqualTo(1);
    }

    @Test
    void shouldRejectACommandWhoseIdsCanBeReadButNotTheRestAndCompleteTheNextOne() {
        h.raw(
                T.name(Topic.COMMANDS),
                "A",
                ("{\"commandId\":\"c-new\",\"chargePointId\":\"A\",\"kind\":\"CALL\",\"action\":\"Reset\","
                                + "\"payload\":{},\"offlinePolicy\":\"WHENEVER\"}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.commandId()).isEqualTo("c-new");
            assertThat(r.status()).isEqualTo(CommandResult.Status.REJECTED);
            assertThat(r.reason()).isEqualTo(Reason.INVALID);
            assertThat(r.description()).contains("offlinePolicy");
        });
        completeOneCommand("next");
        assertThat(h.deadLetters()).isEmpty();
    }

    @Test
    void shouldRejectACommandWithoutAKeyButReadableIds() {
        h.rawCommand(
                null,
                new Command(
                        "c-nokey",
                        "A",
                        Command.Kind.CALL,
                        "Reset",
                        JsonNodeFactory.instance.objectNode().put("type", "Soft"),
                        Instant.now(),
                        null,
                        null,
                        QUEUE,
                        null,
                        null,
                        null));

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(Reason.INVALID);
            assertThat(r.description()).contains("no key");
        });
    }

    @Test
    void shouldMoveACommandFromTheWrongPartitionOntoItsKeysPartition() {
        h.close();
        h = new RouterHarness(
                RouteSettings.defaults(T).withCommandPartitions(8)); // the driver reads everything from partition 0
        String cp = Stream.iterate(0, i -> i + 1)
                .map(i -> "CP-" + i)
                .filter(id -> io.ocppgw.topics.ChargePointPartitions.of(id, 8) != 0)
                .findFirst()
                .orElseThrow();

        h.command("c1", cp, QUEUE, 60);

        assertThat(h.rekeyed())
                .singleElement()
                .satisfies(c -> assertThat(c.commandId()).isEqualTo("c1"));
        assertThat(h.counter("ocppgw_route_events", "event", "rekeyed")).isEqualTo(1);
        // the driver feeds it back on its one partition, where it still does not belong: moved once, it is refused,
        // never looped
        assertThat(h.results())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(Reason.WRONG_PARTITION));
        assertThat(h.rekeyed()).isEmpty();
    }

    @Test
    void shouldSendParkedCommandsInTheOrderTheyWereWrittenNotByTheirIds() {
        for (String id : List.of("z", "a", "m")) {
            h.command(id, "A", QUEUE, 60);
        }
        h.connected("A", "s1", "p0", 10);

        assertThat(h.down()).extracting(d -> d.command().commandId()).containsExactly("z", "a", "m");
    }

    @Test
    void shouldRouteParkedCommandsWhenAPausedPodRenewsItsLease() {
        h.lease("p0", PodLease.State.READY, 0, 15);
        h.connected("A", "s1", "p0", 1);
        h.advance(Duration.ofSeconds(20)); // the pod is silent: its lease lapsed, its sockets may well be open
        h.command("c1", "A", QUEUE, 300);
        assertThat(h.down()).isEmpty();

        h.lease("p0", PodLease.State.READY, 21, 15);
        h.advance(Duration.ofSeconds(2));

        assertThat(h.down())
                .singleElement()
                .satisfies(d -> assertThat(d.sessionId()).isEqualTo("s1"));
    }

    @Test
    void shouldEndTheSentCommandsOfAPodThatRestartedUnderTheSameId() {
        h.lease("p0", PodLease.State.READY, 0, 15, "inc-1");
        h.connected("A", "s1", "p0", 1, "ocpp1.6", "inc-1");
        h.command("c1", "A", QUEUE, 300);
        h.report("c1", "A", DeliveryReport.Status.SENT, 1);
        h.advance(Duration.ofSeconds(3));
        h.lease("p0", PodLease.State.STARTING, 3, 15, "inc-2");
        h.advance(Duration.ofSeconds(2));

        assertThat(h.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(CommandResult.Status.CONNECTION_LOST);
            assertThat(r.reason()).isEqualTo(Reason.POD_LOST);
        });
    }

    @Test
    void shouldWriteEachRoutedCommandOnceWithTheRoutesIncarnation() {
        h.connected("A", "s1", "p0", 10);
        h.command("c1", "A", QUEUE, 60);

        assertThat(h.down()).singleElement().satisfies(d -> {
            assertThat(d.type()).isEqualTo(RoutedCommand.Type.COMMAND);
            assertThat(d.incarnation()).isEqualTo("inc-p0");
            assertThat(d.deadline()).isNotNull();
        });
        assertThat(h.counter("ocppgw_route_store_writes", "store", StoreNames.LEDGER))
                .isEqualTo(1);
    }

    /** A connection, a command, its SENT and RESPONSE: it must complete whatever came before on the partition. */
    private void completeOneCommand(String id) {
        h.connected("A", "s1", "p0", 10);
        h.command(id, "A", QUEUE, 60);
        h.report(id, "A", DeliveryReport.Status.SENT, 1);
        h.report(id, "A", DeliveryReport.Status.RESPONSE, 1);
        assertThat(h.results())
                .filteredOn(r -> r.commandId().equals(id))
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(CommandResult.Status.COMPLETED));
    }
}
