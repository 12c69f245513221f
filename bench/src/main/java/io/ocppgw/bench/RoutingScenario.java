package io.ocppgw.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JsonSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code routing}: commands written to {@code commands} at a fixed rate (open loop), routed by
 * route-streams to the edge pod holding each charge point: latency from the intended write time to
 * the CALL arriving on the charge point's socket, and to its CommandResult, for exactly_once_v2 and
 * at_least_once. Broker, route-streams and the edge pod are separate processes; the charge points and
 * the backend's producer and result reader run in this process, so their clocks agree.
 */
public final class RoutingScenario {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public record Settings(
            Path jar,
            Path outDir,
            int rate,
            int chargePoints,
            int repeats,
            Duration warmup,
            Duration duration,
            List<String> guarantees) {
        public static final List<String> GUARANTEES = List.of("exactly_once_v2", "at_least_once");

        public Settings {
            guarantees = List.copyOf(guarantees);
            if (guarantees.isEmpty() || !GUARANTEES.containsAll(guarantees)) {
                throw new IllegalArgumentException("guarantees " + guarantees + ": each must be one of " + GUARANTEES);
            }
        }

        public static Settings full(Path jar, Path outDir) {
            return new Settings(jar, outDir, 1000, 100, 3, Duration.ofSeconds(15), Duration.ofSeconds(15), GUARANTEES);
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(jar, outDir, 20, 5, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), GUARANTEES);
        }
    }

    private final Settings settings;

    public RoutingScenario(Settings settings) {
        this.settings = settings;
    }

    public BenchReport run() throws Exception {
        Files.createDirectories(settings.outDir());
        Path work = Files.createTempDirectory("bench-routing");
        // each guarantee with route-streams' shipped defaults (its commit interval follows the guarantee)
        BenchReport report = new BenchReport("routing", settings + ", shipped defaults");
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(
                0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
        try {
            for (String guarantee : settings.guarantees()) {
                String prefix = "bench-" + guarantee.replace('_', '-') + ".";
                try (GatewayProcesses gateway =
                        new GatewayProcesses(settings.jar(), broker.bootstrapServers(), prefix)) {
                    gateway.provisionTopics();
                    GatewayProcesses.Node edge = gateway.edge("edge-gateway-0", Map.of("OCPPGW_LOG_LEVEL", "WARN"))
                            .start();
                    GatewayProcesses.Node route = gateway.route(
                                    "route-" + guarantee,
                                    Map.of("OCPPGW_PROCESSING_GUARANTEE", guarantee, "OCPPGW_LOG_LEVEL", "WARN"))
                            .start();
                    Waits.until(
                            () -> edge.isReady() && route.isReady(),
                            Duration.ofSeconds(180),
                            "the edge pod and route-streams to be ready");
                    List<OcppClient> chargePoints = new ArrayList<>();
                    Probe probe = new Probe();
                    try {
                        for (int i = 0; i < settings.chargePoints(); i++) {
                            chargePoints.add(OcppClient.connect(
                                            edge.url(),
                                            "R-" + i,
                                            OcppClient.Options.of(OcppVersion.OCPP_1_6)
                                                    .withHandler((action, request) -> {
                                                        probe.onSocket(request.path("key")
                                                                .path(0)
                                                                .asText());
                                                        return CsmsCallAnswers.answer(
                                                                OcppVersion.OCPP_1_6, action, request);
                                                    }))
                                    .get(30, TimeUnit.SECONDS));
                        }
                        Waits.until(
                                () -> route.get("/api/v1/stats")
                                        .body()
                                        .contains("\"routesOnline\":" + settings.chargePoints()),
                                Duration.ofSeconds(60),
                                "every charge point's route");
                        // One untimed run first: route-streams starts cold (JIT, RocksDB, the transactional producer)
                        // and its backlog outlasted a 15 s warm-up, so the first timed run was always an outlier.
                        probe.run(broker.bootstrapServers(), prefix, route, broker, null, guarantee);
                        for (int r = 0; r < settings.repeats(); r++) {
                            probe.run(broker.bootstrapServers(), prefix, route, broker, report, guarantee);
                        }
                    } finally {
                        chargePoints.forEach(OcppClient::close);
                    }
                }
            }
        } finally {
            broker.close();
        }
        report.write(settings.outDir());
        return report;
    }

    /** Writes commands at the rate and measures when each reached a socket and when its result came. */
    private final class Probe {
        private static final int MAX = 1 << 20;
        private final AtomicLongArray intended = new AtomicLongArray(MAX);
        private final AtomicLong offset = new AtomicLong();
        private final Histogram toSocket = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        private final Histogram toResult = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        private volatile long measureFrom;

        void onSocket(String key) {
            long now = System.nanoTime();
            if (!key.startsWith("k")) {
                return;
            }
            long t = intended.get(Integer.parseInt(key.substring(1)) % MAX);
            if (t >= measureFrom && t > 0) {
                synchronized (toSocket) {
                    toSocket.recordValue(Math.min((now - t) / 1000, toSocket.getHighestTrackableValue()));
                }
            }
        }

        /** One run; with {@code report} null it is the untimed warm-up and records nothing. */
        void run(
                String bootstrap,
                String prefix,
                GatewayProcesses.Node route,
                EmbeddedKafkaProcess broker,
                BenchReport report,
                String guarantee)
                throws Exception {
            toSocket.reset();
            toResult.reset();
            TopicNames names = new TopicNames(prefix);
            String topic = names.name(Topic.COMMANDS);
            String resultsTopic = names.name(Topic.COMMAND_RESULTS);
            try (KafkaProducer<String, Command> producer = new KafkaProducer<>(
                            Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 1),
                            new StringSerializer(),
                            JsonSerde.of(Command.class));
                    KafkaConsumer<String, CommandResult> results =
                            TopicTail.fromEnd(bootstrap, resultsTopic, JsonSerde.of(CommandResult.class))) {
                long start = System.nanoTime();
                measureFrom = start + settings.warmup().toNanos();
                long end = measureFrom + settings.duration().toNanos();
                double cpuRoute = ProcessCpu.seconds(route.pid());
                double cpuBroker = ProcessCpu.seconds(broker.pid());
                long[] written = {0};
                long[] completed = {0};
                long[] failed = {0};
                Thread writer = new Thread(() -> {
                    double gap = 1e9 / settings.rate();
                    for (long k = 0; ; k++) {
                        long t = start + (long) (k * gap);
                        if (t >= end) {
                            break;
                        }
                        LockSupport.parkNanos(Math.max(0, t - System.nanoTime()));
                        long n = offset.getAndIncrement();
                        intended.set((int) (n % MAX), t);
                        String cp = "R-" + (k % settings.chargePoints());
                        ObjectNode payload = JSON.objectNode();
                        payload.putArray("key").add("k" + n);
                        producer.send(new ProducerRecord<>(
                                topic,
                                cp,
                                new Command(
                                        "k" + n,
                                        cp,
                                        Command.Kind.CALL,
                                        "GetConfiguration",
                                        payload,
                                        Instant.now(),
                                        null,
                                        Duration.ofMinutes(5),
                                        Command.OfflinePolicy.QUEUE,
                                        null,
                                        null,
                                        null)));
                        if (t >= measureFrom) {
                            written[0]++;
                        }
                    }
                });
                writer.start();
                long drainUntil = end + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < drainUntil && (writer.isAlive() || completed[0] + failed[0] < written[0])) {
                    for (ConsumerRecord<String, CommandResult> r : results.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        String id = r.value().commandId();
                        long t = id.startsWith("k") ? intended.get(Integer.parseInt(id.substring(1)) % MAX) : 0;
                        if (t < measureFrom || t == 0) {
                            continue;
                        }
                        if (r.value().status() == CommandResult.Status.COMPLETED) {
                            completed[0]++;
                            toResult.recordValue(Math.min((now - t) / 1000, toResult.getHighestTrackableValue()));
                        } else {
                            failed[0]++;
                        }
                    }
                }
                double seconds = settings.duration().toNanos() / 1e9;
                double elapsed = (System.nanoTime() - measureFrom) / 1e9;
                Map<String, Double> cpu = Map.of(
                        "target",
                        100 * (ProcessCpu.seconds(route.pid()) - cpuRoute) / elapsed,
                        "broker",
                        100 * (ProcessCpu.seconds(broker.pid()) - cpuBroker) / elapsed,
                        "load",
                        Double.NaN);
                if (report == null) {
                    return;
                }
                String name = guarantee.equals("exactly_once_v2") ? "eos" : "alo";
                synchronized (toSocket) {
                    report.add(
                            name + ":to-socket",
                            settings.rate(),
                            sample(toSocket, completed[0] / seconds, failed[0], cpu));
                }
                report.add(
                        name + ":to-result", settings.rate(), sample(toResult, completed[0] / seconds, failed[0], cpu));
            }
        }
    }

    private static BenchReport.Sample sample(Histogram h, double throughput, long errors, Map<String, Double> cpu) {
        return new BenchReport.Sample(
                throughput,
                errors,
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0,
                cpu);
    }
}
