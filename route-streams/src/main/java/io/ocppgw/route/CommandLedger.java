package io.ocppgw.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The open commands of one task's charge points: one store entry per command, keyed
 * {@code chargePointId:commandId}, so each pass over a command reads and writes that command alone (a
 * backlog does not make every pass slower), and a count per charge point to bound them.
 * Charge point identities never contain ':' (commands naming such an identity are refused as invalid).
 */
final class CommandLedger {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, LedgerEntry> entries;
    private final KeyValueStore<String, Long> counts;

    CommandLedger(KeyValueStore<String, LedgerEntry> entries, KeyValueStore<String, Long> counts) {
        this.entries = entries;
        this.counts = counts;
    }

    static String key(String chargePointId, String commandId) {
        return chargePointId + ":" + commandId;
    }

    Optional<LedgerEntry> find(String chargePointId, String commandId) {
        return Optional.ofNullable(entries.get(key(chargePointId, commandId)));
    }

    /** The charge point's open commands, oldest first (in the order they were written to {@code commands}). */
    List<LedgerEntry> of(String chargePointId) {
        List<LedgerEntry> out = new ArrayList<>();
        try (KeyValueIterator<String, LedgerEntry> it = entries.prefixScan(chargePointId + ":", KEYS)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        out.sort(Comparator.comparingLong(LedgerEntry::sequence));
        return out;
    }

    long openCount(String chargePointId) {
        Long n = counts.get(chargePointId);
        return n == null ? 0 : n;
    }

    /** A command not in the ledger yet. */
    void open(LedgerEntry entry) {
        String cp = entry.command().chargePointId();
        entries.put(key(cp, entry.command().commandId()), entry);
        counts.put(cp, openCount(cp) + 1);
    }

    /** A new state of a command in the ledger. */
    void update(LedgerEntry entry) {
        entries.put(key(entry.command().chargePointId(), entry.command().commandId()), entry);
    }

    void remove(LedgerEntry entry) {
        String cp = entry.command().chargePointId();
        entries.delete(key(cp, entry.command().commandId()));
        long left = openCount(cp) - 1;
        if (left > 0) {
            counts.put(cp, left);
        } else {
            counts.delete(cp);
        }
    }
}
