package io.ocppgw.route;

import io.ocppgw.topics.records.PodLease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * route-streams' state in one task: the stores ({@value StoreNames#ROUTES}, {@value StoreNames#LEDGER},
 * {@value StoreNames#OUTCOMES}, the global {@value StoreNames#LEASES}), their key encodings, and what is
 * derived from the ledger and kept in memory only: each open command's next deadline, the open count
 * of each charge point, the commands each pod incarnation holds, and the charge points whose parked
 * commands wait for their pod's lease. {@link #rebuild} derives all of it from the ledger, so it is
 * right after every restore or task move.
 *
 * <p>Charge point identities never contain ':' (commands naming one are refused), so
 * {@code chargePointId:commandId} keys sort and scan by charge point.
 */
final class CommandLedger implements RouterReads {

    private static final StringSerializer KEYS = new StringSerializer();

    /** A pod process, as commands were routed to it. */
    record Incarnation(String podId, String incarnation) {}

    /** The open commands routed to one incarnation, and when the first of them was (to tell a lagging lease). */
    static final class Held {
        final Set<String> keys = new HashSet<>();
        Instant since;
    }

    private record Due(long atMillis, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(atMillis, other.atMillis);
            return byTime != 0 ? byTime : key.compareTo(other.key);
        }
    }

    private record Tracked(String chargePointId, LedgerEntry.State state, Incarnation heldBy, long dueMillis) {}

    private final KeyValueStore<String, Route> routes;
    private final KeyValueStore<String, LedgerEntry> ledger;
    private final KeyValueStore<String, FinishedCommand> outcomes;
    private final KeyValueStore<String, PodLease> leases;
    private final RouterMetrics metrics;

    private final Map<String, Tracked> tracked = new HashMap<>();
    private final TreeSet<Due> due = new TreeSet<>();
    private final Map<String, Integer> openCounts = new HashMap<>();
    private final Map<Incarnation, Held> held = new LinkedHashMap<>();
    private final Map<String, Set<String>> parkedFor = new HashMap<>();
    private String sweepCursor = "";

    CommandLedger(
            KeyValueStore<String, Route> routes,
            KeyValueStore<String, LedgerEntry> ledger,
            KeyValueStore<String, FinishedCommand> outcomes,
            KeyValueStore<String, PodLease> leases,
            RouterMetrics metrics) {
        this.routes = routes;
        this.ledger = ledger;
        this.outcomes = outcomes;
        this.leases = leases;
        this.metrics = metrics;
    }

    static String key(String chargePointId, String commandId) {
        return chargePointId + ":" + commandId;
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Route route(String chargePointId) {
        return routes.get(chargePointId);
    }

    @Override
    public Optional<LedgerEntry> open(String chargePointId, String commandId) {
        String key = key(chargePointId, commandId);
        return tracked.containsKey(key) ? Optional.ofNullable(ledger.get(key)) : Optional.empty();
    }

    @Override
    public List<LedgerEntry> openOf(String chargePointId) {
        if (!openCounts.containsKey(chargePointId)) {
            return List.of();
        }
        List<LedgerEntry> out = new ArrayList<>();
        try (KeyValueIterator<String, LedgerEntry> it = ledger.prefixScan(chargePointId + ":", KEYS)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        out.sort(Comparator.comparingLong(LedgerEntry::sequence));
        return out;
    }

    @Override
    public int openCount(String chargePointId) {
        return openCounts.getOrDefault(chargePointId, 0);
    }

    @Override
    public Optional<FinishedCommand> finished(String chargePointId, String commandId) {
        return Optional.ofNullable(outcomes.get(key(chargePointId, commandId)));
    }

    @Override
    public PodLease lease(String podId) {
        return leases.get(podId);
    }

    Optional<LedgerEntry> entry(String key) {
        return tracked.containsKey(key) ? Optional.ofNullable(ledger.get(key)) : Optional.empty();
    }

    // ------------------------------------------------------------------ writes

    void putRoute(Route route) {
        routes.put(route.chargePointId(), route);
        metrics.storeWrite(StoreNames.ROUTES);
    }

    /** Writes an entry and files it in memory; {@code dueAt} and {@code waitsForPod} are what the rules make of it now. */
    void put(LedgerEntry entry, Instant dueAt, String waitsForPod) {
        String key = key(entry.chargePointId(), entry.commandId());
        ledger.put(key, entry);
        metrics.storeWrite(StoreNames.LEDGER);
        track(key, entry, dueAt, waitsForPod);
    }

    void remove(LedgerEntry entry) {
        String key = key(entry.chargePointId(), entry.commandId());
        if (untrack(key)) {
            ledger.delete(key);
            metrics.storeWrite(StoreNames.LEDGER);
        }
    }

    void remember(String chargePointId, String commandId, FinishedCommand finished) {
        outcomes.put(key(chargePointId, commandId), finished);
        metrics.storeWrite(StoreNames.OUTCOMES);
    }

    /** Files the entry again under a new deadline (its pod's view changed); nothing is written. */
    void reschedule(LedgerEntry entry, Instant dueAt) {
        String key = key(entry.chargePointId(), entry.commandId());
        Tracked t = tracked.get(key);
        if (t != null) {
            due.remove(new Due(t.dueMillis(), key));
            due.add(new Due(dueAt.toEpochMilli(), key));
            tracked.put(key, new Tracked(t.chargePointId(), t.state(), t.heldBy(), dueAt.toEpochMilli()));
        }
    }

    // ------------------------------------------------------------------ what is due

    /** Keys of open commands due at {@code now}, at most {@code max}, earliest first. */
    List<String> dueBy(Instant now, int max) {
        List<String> keys = new ArrayList<>();
        for (Due d : due) {
            if (d.atMillis() > now.toEpochMilli() || keys.size() >= max) {
                break;
            }
            keys.add(d.key());
        }
        return keys;
    }

    /** The incarnations holding open commands, with what they hold. */
    Map<Incarnation, Held> held() {
        return held;
    }

    /** Stops looking after an incarnation (it is gone, and what it held was settled). */
    void forget(Incarnation incarnation) {
        Held h = held.remove(incarnation);
        if (h != null) {
            for (String key : h.keys) {
                Tracked t = tracked.get(key);
                if (t != null) {
                    tracked.put(key, new Tracked(t.chargePointId(), t.state(), null, t.dueMillis()));
                }
            }
        }
    }

    /** Pods whose lease lapsed while charge points routed to them had commands parked, with those charge points. */
    Map<String, Set<String>> parkedFor() {
        return parkedFor;
    }

    /**
     * Forgets finished commands older than {@code before}, looking at up to {@code batch} of them from
     * where the last call stopped, so the work per call stays small whatever the store holds.
     */
    int forgetFinishedBefore(Instant before, int batch) {
        List<String> old = new ArrayList<>();
        int seen = 0;
        String last = null;
        try (KeyValueIterator<String, FinishedCommand> it =
                sweepCursor.isEmpty() ? outcomes.all() : outcomes.range(sweepCursor, null)) {
            while (it.hasNext() && seen < batch) {
                KeyValue<String, FinishedCommand> kv = it.next();
                seen++;
                last = kv.key;
                if (kv.value == null
                        || kv.value.completedAt() == null
                        || kv.value.completedAt().isBefore(before)) {
                    old.add(kv.key);
                }
            }
            sweepCursor = it.hasNext() && last != null ? last + "\u0000" : "";
        }
        old.forEach(k -> {
            outcomes.delete(k);
            metrics.storeWrite(StoreNames.OUTCOMES);
        });
        return old.size();
    }

    // ------------------------------------------------------------------ in memory

    /** Derives everything kept in memory from the ledger; {@code dueAt} and {@code waitsFor} as the rules see each entry now. */
    void rebuild(Function<LedgerEntry, Instant> dueAt, Function<LedgerEntry, String> waitsFor) {
        tracked.clear();
        due.clear();
        openCounts.clear();
        held.clear();
        parkedFor.clear();
        sweepCursor = "";
        try (KeyValueIterator<String, LedgerEntry> it = ledger.all()) {
            while (it.hasNext()) {
                KeyValue<String, LedgerEntry> kv = it.next();
                if (kv.value != null) {
                    track(kv.key, kv.value, dueAt.apply(kv.value), waitsFor.apply(kv.value));
                }
            }
        }
    }

    int openCommands() {
        return tracked.size();
    }

    private void track(String key, LedgerEntry entry, Instant dueAt, String waitsForPod) {
        Tracked before = tracked.get(key);
        if (before != null) {
            due.remove(new Due(before.dueMillis(), key));
            release(key, before);
        } else {
            openCounts.merge(entry.chargePointId(), 1, Integer::sum);
        }
        Incarnation heldBy = null;
        if (entry.state() == LedgerEntry.State.ROUTED || entry.state() == LedgerEntry.State.SENT) {
            heldBy = new Incarnation(entry.podId(), entry.incarnation());
            Held h = held.computeIfAbsent(heldBy, i -> new Held());
            h.keys.add(key);
            if (h.since == null || (entry.routedAt() != null && entry.routedAt().isBefore(h.since))) {
                h.since = entry.routedAt();
            }
        }
        if (waitsForPod != null) {
            parkedFor.computeIfAbsent(waitsForPod, p -> new HashSet<>()).add(entry.chargePointId());
        }
        tracked.put(key, new Tracked(entry.chargePointId(), entry.state(), heldBy, dueAt.toEpochMilli()));
        due.add(new Due(dueAt.toEpochMilli(), key));
    }

    private boolean untrack(String key) {
        Tracked t = tracked.remove(key);
        if (t == null) {
            return false;
        }
        due.remove(new Due(t.dueMillis(), key));
        release(key, t);
        openCounts.computeIfPresent(t.chargePointId(), (cp, n) -> n > 1 ? n - 1 : null);
        return true;
    }

    private void release(String key, Tracked t) {
        if (t.heldBy() != null) {
            Held h = held.get(t.heldBy());
            if (h != null) {
                h.keys.remove(key);
                if (h.keys.isEmpty()) {
                    held.remove(t.heldBy());
                }
            }
        }
    }
}
