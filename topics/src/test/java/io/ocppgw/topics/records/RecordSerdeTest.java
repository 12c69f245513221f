package io.ocppgw.topics.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordSerdeTest {

    private static final Instant T = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final JsonNode PAYLOAD = JsonNodeFactory.instance
            .objectNode()
            .put("idTag", "TAG-1")
            .set("nested", JsonNodeFactory.instance.arrayNode().add(1).add("x"));

    static Stream<Object> records() {
        TransactionState tx = new TransactionState(
                "CP-1",
                "7",
                "ocpp1.6",
                1,
                "TAG-1",
                TransactionState.Status.OPEN,
                T,
                1000.0,
                T,
                1100.0,
                1,
                T,
                1100.0,
                100.0,
                null,
                List.of("s1"),
                List.of("edge-gateway-0"),
                T,
                "EVDisconnected",
                null,
                1,
                1105.0,
                T.plusSeconds(60));
        Command call = new Command(
                "c-1",
                "CP-1",
                Command.Kind.CALL,
                "Reset",
                PAYLOAD,
                T,
                null,
                Duration.ofSeconds(60),
                Command.OfflinePolicy.QUEUE,
                Duration.ofSeconds(30),
                null,
                null);
        return Stream.of(
                new ConnectionEvent(
                        ConnectionEvent.Type.CONNECTED,
                        "CP-1",
                        "edge-gateway-0",
                        0,
                        "s1",
                        T,
                        T,
                        "ocpp1.6",
                        "127.0.0.1:5000",
                        null,
                        "inc-1"),
                new PodLease("edge-gateway-0", 0, PodLease.State.READY, T, T.plusSeconds(15), "0.1.0", "inc-1"),
                new JournalEntry(
                        "CP-1",
                        "edge-gateway-0",
                        "s1",
                        "ocpp1.6",
                        Direction.FROM_CP,
                        "CALL",
                        "m1",
                        "Authorize",
                        PAYLOAD,
                        null,
                        T),
                new JournalEntry(
                        "CP-1",
                        "edge-gateway-0",
                        "s1",
                        "ocpp2.0.1",
                        Direction.TO_CP,
                        "CALLERROR",
                        "m2",
                        "Reset",
                        null,
                        new ErrorInfo("NotSupported", "no", JsonNodeFactory.instance.objectNode()),
                        T),
                call,
                new Command(
                        "r-1",
                        "CP-1",
                        Command.Kind.REPLY,
                        "Authorize",
                        PAYLOAD,
                        T,
                        T.plusSeconds(5),
                        null,
                        null,
                        null,
                        new Command.ReplyTo("s1", "m1"),
                        null),
                new RoutedCommand(
                        RoutedCommand.Type.COMMAND,
                        "CP-1",
                        "edge-gateway-0",
                        0,
                        "s1",
                        1,
                        T,
                        call,
                        "inc-1",
                        T.plusSeconds(60),
                        Duration.ofSeconds(30),
                        "ocpp1.6",
                        null),
                new RoutedCommand(
                        RoutedCommand.Type.SUPERSEDED,
                        "CP-1",
                        "edge-gateway-0",
                        0,
                        "s1",
                        0,
                        T,
                        null,
                        "inc-1",
                        null,
                        null,
                        null,
                        null),
                new DeliveryReport(
                        "c-1",
                        "CP-1",
                        "edge-gateway-0",
                        "inc-1",
                        "s1",
                        1,
                        Command.Kind.CALL,
                        DeliveryReport.Status.RESPONSE,
                        PAYLOAD,
                        null,
                        null,
                        null,
                        T),
                new DeliveryReport(
                        "c-1",
                        "CP-1",
                        "edge-gateway-0",
                        "inc-1",
                        "s1",
                        1,
                        Command.Kind.CALL,
                        DeliveryReport.Status.NOT_CONNECTED,
                        null,
                        null,
                        Reason.NO_SESSION,
                        "session s1 is not on pod edge-gateway-0",
                        T),
                new CommandResult(
                        "c-1",
                        "CP-1",
                        CommandResult.Status.COMPLETED,
                        null,
                        null,
                        PAYLOAD,
                        null,
                        1,
                        "edge-gateway-0",
                        "s1",
                        T,
                        T,
                        T,
                        T,
                        false),
                new CommandResult(
                        "c-2",
                        "CP-1",
                        CommandResult.Status.EXPIRED,
                        Reason.OFFLINE,
                        "the charge point is not connected",
                        null,
                        null,
                        0,
                        null,
                        null,
                        T,
                        null,
                        null,
                        T,
                        false),
                tx,
                new ReconciliationEvent(
                        "e-1",
                        ReconciliationEvent.Type.OPEN_TRANSACTION_AT_BOOT,
                        "CP-1",
                        List.of("7"),
                        List.of(tx),
                        1100.0,
                        T,
                        T,
                        "s1",
                        "edge-gateway-0",
                        "s2",
                        "edge-gateway-1",
                        null,
                        T),
                new TransactionIdMarker("CP-1", "edge-gateway-0", "s1", "m9", T));
    }

    @ParameterizedTest
    @MethodSource("records")
    @SuppressWarnings("unchecked")
    void shouldRoundTripEveryRecordWithItsSchemaVersion(Object record) throws Exception {
        JsonSerde<Object> serde = (JsonSerde<Object>) (JsonSerde<?>) JsonSerde.of(record.getClass());

        byte[] bytes = serde.serialize("t", record);

        assertThat(serde.deserialize("t", bytes)).isEqualTo(record);
        assertThat(JsonSerde.MAPPER.readTree(bytes).get("schemaVersion").asInt())
                .isEqualTo(Versioned.CURRENT);
    }

    @Test
    void shouldWriteTimesAndDurationsAsIsoText() throws Exception {
        var command = new Command(
                "c-1",
                "CP-1",
                Command.Kind.CALL,
                "Reset",
                PAYLOAD,
                T,
                null,
                Duration.ofSeconds(60),
                Command.OfflinePolicy.FAIL_FAST,
                null,
                null,
                null);

        JsonNode json = JsonSerde.MAPPER.readTree(JsonSerde.of(Command.class).serialize("commands", command));

        assertThat(json.get("requestedAt").asText()).isEqualTo("2026-11-25T10:00:00.123Z");
        assertThat(json.get("ttl").asText()).isEqualTo("PT1M");
        assertThat(json.get("payload")).isEqualTo(PAYLOAD);
        assertThat(json.has("expiresAt")).as("nulls are left out").isFalse();
    }

    @Test
    void shouldIgnoreFieldsANewerWriterAdded() {
        String newer = """
                {"schemaVersion": 2, "commandId": "c-2", "chargePointId": "CP-9", "kind": "CALL", "action": "Reset",
                 "payload": {"type": "Soft"}, "offlinePolicy": "QUEUE", "priority": "HIGH", "tags": ["a"]}""";

        Command c = JsonSerde.of(Command.class).deserialize("commands", newer.getBytes(StandardCharsets.UTF_8));

        assertThat(c.commandId()).isEqualTo("c-2");
        assertThat(c.payload().get("type").asText()).isEqualTo("Soft");
        assertThat(c.offlinePolicy()).isEqualTo(Command.OfflinePolicy.QUEUE);
    }

    @Test
    void shouldKeepTombstonesAsNullAndRejectGarbageWithAClearError() {
        var serde = JsonSerde.of(PodLease.class);

        assertThat(serde.serialize("gateway-pods", null)).isNull();
        assertThat(serde.deserialize("gateway-pods", null)).isNull();
        assertThatThrownBy(() -> serde.deserialize("gateway-pods", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("PodLease")
                .hasMessageContaining("gateway-pods");
    }

    @Test
    void shouldRepeatActionTypeAndDirectionAsJournalHeaders() {
        var entry = new JournalEntry(
                "CP-1", "p", "s", "ocpp1.6", Direction.TO_CP, "CALLRESULT", "m", "Authorize", PAYLOAD, null, T);
        var headers = new RecordHeaders();

        JournalHeaders.write(entry, headers);

        assertThat(JournalHeaders.read(headers, JournalHeaders.ACTION)).contains("Authorize");
        assertThat(JournalHeaders.read(headers, JournalHeaders.MESSAGE_TYPE)).contains("CALLRESULT");
        assertThat(JournalHeaders.read(headers, JournalHeaders.DIRECTION)).contains("TO_CP");
    }

    @Test
    void shouldSplitTransactionKeysUnambiguously() {
        String key = TransactionKey.of("CP-1", "tx:with:colons");

        assertThat(TransactionKey.chargePointId(key)).isEqualTo("CP-1");
        assertThat(TransactionKey.transactionId(key)).isEqualTo("tx:with:colons");
        assertThatThrownBy(() -> TransactionKey.of("bad:cp", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCountALeaseAliveOnlyBeforeExpiryAndUnlessStopped() {
        var lease = new PodLease("p", 0, PodLease.State.READY, T, T.plusSeconds(10), "v", "i");

        assertThat(lease.isAlive(T.plusSeconds(9))).isTrue();
        assertThat(lease.isAlive(T.plusSeconds(10))).isFalse();
        assertThat(new PodLease("p", 0, PodLease.State.STOPPED, T, T.plusSeconds(10), "v", "i").isAlive(T))
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("records")
    @SuppressWarnings("unchecked")
    void shouldKeepStoreValuesAsSmileAndStillReadTheJsonOfAnEarlierVersion(Object record) {
        StoreSerde<Object> store = (StoreSerde<Object>) (StoreSerde<?>) StoreSerde.of(record.getClass());
        JsonSerde<Object> json = (JsonSerde<Object>) (JsonSerde<?>) JsonSerde.of(record.getClass());

        byte[] smile = store.serialize("changelog", record);

        assertThat(new String(smile, 0, 3, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo(":)\n");
        assertThat(smile.length).isLessThan(json.serialize("t", record).length);
        assertThat(store.deserialize("changelog", smile)).isEqualTo(record);
        assertThat(store.deserialize("changelog", json.serialize("t", record))).isEqualTo(record);
    }
}
