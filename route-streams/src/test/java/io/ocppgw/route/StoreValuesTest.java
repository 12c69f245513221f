package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.StoreSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** route-streams' store values: binary, the same after a round trip, and what the earlier Smile encoding wrote still reads. */
class StoreValuesTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00.123456789Z");
    private static final Command COMMAND = new Command(
            "c1",
            "CP-1",
            Command.Kind.CALL,
            "Reset",
            JsonNodeFactory.instance.objectNode().put("type", "Soft"),
            T,
            null,
            Duration.ofSeconds(60),
            Command.OfflinePolicy.FAIL_FAST,
            Duration.ofSeconds(20),
            null,
            null);
    /** The command as a backend wrote it: with a field this version does not know, kept as it is. */
    private static final byte[] RAW =
            ("{\"commandId\":\"c1\",\"chargePointId\":\"CP-1\",\"kind\":\"CALL\",\"action\":\"Reset\","
                            + "\"payload\":{\"type\":\"Soft\"},\"requestedAt\":\"2026-12-07T10:00:00.123456789Z\",\"ttl\":\"PT60S\","
                            + "\"offlinePolicy\":\"FAIL_FAST\",\"responseTimeout\":\"PT20S\",\"fromANewerBackend\":1}")
                    .getBytes(StandardCharsets.UTF_8);

    private final StoreValues.Ledger ledger = new StoreValues.Ledger();
    private final StoreValues.Routes routes = new StoreValues.Routes();
    private final StoreValues.Outcomes outcomes = new StoreValues.Outcomes();

    @Test
    void shouldKeepALedgerEntryWithTheCommandsOwnBytes() {
        LedgerEntry entry = new LedgerEntry(
                StoredCommand.of(COMMAND, RAW),
                LedgerEntry.State.SENT,
                2,
                "edge-1",
                "inc-7",
                1,
                "s-9",
                T,
                T.plusSeconds(60),
                Duration.ofSeconds(20),
                T.plusMillis(5),
                T.plusMillis(9),
                "hash",
                42,
                null);

        LedgerEntry read = ledger.deserialize("changelog", ledger.serialize("changelog", entry));

        assertThat(read).isEqualTo(entry);
        assertThat(read.command().json()).isEqualTo(RAW);
        assertThat(read.command().commandId()).isEqualTo("c1");
        assertThat(read.command().offlinePolicy()).isEqualTo(Command.OfflinePolicy.FAIL_FAST);
        assertThat(read.command().parsed()).isEqualTo(COMMAND);
        assertThat(read.partition()).isEqualTo(1);
    }

    @Test
    void shouldKeepNullsAsNulls() {
        LedgerEntry parked = new LedgerEntry(
                StoredCommand.of(COMMAND, RAW),
                LedgerEntry.State.PARKED,
                0,
                null,
                null,
                null,
                null,
                T,
                T.plusSeconds(60),
                Duration.ofSeconds(20),
                null,
                null,
                "hash",
                0,
                null);
        Route route = new Route("CP-1", "edge-0", 0, "s1", T, Route.State.OFFLINE, T, null, null);

        assertThat(ledger.deserialize("t", ledger.serialize("t", parked))).isEqualTo(parked);
        assertThat(routes.deserialize("t", routes.serialize("t", route))).isEqualTo(route);
        assertThat(ledger.serialize("t", null)).isNull();
        assertThat(ledger.deserialize("t", null)).isNull();
    }

    @Test
    void shouldKeepAFinishedCommandsResultAsJsonAndReadItsTimeWithoutIt() {
        CommandResult result = new CommandResult(
                "c1",
                "CP-1",
                CommandResult.Status.EXPIRED,
                Reason.TTL,
                "late",
                null,
                null,
                1,
                "edge-1",
                "s-9",
                T,
                T,
                null,
                T.plusSeconds(61),
                false);

        FinishedCommand read = outcomes.deserialize("t", outcomes.serialize("t", new FinishedCommand("hash", result)));

        assertThat(read.contentHash()).isEqualTo("hash");
        assertThat(read.completedAt()).isEqualTo(T.plusSeconds(61));
        assertThat(read.result()).isEqualTo(result);
        assertThat(read.resultJson())
                .isEqualTo(JsonSerde.of(CommandResult.class).serialize("t", result));
    }

    @Test
    void shouldReadWhatTheEarlierSmileEncodingWrote() {
        LedgerEntry entry = new LedgerEntry(
                StoredCommand.of(COMMAND),
                LedgerEntry.State.ROUTED,
                1,
                "edge-1",
                "inc-7",
                1,
                "s-9",
                T,
                T.plusSeconds(60),
                Duration.ofSeconds(20),
                T,
                null,
                "hash",
                42,
                null);
        byte[] smileEntry = StoreSerde.of(StoreValues.EarlierLedgerEntry.class)
                .serialize(
                        "t",
                        new StoreValues.EarlierLedgerEntry(
                                COMMAND,
                                entry.state(),
                                entry.attempts(),
                                entry.podId(),
                                entry.incarnation(),
                                entry.partition(),
                                entry.sessionId(),
                                entry.requestedAt(),
                                entry.deadline(),
                                entry.responseTimeout(),
                                entry.routedAt(),
                                entry.sentAt(),
                                entry.contentHash(),
                                entry.sequence(),
                                entry.sessionEndedAt()));
        Route route = new Route("CP-1", "edge-0", 0, "s1", T, Route.State.ONLINE, T, "ocpp1.6", "inc");
        CommandResult result = new CommandResult(
                "c1",
                "CP-1",
                CommandResult.Status.COMPLETED,
                null,
                null,
                null,
                null,
                1,
                "edge-1",
                "s-9",
                T,
                T,
                T,
                T.plusSeconds(1),
                false);
        byte[] smileOutcome = StoreSerde.of(StoreValues.EarlierFinishedCommand.class)
                .serialize("t", new StoreValues.EarlierFinishedCommand("hash", result));

        LedgerEntry readEntry = ledger.deserialize("t", smileEntry);
        assertThat(readEntry).isEqualTo(entry);
        assertThat(readEntry.command().parsed()).isEqualTo(COMMAND);
        assertThat(routes.deserialize("t", StoreSerde.of(Route.class).serialize("t", route)))
                .isEqualTo(route);
        assertThat(outcomes.deserialize("t", smileOutcome).result()).isEqualTo(result);
        assertThat(outcomes.deserialize("t", smileOutcome).completedAt()).isEqualTo(T.plusSeconds(1));
    }

    @Test
    void shouldRefuseAValueCutShort() {
        byte[] whole =
                routes.serialize("t", new Route("CP-1", "edge-0", 0, "s1", T, Route.State.ONLINE, T, "ocpp1.6", "inc"));

        assertThatThrownBy(() -> routes.deserialize("t", Arrays.copyOf(whole, whole.length - 3)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> routes.deserialize("t", Arrays.copyOf(whole, 6)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldDecodeEachDistinctLeaseOnceAndKeepItJson() {
        Serde<PodLease> leases = StoreValues.leases();
        PodLease lease = new PodLease("edge-0", 0, PodLease.State.READY, T, T.plusSeconds(15), "v", "inc");
        byte[] bytes = leases.serializer().serialize("t", lease);

        PodLease first = leases.deserializer().deserialize("t", bytes);
        PodLease again = leases.deserializer().deserialize("t", bytes.clone());

        assertThat(bytes).isEqualTo(JsonSerde.of(PodLease.class).serialize("t", lease));
        assertThat(first).isEqualTo(lease);
        assertThat(again).isSameAs(first);
    }
}
