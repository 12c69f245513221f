package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.TopicContents;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes commands like a backend before, during and after a fault, then holds every one of them to
 * the command path's promise against the journal: exactly one result each, none on a charge point's
 * wire twice, no result contradicting the journal (a command the charge point answered is never
 * EXPIRED or CONNECTION_LOST; one never journaled as sent is never COMPLETED), none waiting past the
 * backstop.
 */
final class CommandAudit {

    static final Set<CommandResult.Status> ANSWERED =
            EnumSet.of(CommandResult.Status.COMPLETED, CommandResult.Status.FAILED, CommandResult.Status.TIMEOUT);

    private final Supplier<String> bootstrap;
    private final String topicPrefix;
    private final KafkaProducer<String, byte[]> backend;
    private final ReconnectingFleet fleet;
    private final List<String> chargePoints;
    private final Duration ttl;
    private final Duration backstop;

    /**
     * @param bootstrap the cluster now (a test may replace its broker)
     * @param backstop  TTL + response timeout + report grace, and a margin: no command may take longer
     */
    CommandAudit(
            Supplier<String> bootstrap,
            String topicPrefix,
            KafkaProducer<String, byte[]> backend,
            ReconnectingFleet fleet,
            List<String> chargePoints,
            Duration ttl,
            Duration backstop) {
        this.bootstrap = bootstrap;
        this.topicPrefix = topicPrefix;
        this.backend = backend;
        this.fleet = fleet;
        this.chargePoints = List.copyOf(chargePoints);
        this.ttl = ttl;
        this.backstop = backstop;
    }

    /** The commands of one fault and what became of them; {@code faultAt} is when the fault began. */
    record Outcome(List<String> ids, Map<String, CommandResult> results, Instant faultAt) {

        /** The longest wait of the commands written in each 5 s around the fault ("-5s: 1200 ms"), for the figures. */
        String timeline() {
            Map<Long, Long> longest = new java.util.TreeMap<>();
            results.values()
                    .forEach(r -> longest.merge(
                            Math.floorDiv(
                                            Duration.between(faultAt, r.requestedAt())
                                                    .toSeconds(),
                                            5)
                                    * 5,
                            Duration.between(r.requestedAt(), r.completedAt()).toMillis(),
                            Math::max));
            return longest.entrySet().stream()
                    .map(e -> (e.getKey() >= 0 ? "+" : "") + e.getKey() + "s: " + e.getValue() + " ms")
                    .collect(Collectors.joining(", "));
        }

        Map<CommandResult.Status, Long> byStatus() {
            return results.values().stream()
                    .collect(Collectors.groupingBy(CommandResult::status, Collectors.counting()));
        }

        /** Time from the backend's write to the result, sorted. */
        List<Duration> waits() {
            return results.values().stream()
                    .map(r -> Duration.between(r.requestedAt(), r.completedAt()))
                    .sorted()
                    .toList();
        }

        Duration percentile(double p) {
            List<Duration> w = waits();
            return w.get(Math.min(w.size() - 1, (int) Math.ceil(p * w.size()) - 1));
        }
    }

    Command command(String id, String cp) {
        return new Command(
                id,
                cp,
                Command.Kind.CALL,
                "GetConfiguration",
                JsonNodeFactory.instance.objectNode(),
                Instant.now(),
                null,
                ttl,
                Command.OfflinePolicy.QUEUE,
                null,
                null,
                null);
    }

    /** Commands every {@code gapMillis} for 5 s, through {@code fault}, and 10 s after; then every one is checked. */
    Outcome across(String prefix, long gapMillis, ThrowingRunnable fault) throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(
                () -> {
                    int n = 0;
                    while (writing.get()) {
                        String cp = chargePoints.get(n % chargePoints.size());
                        String id = prefix + n++;
                        ids.add(id);
                        backend.send(new ProducerRecord<>(
                                topicPrefix + "commands",
                                cp,
                                JsonSerde.of(Command.class).serialize(null, command(id, cp))));
                        ReconnectingFleet.sleep(gapMillis);
                    }
                },
                "backend-" + prefix);
        writer.start();
        Thread.sleep(5_000);
        Instant faultAt = Instant.now();
        try {
            fault.run();
            Thread.sleep(10_000);
        } finally {
            writing.set(false);
            writer.join();
        }
        backend.flush();

        Map<String, List<CommandResult>> results = await().atMost(backstop.plusSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> results(Set.copyOf(ids)), r -> r.keySet().containsAll(ids));
        Map<String, Long> sentInJournal = new HashMap<>();
        Set<String> answeredInJournal = new HashSet<>();
        for (JournalEntry e : journal()) {
            if (e.messageId() == null || !e.messageId().startsWith(prefix)) {
                continue;
            }
            if (e.direction() == Direction.TO_CP && "CALL".equals(e.messageType())) {
                sentInJournal.merge(e.messageId(), 1L, Long::sum);
            } else if (e.direction() == Direction.TO_CP && JournalEntry.NOT_SENT.equals(e.messageType())) {
                sentInJournal.merge(e.messageId(), -1L, Long::sum); // written ahead, then never on the wire
            } else if (e.direction() == Direction.FROM_CP
                    && ("CALLRESULT".equals(e.messageType()) || "CALLERROR".equals(e.messageType()))) {
                answeredInJournal.add(e.messageId());
            }
        }
        Outcome outcome = new Outcome(
                List.copyOf(ids),
                results.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().get(0))),
                faultAt);
        System.out.println(prefix + ": " + ids.size() + " commands, results " + outcome.byStatus() + ", to result p50 "
                + outcome.percentile(0.5).toMillis() + " ms, p99 "
                + outcome.percentile(0.99).toMillis() + " ms, max "
                + outcome.percentile(1.0).toMillis() + " ms; longest wait by when written: " + outcome.timeline());
        outcome.results().values().stream()
                .filter(r -> r.status() != CommandResult.Status.COMPLETED)
                .limit(8)
                .forEach(r -> System.out.println(
                        "  " + r.commandId() + " " + r.status() + " " + r.reason() + " attempts=" + r.attempts()
                                + " pod=" + r.podId() + " requested=" + r.requestedAt() + " routed=" + r.routedAt()
                                + " sent=" + r.sentAt()
                                + " completed=" + r.completedAt() + ": " + r.description()));
        assertThat(ids).hasSizeGreaterThan(100);
        assertThat(results.values())
                .as("exactly one result each")
                .allSatisfy(l -> assertThat(l).hasSize(1));
        assertThat(sentInJournal.values())
                .as("journaled as sent at most once")
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1L));
        sentInJournal.values().removeIf(n -> n < 1);
        assertThat(ids)
                .as("on a charge point's wire at most once")
                .allSatisfy(id -> assertThat(fleet.received(id)).isLessThanOrEqualTo(1));
        for (String id : ids) {
            CommandResult r = outcome.results().get(id);
            if (answeredInJournal.contains(id)) {
                assertThat(r.status())
                        .as(id + " was answered by its charge point: " + r)
                        .isIn(ANSWERED);
            }
            if (!sentInJournal.containsKey(id)) {
                assertThat(r.status())
                        .as(id + " never went out: " + r)
                        .isNotIn(CommandResult.Status.COMPLETED, CommandResult.Status.FAILED);
            }
            assertThat(Duration.between(r.requestedAt(), r.completedAt()))
                    .as(id + " waited past the backstop")
                    .isLessThan(backstop);
        }
        assertThat(outcome.byStatus().getOrDefault(CommandResult.Status.COMPLETED, 0L))
                .as("most commands complete")
                .isGreaterThan(ids.size() / 2);
        return outcome;
    }

    /** Every charge point CALL the gateway acknowledged is in the journal: nothing acknowledged was lost. */
    void assertAcknowledgedJournaled() {
        Set<String> acknowledged = fleet.acknowledged();
        Set<String> journaled = journal().stream()
                .filter(e -> e.direction() == Direction.FROM_CP && "CALL".equals(e.messageType()))
                .map(JournalEntry::messageId)
                .collect(Collectors.toSet());
        assertThat(acknowledged).as("CALLs acknowledged to charge points").isNotEmpty();
        assertThat(journaled).as("every acknowledged CALL is journaled").containsAll(acknowledged);
    }

    List<JournalEntry> journal() {
        return TopicContents.values(bootstrap.get(), topicPrefix + "ocpp-journal", JsonSerde.of(JournalEntry.class));
    }

    Map<String, List<CommandResult>> results(Set<String> ids) {
        return TopicContents.values(bootstrap.get(), topicPrefix + "command-results", JsonSerde.of(CommandResult.class))
                .stream()
                .filter(r -> ids.contains(r.commandId()))
                .collect(Collectors.groupingBy(CommandResult::commandId));
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
