package io.ocppgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.JsonSerde;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.Jedis;

/**
 * {@code broadcast}: one command to every connected charge point at once (a tariff or firmware push),
 * the charge points spread over several edge pods behind a load balancer. Measured for the gateway
 * (commands on {@code commands}, routed by route-streams) and for the classic design (a Redis route
 * map and a topic per pod, {@link ClassicEdge} and {@link ClassicBackend} with three lookups): time
 * until every command is on its socket (the charge points' clock) and until every outcome is in;
 * then once more with one pod SIGKILLed halfway through the broadcast, counting commands misrouted,
 * without an outcome, or with two.
 */
public final class BroadcastScenario {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    /**
     * A kill run is over when every command has an outcome, or nothing new came for this long: longer
     * than a command sent by a pod that vanished waits for that pod (its response timeout, 30 s, and
     * route-streams' report grace, 5 s), since the pod may only be paused.
     */
    private static final Duration QUIET = Duration.ofSeconds(45);

    private static final Duration MAX_WAIT = Duration.ofSeconds(120);
    static final int WARM_JIT_SHARE_PERCENT = 10;

    /**
     * @param warmUps the most untimed broadcasts before the timed ones of each case. A process JIT-compiles
     *                its hot code over its first hundred thousand records or so (route-streams reads three per
     *                command; an edge pod compiles for longer still), and a broadcast should meet a gateway that has
     *                been running, as in production:
     *                warm-up stops once the JIT compilers of the measured processes took under
     *                {@value #WARM_JIT_SHARE_PERCENT} % of their CPU in a broadcast
     * @param classic whether the classic design is measured too (the time ratios need it)
     */
    public record Settings(
            Path jar, Path outDir, int chargePoints, int pods, int repeats, int warmUps, boolean classic) {
        public static Settings full(Path jar, Path outDir) {
            return new Settings(jar, outDir, 10_000, 3, 3, 12, true);
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(jar, outDir, 60, 3, 1, 1, true);
        }
    }

    /**
     * Something a design's backend learned about a command: its outcome ({@code terminal}) or a step on
     * the way; with the times its result gives (epoch millis, 0 when it gives none).
     */
    record Event(String commandId, String status, boolean terminal, long routedAtMillis, long sentAtMillis) {
        Event(String commandId, String status, boolean terminal) {
            this(commandId, status, terminal, 0, 0);
        }
    }

    /** One design as the broadcasting backend sees it. */
    interface Design extends AutoCloseable {
        /** Writes one command per charge point, with id {@code idPrefix + chargePointId}. */
        void write(List<String> chargePoints, String idPrefix) throws Exception;

        /** What was learned since the last call; waits at most about 100 ms. */
        List<Event> poll();

        /** CPU seconds the design's router process has used so far (NaN: no router process of its own). */
        default double routerCpuSeconds() {
            return Double.NaN;
        }

        /** The part of {@link #routerCpuSeconds()} its JIT compiler threads used (NaN: no router process of its own). */
        default double routerJitSeconds() {
            return Double.NaN;
        }

        /** The router's own counters so far (records in and out, store writes), by name; empty when it has none. */
        default Map<String, Double> routerCounts() {
            return Map.of();
        }
    }

    /** One broadcast's figures; times in seconds from the first write (on sockets: NaN in a kill run, where some get two CALLs). */
    record Result(
            int commands,
            double written,
            double allRouted,
            double allSent,
            double onSockets,
            double allOutcomes,
            Map<String, Long> byStatus,
            long withoutOutcome,
            long duplicates,
            long misrouted,
            double routerCpuSeconds,
            double routerJitSeconds,
            Map<String, Double> routerCounts,
            Map<String, Double> cpuByPart) {}

    private final Settings settings;

    public BroadcastScenario(Settings settings) {
        this.settings = settings;
    }

    public FleetReport run() throws Exception {
        Path work = Files.createTempDirectory("bench-broadcast");
        FleetReport report = new FleetReport(
                "broadcast", settings.toString(), "outcomes over time (first run of each case)", "outcomes");
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(
                0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
        try {
            gateway(broker, work.resolve("gateway"), report);
            if (settings.classic()) {
                classic(broker, work.resolve("classic"), report);
            }
        } finally {
            broker.close();
        }
        for (ClassicBackend.Lookup lookup :
                settings.classic() ? ClassicBackend.Lookup.values() : new ClassicBackend.Lookup[0]) {
            for (String figure : List.of("all on sockets", "all outcomes")) {
                report.figure(
                        "gateway / " + label(lookup),
                        figure + ", time ratio",
                        median(report.values("gateway", figure)) / median(report.values(label(lookup), figure)),
                        "x");
            }
        }
        report.write(settings.outDir());
        return report;
    }

    private static String label(ClassicBackend.Lookup lookup) {
        return switch (lookup) {
            case GET -> "classic GET";
            case PIPELINED -> "classic pipelined";
            case CACHED -> "classic cached 30 s";
        };
    }

    private void gateway(EmbeddedKafkaProcess broker, Path dir, FleetReport report) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String prefix = "bench-broadcast.";
        try (GatewayProcesses gateway = new GatewayProcesses(settings.jar(), bootstrap, prefix)) {
            gateway.provisionTopics();
            Map<String, String> quiet = Map.of("OCPPGW_LOG_LEVEL", "WARN");
            List<GatewayProcesses.Node> edges = new ArrayList<>();
            for (int i = 0; i < settings.pods(); i++) {
                edges.add(gateway.edge("edge-gateway-" + i, quiet).start());
            }
            GatewayProcesses.Node route = gateway.route("route", quiet).start();
            Waits.until(
                    () -> route.isReady() && edges.stream().allMatch(GatewayProcesses.Node::isReady),
                    Duration.ofSeconds(180),
                    "the gateway to be ready");
            List<String> chargePoints = ids("B-");
            try (Fleets fleet = startFleet(
                            dir, edges.stream().map(GatewayProcesses.Node::url).toList(), "B-");
                    GatewayDesign design = new GatewayDesign(bootstrap, new TopicNames(prefix), route)) {
                Waits.until(
                        () -> routesOnline(route) >= settings.chargePoints(),
                        Duration.ofSeconds(300),
                        "every charge point routed");
                Map<String, List<Long>> parts = Map.of(
                        "route-streams",
                        List.of(route.pid()),
                        "edge pods",
                        edges.stream().map(GatewayProcesses.Node::pid).toList(),
                        "broker",
                        List.of(broker.pid()),
                        "fleets",
                        fleet.pids());
                broadcasts(design, fleet, chargePoints, "gateway", parts, report);
                GatewayProcesses.Node victim = edges.get(edges.size() - 1);
                record(
                        report,
                        "gateway, pod killed",
                        broadcast(design, fleet, chargePoints, "gk-", "gateway, pod killed", Map.of(), report, () -> {
                            try {
                                victim.kill9();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }));
            }
        }
    }

    private void classic(EmbeddedKafkaProcess broker, Path dir, FleetReport report) throws Exception {
        String bootstrap = broker.bootstrapServers();
        ClassicEdge.Names names = new ClassicEdge.Names("bench-classic.");
        List<String> pods = IntStream.range(0, settings.pods())
                .mapToObj(i -> "classic-" + i)
                .toList();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>(pods.stream()
                    .map(p -> new NewTopic(names.commands(p), 1, (short) 1))
                    .toList());
            topics.add(new NewTopic(names.results(), 4, (short) 1));
            admin.createTopics(topics).all().get();
        }
        List<String> chargePoints = ids("C-");
        List<Process> edges = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            List<String> urls = new ArrayList<>();
            for (String pod : pods) {
                int port = FreePorts.loopback();
                edges.add(new ProcessBuilder(
                                JAVA.toString(),
                                "-Xmx384m",
                                "-XX:+UseSerialGC",
                                "-jar",
                                settings.jar().toString(),
                                "bench",
                                "classic-edge",
                                "--pod-id",
                                pod,
                                "--port",
                                String.valueOf(port),
                                "--redis-port",
                                String.valueOf(redis.port()),
                                "--bootstrap-server",
                                bootstrap,
                                "--topic-prefix",
                                names.prefix())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(pod + ".log").toFile())
                        .start());
                urls.add("ws://127.0.0.1:" + port + "/ocpp");
                Waits.until(() -> accepts(port), Duration.ofSeconds(60), pod + " to listen");
            }
            try (Fleets fleet = startFleet(dir, urls, "C-");
                    Jedis routes = redis.client()) {
                Waits.until(
                        () -> fleet.totals().connected() >= settings.chargePoints()
                                && routes.dbSize() >= settings.chargePoints(),
                        Duration.ofSeconds(300),
                        "every charge point connected and in Redis");
                Map<String, List<Long>> parts = Map.of(
                        "edge pods",
                        edges.stream().map(Process::pid).toList(),
                        "broker",
                        List.of(broker.pid()),
                        "fleets",
                        fleet.pids(),
                        "redis",
                        List.of(redis.pid()));
                for (ClassicBackend.Lookup lookup : ClassicBackend.Lookup.values()) {
                    try (ClassicDesign design =
                            new ClassicDesign(bootstrap, names, new ClassicBackend(names, lookup, routes, bootstrap))) {
                        broadcasts(design, fleet, chargePoints, label(lookup), parts, report);
                    }
                }
                try (ClassicDesign design = new ClassicDesign(
                        bootstrap, names, new ClassicBackend(names, ClassicBackend.Lookup.GET, routes, bootstrap))) {
                    Process victim = edges.get(edges.size() - 1);
                    record(
                            report,
                            "classic GET, pod killed",
                            broadcast(
                                    design,
                                    fleet,
                                    chargePoints,
                                    "ck-",
                                    "classic GET, pod killed",
                                    Map.of(),
                                    report,
                                    () -> {
                                        victim.destroyForcibly();
                                        try {
                                            victim.waitFor();
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    }));
                }
            }
        } finally {
            edges.forEach(Process::destroyForcibly);
        }
    }

    /**
     * The timed runs of one case, after untimed ones: every case is measured warm (JIT-compiled processes;
     * for the cached classic backend, its cache as in steady state, filled within its 30 s).
     */
    private void broadcasts(
            Design design,
            Fleets fleet,
            List<String> chargePoints,
            String caseName,
            Map<String, List<Long>> parts,
            FleetReport report)
            throws Exception {
        String caseId = caseName.replaceAll("[^a-z]", "");
        int warmUps = 0;
        while (warmUps < settings.warmUps()) {
            double cpu = cpuOf(parts, ProcessCpu::seconds);
            double jit = cpuOf(parts, ProcessCpu::jitSeconds);
            broadcast(design, fleet, chargePoints, caseId + "w" + warmUps + "-", null, parts, null, null);
            warmUps++;
            double jitShare =
                    100 * (cpuOf(parts, ProcessCpu::jitSeconds) - jit) / (cpuOf(parts, ProcessCpu::seconds) - cpu);
            System.err.printf("%s warm-up %d: JIT compilers %.1f %% of the CPU%n", caseName, warmUps, jitShare);
            if (jitShare < WARM_JIT_SHARE_PERCENT) {
                break;
            }
        }
        report.figure(caseName, "untimed broadcasts before (JIT warm-up)", warmUps, "broadcasts");
        for (int run = 0; run < settings.repeats(); run++) {
            String prefix = caseId + run + "-";
            record(
                    report,
                    caseName,
                    broadcast(design, fleet, chargePoints, prefix, run == 0 ? caseName : null, parts, report, null));
        }
    }

    private static void record(FleetReport report, String caseName, Result r) {
        report.figure(caseName, "commands written", r.commands(), "commands");
        report.figure(caseName, "all written", r.written(), "s");
        if (!Double.isNaN(r.allRouted())) {
            report.figure(caseName, "all routed (last routedAt)", r.allRouted(), "s");
            report.figure(caseName, "all sent (last sentAt)", r.allSent(), "s");
        }
        if (!Double.isNaN(r.onSockets())) {
            report.figure(caseName, "all on sockets", r.onSockets(), "s");
        }
        report.figure(caseName, "all outcomes", r.allOutcomes(), "s");
        new TreeMap<>(r.byStatus()).forEach((status, n) -> report.figure(caseName, "outcome " + status, n, "commands"));
        report.figure(caseName, "misrouted (reached a pod without it)", r.misrouted(), "commands");
        report.figure(caseName, "commands without an outcome", r.withoutOutcome(), "commands");
        report.figure(caseName, "commands with 2+ outcomes", r.duplicates(), "commands");
        if (!Double.isNaN(r.routerCpuSeconds())) {
            report.figure(caseName, "route-streams CPU per command", r.routerCpuSeconds() * 1e6 / r.commands(), "µs");
            report.figure(caseName, "  of which its JIT compiler", r.routerJitSeconds() * 1e6 / r.commands(), "µs");
        }
        r.routerCounts()
                .forEach((metric, n) -> report.figure(caseName, metric + " per command", n / r.commands(), "records"));
        r.cpuByPart()
                .forEach((part, seconds) ->
                        report.figure(caseName, "CPU per command, " + part, seconds * 1e6 / r.commands(), "µs"));
    }

    /**
     * One broadcast; with {@code kill}, it runs after the first half of the commands was written.
     * {@code series}: the name under which outcomes over time go into the report, or null; {@code parts}:
     * the processes whose CPU is reported, by part.
     */
    private Result broadcast(
            Design design,
            Fleets fleet,
            List<String> chargePoints,
            String idPrefix,
            String series,
            Map<String, List<Long>> parts,
            FleetReport report,
            Runnable kill)
            throws Exception {
        Thread.sleep(
                1500); // the fleets' status files are rewritten twice a second: let them catch up before reading the
        // baseline
        long callsBefore = fleet.totals().csmsCalls();
        Map<String, Integer> outcomes = new HashMap<>();
        Map<String, String> firstStatus = new HashMap<>();
        chargePoints.forEach(cp -> outcomes.put(idPrefix + cp, 0));
        long misrouted = 0;
        long withOutcome = 0;
        long lastRoutedAt = 0;
        long lastSentAt = 0;
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        System.err.printf(
                "%tT.%<tL broadcast %s: writing %d commands%s%n",
                startMillis, idPrefix, chargePoints.size(), kill == null ? "" : ", a pod is killed halfway");
        long lastOutcome = start;
        double cpuBefore = design.routerCpuSeconds();
        double routerJitBefore = design.routerJitSeconds();
        Map<String, Double> partsBefore = cpuByPart(parts);
        double jitBefore = cpuOf(parts, ProcessCpu::jitSeconds);
        Map<String, Double> countsBefore = design.routerCounts();
        if (kill == null) {
            design.write(chargePoints, idPrefix);
        } else {
            int half = chargePoints.size() / 2;
            design.write(chargePoints.subList(0, half), idPrefix);
            kill.run();
            design.write(chargePoints.subList(half, chargePoints.size()), idPrefix);
        }
        double written = (System.nanoTime() - start) / 1e9;
        long lastPoint = 0;
        while (withOutcome < outcomes.size()
                && System.nanoTime() - lastOutcome < QUIET.toNanos()
                && System.nanoTime() - start < MAX_WAIT.toNanos()) {
            for (Event e : design.poll()) {
                Integer n = outcomes.get(e.commandId());
                if (n == null) {
                    continue;
                }
                if ("NOT_CONNECTED".equals(e.status())) {
                    misrouted++;
                }
                if (e.terminal()) {
                    lastRoutedAt = Math.max(lastRoutedAt, e.routedAtMillis());
                    lastSentAt = Math.max(lastSentAt, e.sentAtMillis());
                    outcomes.put(e.commandId(), n + 1);
                    if (n == 0) {
                        firstStatus.put(e.commandId(), e.status());
                        withOutcome++;
                        lastOutcome = System.nanoTime();
                    }
                }
            }
            if (series != null && System.nanoTime() - lastPoint > 50_000_000L) {
                lastPoint = System.nanoTime();
                report.point(series, (lastPoint - start) / 1e9, withOutcome);
            }
        }
        double allOutcomes = withOutcome == outcomes.size() ? (lastOutcome - start) / 1e9 : Double.NaN;
        double routerCpu = design.routerCpuSeconds() - cpuBefore;
        double routerJit = design.routerJitSeconds() - routerJitBefore;
        Map<String, Double> cpuByPart = new TreeMap<>();
        cpuByPart(parts).forEach((part, seconds) -> cpuByPart.put(part, seconds - partsBefore.get(part)));
        if (!parts.isEmpty()) {
            cpuByPart.put("JIT compilers of all these", cpuOf(parts, ProcessCpu::jitSeconds) - jitBefore);
        }
        Map<String, Double> counts = new TreeMap<>();
        design.routerCounts().forEach((metric, n) -> counts.put(metric, n - countsBefore.getOrDefault(metric, 0.0)));
        double onSockets = Double.NaN;
        if (kill == null) {
            long want = callsBefore + chargePoints.size();
            try {
                Waits.until(
                        () -> fleet.totals().csmsCalls() >= want,
                        Duration.ofSeconds(10),
                        "the fleets to report every CALL");
                onSockets = (fleet.totals().lastCsmsCallAtMillis() - startMillis) / 1e3;
            } catch (IllegalStateException notAll) {
                // some never reached a socket: no time to report
            }
        }
        Map<String, Long> byStatus = new HashMap<>();
        firstStatus.values().forEach(s -> byStatus.merge(s, 1L, Long::sum));
        double allRouted = lastRoutedAt == 0 ? Double.NaN : (lastRoutedAt - startMillis) / 1e3;
        double allSent = lastSentAt == 0 ? Double.NaN : (lastSentAt - startMillis) / 1e3;
        return new Result(
                outcomes.size(),
                written,
                allRouted,
                allSent,
                onSockets,
                allOutcomes,
                byStatus,
                outcomes.size() - withOutcome,
                outcomes.values().stream().filter(n -> n > 1).count(),
                misrouted,
                routerCpu,
                routerJit,
                counts,
                cpuByPart);
    }

    private static double cpuOf(Map<String, List<Long>> parts, ToDoubleFunction<Long> seconds) {
        return parts.values().stream()
                .flatMap(List::stream)
                .mapToDouble(seconds)
                .sum();
    }

    /** CPU seconds so far of each part (its processes summed). */
    private static Map<String, Double> cpuByPart(Map<String, List<Long>> parts) {
        Map<String, Double> seconds = new TreeMap<>();
        parts.forEach((part, pids) ->
                seconds.put(part, pids.stream().mapToDouble(ProcessCpu::seconds).sum()));
        return seconds;
    }

    private Fleets startFleet(Path dir, List<String> urls, String idPrefix) throws IOException {
        return Fleets.start(
                settings.jar(),
                dir,
                "fleet",
                new LightFleet.Settings(
                        Fleets.urls(urls.toArray(String[]::new)),
                        settings.chargePoints(),
                        idPrefix,
                        0,
                        Optional.empty(),
                        Optional.empty(),
                        LightFleet.Backoff.FIRMWARE,
                        2000,
                        256,
                        Duration.ZERO,
                        LightFleet.Calls.HEARTBEAT),
                9_500,
                0);
    }

    private List<String> ids(String prefix) {
        return IntStream.range(0, settings.chargePoints())
                .mapToObj(i -> prefix + i)
                .toList();
    }

    private static long routesOnline(GatewayProcesses.Node route) {
        GatewayProcesses.Answer a = route.get("/api/v1/stats");
        try {
            return a.status() == 200
                    ? JsonSerde.MAPPER
                            .readTree(a.body())
                            .path("totals")
                            .path("routesOnline")
                            .asLong()
                    : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().sorted().toList().get(values.size() / 2);
    }

    /** The gateway: commands to {@code commands}; outcomes from {@code command-results}, misroutes from delivery reports. */
    private static final class GatewayDesign implements Design {
        private final KafkaProducer<String, Command> producer;
        private final String commandsTopic;
        private final KafkaConsumer<String, CommandResult> results;
        private final KafkaConsumer<String, DeliveryReport> reports;
        private final GatewayProcesses.Node router;

        GatewayDesign(String bootstrap, TopicNames topics, GatewayProcesses.Node router) {
            this.router = router;
            this.producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5),
                    new StringSerializer(),
                    JsonSerde.of(Command.class));
            this.commandsTopic = topics.name(Topic.COMMANDS);
            this.results =
                    TopicTail.fromEnd(bootstrap, topics.name(Topic.COMMAND_RESULTS), JsonSerde.of(CommandResult.class));
            this.reports =
                    TopicTail.fromEnd(bootstrap, topics.name(Topic.COMMAND_STATUS), JsonSerde.of(DeliveryReport.class));
        }

        @Override
        public void write(List<String> chargePoints, String idPrefix) {
            for (String cp : chargePoints) {
                producer.send(new ProducerRecord<>(
                        commandsTopic,
                        cp,
                        new Command(
                                idPrefix + cp,
                                cp,
                                Command.Kind.CALL,
                                "GetConfiguration",
                                JSON.objectNode(),
                                Instant.now(),
                                null,
                                Duration.ofSeconds(60),
                                Command.OfflinePolicy.QUEUE,
                                null,
                                null,
                                null)));
            }
            producer.flush();
        }

        @Override
        public List<Event> poll() {
            List<Event> events = new ArrayList<>();
            for (ConsumerRecord<String, CommandResult> r : results.poll(Duration.ofMillis(80))) {
                CommandResult result = r.value();
                events.add(new Event(
                        result.commandId(),
                        result.status().name(),
                        true,
                        millis(result.routedAt()),
                        millis(result.sentAt())));
            }
            for (ConsumerRecord<String, DeliveryReport> r : reports.poll(Duration.ofMillis(20))) {
                if (r.value() != null && r.value().status() == DeliveryReport.Status.NOT_CONNECTED) {
                    events.add(new Event(r.value().commandId(), "NOT_CONNECTED", false));
                }
            }
            return events;
        }

        @Override
        public double routerCpuSeconds() {
            return ProcessCpu.seconds(router.pid());
        }

        @Override
        public double routerJitSeconds() {
            return ProcessCpu.jitSeconds(router.pid());
        }

        private static long millis(Instant t) {
            return t == null ? 0 : t.toEpochMilli();
        }

        /** Sums of route-streams' record and store-write counters, from its /metrics. */
        @Override
        public Map<String, Double> routerCounts() {
            Map<String, Double> sums = new TreeMap<>();
            for (String line : router.get("/metrics").body().split("\n")) {
                for (String metric : List.of(
                        "ocppgw_route_records_in_total",
                        "ocppgw_route_records_out_total",
                        "ocppgw_route_store_writes_total")) {
                    if (line.startsWith(metric + "{")) {
                        sums.merge(
                                metric.replace("ocppgw_route_", "")
                                        .replace("_total", "")
                                        .replace('_', ' '),
                                Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                                Double::sum);
                    }
                }
            }
            return sums;
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
            results.close();
            reports.close();
        }
    }

    /** The classic design: {@link ClassicBackend} writes, the pods' result topic answers. */
    private static final class ClassicDesign implements Design {
        private final ClassicBackend backend;
        private final KafkaConsumer<String, String> results;

        ClassicDesign(String bootstrap, ClassicEdge.Names names, ClassicBackend backend) {
            this.backend = backend;
            this.results = TopicTail.fromEnd(bootstrap, names.results(), new StringDeserializer());
        }

        @Override
        public void write(List<String> chargePoints, String idPrefix) {
            backend.send(chargePoints, idPrefix, "GetConfiguration");
        }

        @Override
        public List<Event> poll() {
            List<Event> events = new ArrayList<>();
            for (ConsumerRecord<String, String> r : results.poll(Duration.ofMillis(100))) {
                try {
                    JsonNode v = ClassicEdge.MAPPER.readTree(r.value());
                    events.add(new Event(
                            v.path("commandId").asText(), v.path("status").asText(), true));
                } catch (IOException e) {
                    // not a result of ours
                }
            }
            return events;
        }

        @Override
        public void close() {
            backend.close();
            results.close();
        }
    }
}
