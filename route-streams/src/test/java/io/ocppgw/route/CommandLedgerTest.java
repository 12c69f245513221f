package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.PodLease;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** What {@link CommandLedger} keeps in memory is derived from its stores: after a restore it is the same. */
class CommandLedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<String, Route> routes = store("r", new StoreValues.Routes());
    private final KeyValueStore<String, LedgerEntry> entries = store("l", new StoreValues.Ledger());
    private final KeyValueStore<String, FinishedCommand> outcomes = store("o", new StoreValues.Outcomes());
    private final KeyValueStore<String, PodLease> leases = store("p", StoreValues.leases());
    private final RouterMetrics metrics = new RouterMetrics(new SimpleMeterRegistry());

    @Test
    void shouldDeriveDeadlinesCountsAndHoldersFromTheLedgerAlone() {
        CommandLedger before = new CommandLedger(routes, entries, outcomes, leases, metrics);
        before.put(entry("c1", "A", LedgerEntry.State.SENT, "p0"), T0.plusSeconds(35), null);
        before.put(entry("c2", "A", LedgerEntry.State.PARKED, null), T0.plusSeconds(60), null);
        before.put(entry("c3", "B", LedgerEntry.State.ROUTED, "p1"), T0.plusSeconds(95), null);

        CommandLedger after = new CommandLedger(routes, entries, outcomes, leases, metrics);
        after.rebuild(
                e -> switch (e.state()) {
                    case SENT -> T0.plusSeconds(35);
                    case PARKED -> T0.plusSeconds(60);
                    default -> T0.plusSeconds(95);
                },
                e -> null);

        assertThat(after.openCount("A")).isEqualTo(2);
        assertThat(after.openCount("B")).isEqualTo(1);
        assertThat(after.open("A", "c1")).isPresent();
        assertThat(after.openOf("A")).extracting(LedgerEntry::commandId).containsExactly("c1", "c2");
        assertThat(after.held())
                .containsOnlyKeys(new CommandLedger.Incarnation("p0", "i"), new CommandLedger.Incarnation("p1", "i"));
        assertThat(after.dueBy(T0.plusSeconds(60), 10)).containsExactly("A:c1", "A:c2");
    }

    @Test
    void shouldForgetARemovedEntryEverywhere() {
        CommandLedger ledger = new CommandLedger(routes, entries, outcomes, leases, metrics);
        LedgerEntry e = entry("c1", "A", LedgerEntry.State.SENT, "p0");
        ledger.put(e, T0, null);
        ledger.remove(e);

        assertThat(ledger.openCount("A")).isZero();
        assertThat(ledger.held()).isEmpty();
        assertThat(ledger.dueBy(T0.plusSeconds(1), 10)).isEmpty();
        assertThat(entries.get("A:c1")).isNull();
    }

    @Test
    void shouldForgetOldFinishedCommandsAFewAtATime() {
        CommandLedger ledger = new CommandLedger(routes, entries, outcomes, leases, metrics);
        for (int i = 0; i < 10; i++) {
            ledger.remember(
                    "A",
                    "c" + i,
                    new FinishedCommand(
                            "h",
                            new CommandResult(
                                    "c" + i,
                                    "A",
                                    CommandResult.Status.COMPLETED,
                                    null,
                                    null,
                                    null,
                                    null,
                                    1,
                                    "p0",
                                    "s1",
                                    T0,
                                    T0,
                                    T0,
                                    T0.plusSeconds(i),
                                    false)));
        }

        int first = ledger.forgetFinishedBefore(T0.plusSeconds(5), 4);
        int rest =
                ledger.forgetFinishedBefore(T0.plusSeconds(5), 4) + ledger.forgetFinishedBefore(T0.plusSeconds(5), 4);

        assertThat(first + rest).isEqualTo(5);
        assertThat(outcomes.approximateNumEntries()).isEqualTo(5);
    }

    private static LedgerEntry entry(String id, String cp, LedgerEntry.State state, String pod) {
        Command c = new Command(
                id,
                cp,
                Command.Kind.CALL,
                "Reset",
                JsonNodeFactory.instance.objectNode(),
                T0,
                null,
                null,
                Command.OfflinePolicy.QUEUE,
                null,
                null,
                null);
        return new LedgerEntry(
                StoredCommand.of(c),
                state,
                pod == null ? 0 : 1,
                pod,
                pod == null ? null : "i",
                0,
                pod == null ? null : "s1",
                T0,
                T0.plusSeconds(60),
                Duration.ofSeconds(30),
                pod == null ? null : T0,
                state == LedgerEntry.State.SENT ? T0 : null,
                "h",
                Long.parseLong(id.substring(1)),
                null);
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
