package io.ocppgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code failover}: two edge pods share the charge points (each connection goes to either pod, as
 * behind a load balancer) while commands flow; one pod is SIGKILLed. Measured: time until 99 % and
 * 100 % of the charge points are connected again and routed to the survivor (route-streams' table),
 * the outcome of every command written around the kill, and whether every CALL a charge point saw
 * acknowledged is in the journal.
 */
public final class FailoverScenario {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public record Settings(Path jar, Path outDir, int chargePoints, int commandsPerSecond, int repeats) {
        public static Settings full(Path jar, Path outDir) {
            return new Settings(jar, outDir, 5_000, 100, 3);
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(jar, outDir, 60, 10, 1);
        }
    }

    private final Settings settings;

    public FailoverScenario(Settings settings) {
        this.settings = settings;
    }

    public FleetReport run() throws Exception {
        Path work = Files.createTempDirectory("bench-failover");
        FleetReport report = new FleetReport("failover", settings.toString());
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
        try {
            for (int run = 0; run < settings.repeats(); run++) {
                once(broker, work.resolve("run-" + run), "bench-failover-" + run + ".", report, run);
            }
        } finally {
            broker.close();
        }
        report.write(settings.outDir());
        return report;
    }

    private void once(EmbeddedKafkaProcess broker, Path dir, String prefix, FleetReport report, int run) throws Exception {
        String caseName = settings.chargePoints() + " CPs, 2 pods";
        String bootstrap = broker.bootstrapServers();
        TopicNames topics = new TopicNames(prefix);
        try (GatewayProcesses gateway = new GatewayProcesses(settings.jar(), bootstrap, prefix)) {
            gateway.provisionTopics();
            Map<String, String> quiet = Map.of("OCPPGW_LOG_LEVEL", "WARN");
            GatewayProcesses.Node victim = gateway.edge("edge-gateway-0", quiet).start();
            GatewayProcesses.Node survivor = gateway.edge("edge-gateway-1", quiet).start();
            GatewayProcesses.Node route = gateway.route("route", quiet).start();
            Waits.until(() -> victim.isReady() && survivor.isReady() && route.isReady(), Duration.ofSeconds(180), "the gateway to be ready");
            try (Fleets fleet = Fleets.start(settings.jar(), dir, "fleet", new LightFleet.Settings(
                    Fleets.urls(victim.url(), survivor.url()), settings.chargePoints(), "F" + run + "-", 0, Optional.empty(), Optional.empty(),
                    LightFleet.Backoff.FIRMWARE, 1000, 256, Duration.ofSeconds(5)), 9_500, 0);
                 Commands commands = new Commands(bootstrap, topics, "F" + run + "-")) {
                Waits.until(() -> online(route, null) >= settings.chargePoints(), Duration.ofSeconds(180), "every charge point routed");
                commands.start();
                Thread.sleep(5000);
                long onVictim = online(route, victim.name);
                long killed = System.nanoTime();
                victim.kill9();
                double to99 = Double.NaN;
                double to100 = Double.NaN;
                while (System.nanoTime() - killed < Duration.ofSeconds(120).toNanos()) {
                    double t = (System.nanoTime() - killed) / 1e9;
                    long routed = online(route, survivor.name);
                    report.point("run " + (run + 1), t, routed);
                    if (Double.isNaN(to99) && routed >= Math.ceil(settings.chargePoints() * 0.99)) {
                        to99 = t;
                    }
                    if (routed >= settings.chargePoints()) {
                        to100 = t;
                        break;
                    }
                    Thread.sleep(250);
                }
                Thread.sleep(5000);
                commands.stopWriting();
                Map<String, Long> outcomes = commands.awaitOutcomes(Duration.ofSeconds(90));
                List<String> acked = fleet.stop();
                long lost = missingFromJournal(bootstrap, topics, acked);
                report.figure(caseName, "charge points on the killed pod", onVictim, "CPs");
                report.figure(caseName, "99% re-routed after the kill", to99, "s");
                report.figure(caseName, "100% re-routed after the kill", to100, "s");
                report.figure(caseName, "commands written", commands.written(), "commands");
                for (String status : List.of("COMPLETED", "CONNECTION_LOST", "TIMEOUT", "EXPIRED", "UNDELIVERABLE", "REJECTED", "FAILED")) {
                    report.figure(caseName, "outcome " + status, outcomes.getOrDefault(status, 0L), "commands");
                }
                report.figure(caseName, "commands without an outcome", outcomes.getOrDefault("none", 0L), "commands");
                report.figure(caseName, "commands with 2+ outcomes", outcomes.getOrDefault("duplicate", 0L), "commands");
                report.figure(caseName, "acknowledged CALLs", acked.size(), "CALLs");
                report.figure(caseName, "acknowledged CALLs lost", lost, "CALLs");
            }
        }
    }

    /** Routes ONLINE in route-streams' table, on one pod or (null) on any. */
    private static long online(GatewayProcesses.Node route, String pod) {
        GatewayProcesses.Answer a = route.get("/api/v1/stats");
        if (a.status() != 200) {
            return -1;
        }
        try {
            JsonNode stats = JsonSerde.MAPPER.readTree(a.body());
            return pod == null ? stats.path("totals").path("routesOnline").asLong() : stats.path("routesPerPod").path(pod).asLong();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Reads the whole journal: how many acknowledged CALL message ids are not in it as a CALL. */
    private static long missingFromJournal(String bootstrap, TopicNames topics, List<String> acked) {
        Set<String> journaled = new HashSet<>();
        String topic = topics.name(Topic.OCPP_JOURNAL);
        try (KafkaConsumer<String, JournalEntry> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false,
                "max.poll.records", 5000), new StringDeserializer(), JsonSerde.of(JournalEntry.class))) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, JournalEntry> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && "CALL".equals(r.value().messageType())) {
                        journaled.add(r.value().messageId());
                    }
                }
            }
        }
        return acked.stream().filter(id -> !journaled.contains(id)).count();
    }

    /** A backend writing GetConfiguration commands to random charge points, and reading their results. */
    private final class Commands implements AutoCloseable {
        private final KafkaProducer<String, Command> producer;
        private final KafkaConsumer<String, CommandResult> results;
        private final String commandsTopic;
        private final String idPrefix;
        private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        private final Map<String, String> status = new ConcurrentHashMap<>();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final AtomicInteger written = new AtomicInteger();
        private Thread writer;

        Commands(String bootstrap, TopicNames topics, String idPrefix) {
            this.commandsTopic = topics.name(Topic.COMMANDS);
            this.idPrefix = idPrefix;
            this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5), new StringSerializer(),
                    JsonSerde.of(Command.class));
            this.results = TopicTail.fromEnd(bootstrap, topics.name(Topic.COMMAND_RESULTS), JsonSerde.of(CommandResult.class));
        }

        void start() {
            writer = new Thread(() -> {
                long gap = TimeUnit.SECONDS.toNanos(1) / settings.commandsPerSecond();
                long next = System.nanoTime();
                while (writing.get()) {
                    String target = idPrefix + ThreadLocalRandom.current().nextInt(settings.chargePoints());
                    String id = "fo-" + written.incrementAndGet();
                    outcomes.put(id, new AtomicInteger());
                    producer.send(new ProducerRecord<>(commandsTopic, target, new Command(id, target, Command.Kind.CALL, "GetConfiguration",
                            JSON.objectNode(), Instant.now(), null, Duration.ofSeconds(60), Command.OfflinePolicy.QUEUE, null, null, null)));
                    next += gap;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }, "failover-commands");
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

        /** Reads results until each written command has one, or the limit; counts by status, "none" and "duplicate". */
        Map<String, Long> awaitOutcomes(Duration limit) {
            long until = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < until && outcomes.values().stream().anyMatch(n -> n.get() == 0)) {
                for (ConsumerRecord<String, CommandResult> r : results.poll(Duration.ofMillis(200))) {
                    AtomicInteger n = outcomes.get(r.value().commandId());
                    if (n != null && n.incrementAndGet() == 1) {
                        status.put(r.value().commandId(), r.value().status().name());
                    }
                }
            }
            Map<String, Long> counts = new HashMap<>();
            outcomes.forEach((id, n) -> {
                String key = n.get() == 0 ? "none" : status.get(id);
                counts.merge(key, 1L, Long::sum);
                if (n.get() > 1) {
                    counts.merge("duplicate", 1L, Long::sum);
                }
            });
            return counts;
        }

        @Override
        public void close() {
            writing.set(false);
            producer.close(Duration.ofSeconds(5));
            results.close();
        }
    }
}
