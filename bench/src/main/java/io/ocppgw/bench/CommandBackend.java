package io.ocppgw.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JsonSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A backend writing {@code GetConfiguration} commands (QUEUE, TTL 60 s) to random charge points of a
 * fleet at a steady rate, and reading their results from the end of {@code command-results}.
 */
final class CommandBackend implements AutoCloseable {

    /**
     * What became of the commands written: counts by status, "none" (no result) and "duplicate" (two
     * or more), the waits (written to result) and the routing part of them (written to routed).
     */
    record Outcomes(Map<String, Long> counts, List<Duration> waits, List<Duration> routing) {

        /** The wait at quantile {@code q} (1.0: the longest), in seconds; NaN without results. */
        double waitSeconds(double q) {
            return quantileSeconds(waits, q);
        }

        /** Written to routed at quantile {@code q}, in seconds; NaN when none was routed. */
        double routingSeconds(double q) {
            return quantileSeconds(routing, q);
        }

        static double quantileSeconds(List<Duration> values, double q) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            List<Duration> sorted = values.stream().sorted().toList();
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)))
                            .toMillis()
                    / 1000.0;
        }
    }

    private final KafkaProducer<String, Command> producer;
    private final KafkaConsumer<String, CommandResult> results;
    private final String commandsTopic;
    private final String chargePointPrefix;
    private final int chargePoints;
    private final String commandPrefix;
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final Map<String, CommandResult> first = new ConcurrentHashMap<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicInteger written = new AtomicInteger();
    private Thread writer;

    /** Commands go to {@code <chargePointPrefix>0 … <chargePointPrefix>(chargePoints-1)} with ids {@code <commandPrefix>N}. */
    CommandBackend(
            String bootstrap, TopicNames topics, String chargePointPrefix, int chargePoints, String commandPrefix) {
        this.commandsTopic = topics.name(Topic.COMMANDS);
        this.chargePointPrefix = chargePointPrefix;
        this.chargePoints = chargePoints;
        this.commandPrefix = commandPrefix;
        this.producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5),
                new StringSerializer(),
                JsonSerde.of(Command.class));
        this.results =
                TopicTail.fromEnd(bootstrap, topics.name(Topic.COMMAND_RESULTS), JsonSerde.of(CommandResult.class));
    }

    void start(int commandsPerSecond) {
        writing.set(true);
        writer = new Thread(
                () -> {
                    long gap = TimeUnit.SECONDS.toNanos(1) / commandsPerSecond;
                    long next = System.nanoTime();
                    while (writing.get()) {
                        String target =
                                chargePointPrefix + ThreadLocalRandom.current().nextInt(chargePoints);
                        String id = commandPrefix + written.incrementAndGet();
                        outcomes.put(id, new AtomicInteger());
                        producer.send(new ProducerRecord<>(
                                commandsTopic,
                                target,
                                new Command(
                                        id,
                                        target,
                                        Command.Kind.CALL,
                                        "GetConfiguration",
                                        JsonNodeFactory.instance.objectNode(),
                                        Instant.now(),
                                        null,
                                        Duration.ofSeconds(60),
                                        Command.OfflinePolicy.QUEUE,
                                        null,
                                        null,
                                        null)));
                        next += gap;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                },
                "bench-commands");
        writer.start();
    }

    void stopWriting() throws InterruptedException {
        writing.set(false);
        writer.join();
        producer.flush();
    }

    int written() {
        return written.get();
    }

    /** Reads results until each written command has one, or the limit. */
    Outcomes awaitOutcomes(Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until && outcomes.values().stream().anyMatch(n -> n.get() == 0)) {
            for (ConsumerRecord<String, CommandResult> r : results.poll(Duration.ofMillis(200))) {
                AtomicInteger n = outcomes.get(r.value().commandId());
                if (n != null && n.incrementAndGet() == 1) {
                    first.put(r.value().commandId(), r.value());
                }
            }
        }
        Map<String, Long> counts = new HashMap<>();
        List<Duration> waits = new ArrayList<>();
        List<Duration> routing = new ArrayList<>();
        outcomes.forEach((id, n) -> {
            CommandResult r = first.get(id);
            counts.merge(r == null ? "none" : r.status().name(), 1L, Long::sum);
            if (r != null) {
                waits.add(Duration.between(r.requestedAt(), r.completedAt()));
                if (r.routedAt() != null) {
                    routing.add(Duration.between(r.requestedAt(), r.routedAt()));
                }
            }
            if (n.get() > 1) {
                counts.merge("duplicate", 1L, Long::sum);
            }
        });
        return new Outcomes(counts, waits, routing);
    }

    @Override
    public void close() {
        writing.set(false);
        producer.close(Duration.ofSeconds(5));
        results.close();
    }
}
