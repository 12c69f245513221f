package io.ocppgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.embedded.FreePorts;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code upstream}: CALLs answered after acks=all through one edge pod (validation off and strict),
 * side by side with the bare hot path ({@link BareHotPath}): throughput at saturation and latency at
 * fixed offered loads, with the CPU each process used. Broker, target and load generator are separate
 * processes of the same jar on loopback, one target at a time.
 */
public final class UpstreamScenario {

    /** A 1.6 MeterValues as a charge point sends it every few seconds during a transaction; valid against the schema. */
    public static final String PAYLOAD =
            "{\"connectorId\":1,\"transactionId\":7,\"meterValue\":[{\"timestamp\":\"2026-11-25T10:00:00Z\","
                    + "\"sampledValue\":[{\"value\":\"12345\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}]}]}";
    /** The bare hot path's journal: not a gateway topic, created by the scenario. */
    private static final String BARE_TOPIC = "bench.bare-journal";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /**
     * @param rates       offered loads, CALLs/s
     * @param repeats     runs per measurement (the report gives the median and the spread)
     * @param connections charge points the load generator simulates at the offered loads
     * @param saturationConnections charge points of the saturation run, each with one CALL outstanding
     * @param targets     which of {@link #TARGETS} to measure, in that order
     */
    public record Settings(
            Path jar,
            Path outDir,
            List<Integer> rates,
            int repeats,
            int connections,
            int saturationConnections,
            List<String> targets,
            Duration warmup,
            Duration duration) {
        public static final List<String> TARGETS = List.of("off", "strict", "bare");

        public Settings {
            rates = List.copyOf(rates);
            targets = TARGETS.stream().filter(targets::contains).toList();
        }

        public static Settings full(Path jar, Path outDir) {
            return new Settings(
                    jar,
                    outDir,
                    List.of(1000, 5000, 10_000, 20_000),
                    3,
                    400,
                    64,
                    TARGETS,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(15));
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(
                    jar, outDir, List.of(200), 1, 20, 20, TARGETS, Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    private final Settings settings;

    public UpstreamScenario(Settings settings) {
        this.settings = settings;
    }

    public BenchReport run() throws Exception {
        Files.createDirectories(settings.outDir());
        Path work = Files.createTempDirectory("bench-upstream");
        BenchReport report = new BenchReport("upstream", settings.toString());
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(
                0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
        try (GatewayProcesses gateway = new GatewayProcesses(settings.jar(), broker.bootstrapServers(), "bench.")) {
            gateway.provisionTopics();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(BARE_TOPIC, 4, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            for (String validation :
                    settings.targets().stream().filter(t -> !t.equals("bare")).toList()) {
                GatewayProcesses.Node edge = gateway.edge(
                                "edge-gateway-0",
                                Map.of(
                                        "OCPPGW_VALIDATION",
                                        validation,
                                        "OCPPGW_MAX_CONNECTIONS",
                                        "20000",
                                        "OCPPGW_UPGRADES_PER_SECOND",
                                        "5000",
                                        "OCPPGW_LOG_LEVEL",
                                        "WARN"))
                        .start();
                awaitPort(edge.wsPort);
                Waits.until(edge::isReady, Duration.ofSeconds(120), "the edge pod to be ready");
                measure(report, "gateway-" + validation, edge.url(), edge.pid(), broker.pid(), work);
                edge.terminate();
            }
            if (settings.targets().contains("bare")) {
                measureBare(report, broker, work);
            }
        } finally {
            broker.close();
        }
        report.write(settings.outDir());
        return report;
    }

    private void measureBare(BenchReport report, EmbeddedKafkaProcess broker, Path work) throws Exception {
        int barePort = FreePorts.loopback();
        Process bare = new ProcessBuilder(
                        JAVA.toString(),
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-jar",
                        settings.jar().toString(),
                        "bench",
                        "bare-server",
                        "--port",
                        String.valueOf(barePort),
                        "--bootstrap-server",
                        broker.bootstrapServers(),
                        "--topic",
                        BARE_TOPIC)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("bare.log").toFile())
                .start();
        try {
            awaitPort(barePort);
            measure(report, "bare", "ws://127.0.0.1:" + barePort + "/ocpp", bare.pid(), broker.pid(), work);
        } finally {
            bare.destroy();
            bare.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void measure(BenchReport report, String target, String url, long targetPid, long brokerPid, Path work)
            throws Exception {
        // One untimed saturation run first: a fresh target JIT-compiles for well over the warm-up (C2 took
        // 20-40 % of its CPU in the first measured window), and each target's runs share one process.
        runLoad(url, 0, targetPid, brokerPid, work, target + "-untimed");
        List<Integer> loads = new ArrayList<>();
        loads.add(0); // saturation first
        loads.addAll(settings.rates());
        for (int rate : loads) {
            for (int i = 0; i < settings.repeats(); i++) {
                report.add(target, rate, runLoad(url, rate, targetPid, brokerPid, work, target + "-" + rate + "-" + i));
            }
        }
    }

    private BenchReport.Sample runLoad(String url, int rate, long targetPid, long brokerPid, Path work, String name)
            throws Exception {
        Path out = work.resolve(name + ".json");
        int connections = rate == 0 ? settings.saturationConnections() : settings.connections();
        Process load = new ProcessBuilder(
                        JAVA.toString(),
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-jar",
                        settings.jar().toString(),
                        "bench",
                        "load",
                        "--url",
                        url,
                        "--connections",
                        String.valueOf(connections),
                        "--rate",
                        String.valueOf(rate),
                        "--warmup",
                        settings.warmup().toString(),
                        "--duration",
                        settings.duration().toString(),
                        "--id-prefix",
                        name + "-",
                        "--out",
                        out.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile())
                .start();
        // CPU is read over the measured window only: after the warm-up, until the generator is done.
        Thread.sleep(settings.warmup().toMillis() + 1500);
        Map<String, Double> cpuBefore = Map.of(
                "target",
                ProcessCpu.seconds(targetPid),
                "broker",
                ProcessCpu.seconds(brokerPid),
                "load",
                ProcessCpu.seconds(load.pid()));
        Map<String, Double> threadsBefore = ProcessCpu.threadSeconds(targetPid);
        long startedNanos = System.nanoTime();
        double[] loadCpuAtEnd = {Double.NaN};
        // the generator's own CPU, read just before it exits
        while (load.isAlive() && !load.waitFor(200, TimeUnit.MILLISECONDS)) {
            loadCpuAtEnd[0] = ProcessCpu.seconds(load.pid());
        }
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        if (load.exitValue() != 0) {
            throw new IllegalStateException("load generator failed: " + Files.readString(work.resolve(name + ".log")));
        }
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("target", 100 * (ProcessCpu.seconds(targetPid) - cpuBefore.get("target")) / elapsed);
        cpu.put("broker", 100 * (ProcessCpu.seconds(brokerPid) - cpuBefore.get("broker")) / elapsed);
        cpu.put("load", 100 * (loadCpuAtEnd[0] - cpuBefore.get("load")) / elapsed);
        Map<String, Double> threads = new LinkedHashMap<>();
        ProcessCpu.threadSeconds(targetPid).entrySet().stream()
                .map(t -> Map.entry(
                        t.getKey(), 100 * (t.getValue() - threadsBefore.getOrDefault(t.getKey(), 0.0)) / elapsed))
                .filter(t -> t.getValue() >= 1)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(t -> threads.put(t.getKey(), Math.round(t.getValue() * 10) / 10.0));
        System.out.printf("%s: target CPU %% by thread %s%n", name, threads);
        JsonNode result = MAPPER.readTree(out.toFile());
        return new BenchReport.Sample(
                result.path("answered").asLong() / result.path("seconds").asDouble(),
                result.path("errors").asLong(),
                result.path("p50Ms").asDouble(),
                result.path("p99Ms").asDouble(),
                result.path("p999Ms").asDouble(),
                cpu,
                threads);
    }

    private static void awaitPort(int port) throws InterruptedException {
        Waits.until(
                () -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(120),
                "port " + port);
    }
}
