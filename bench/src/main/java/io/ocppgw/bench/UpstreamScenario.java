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
    public static final String PAYLOAD = "{\"connectorId\":1,\"transactionId\":7,\"meterValue\":[{\"timestamp\":\"2026-11-25T10:00:00Z\","
            + "\"sampledValue\":[{\"value\":\"12345\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}]}]}";
    /** The bare hot path's journal: not a gateway topic, created by the scenario. */
    private static final String BARE_TOPIC = "bench.bare-journal";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /**
     * @param rates       offered loads, CALLs/s
     * @param repeats     runs per measurement (the report gives the median and the spread)
     * @param connections charge points the load generator simulates
     */
    public record Settings(Path jar, Path outDir, List<Integer> rates, int repeats, int connections, Duration warmup, Duration duration) {
        public static Settings full(Path jar, Path outDir) {
            return new Settings(jar, outDir, List.of(1000, 5000, 10_000, 20_000), 3, 400, Duration.ofSeconds(5), Duration.ofSeconds(15));
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(jar, outDir, List.of(200), 1, 20, Duration.ofSeconds(1), Duration.ofSeconds(2));
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
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
        try (GatewayProcesses gateway = new GatewayProcesses(settings.jar(), broker.bootstrapServers(), "bench.")) {
            gateway.provisionTopics();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(BARE_TOPIC, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            for (String validation : List.of("off", "strict")) {
                GatewayProcesses.Node edge = gateway.edge("edge-gateway-0", Map.of("OCPPGW_VALIDATION", validation,
                        "OCPPGW_MAX_CONNECTIONS", "20000", "OCPPGW_UPGRADES_PER_SECOND", "5000", "OCPPGW_LOG_LEVEL", "WARN")).start();
                awaitPort(edge.wsPort);
                Waits.until(edge::isReady, Duration.ofSeconds(120), "the edge pod to be ready");
                measure(report, "gateway-" + validation, edge.url(), edge.pid(), broker.pid(), work);
                edge.terminate();
            }
            int barePort = FreePorts.loopback();
            Process bare = new ProcessBuilder(JAVA.toString(), "-Xmx384m", "-XX:+UseSerialGC", "-jar", settings.jar().toString(), "bench", "bare-server",
                    "--port", String.valueOf(barePort), "--bootstrap-server", broker.bootstrapServers(), "--topic", BARE_TOPIC)
                    .redirectErrorStream(true).redirectOutput(work.resolve("bare.log").toFile()).start();
            try {
                awaitPort(barePort);
                measure(report, "bare", "ws://127.0.0.1:" + barePort + "/ocpp", bare.pid(), broker.pid(), work);
            } finally {
                bare.destroy();
                bare.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            broker.close();
        }
        report.write(settings.outDir());
        return report;
    }

    private void measure(BenchReport report, String target, String url, long targetPid, long brokerPid, Path work) throws Exception {
        List<Integer> loads = new ArrayList<>();
        loads.add(0); // saturation first
        loads.addAll(settings.rates());
        for (int rate : loads) {
            for (int i = 0; i < settings.repeats(); i++) {
                report.add(target, rate, runLoad(url, rate, targetPid, brokerPid, work, target + "-" + rate + "-" + i));
            }
        }
    }

    private BenchReport.Sample runLoad(String url, int rate, long targetPid, long brokerPid, Path work, String name) throws Exception {
        Path out = work.resolve(name + ".json");
        // Saturation uses fewer connections: one outstanding CALL each is enough to keep the target busy.
        int connections = rate == 0 ? Math.min(settings.connections(), 64) : settings.connections();
        Process load = new ProcessBuilder(JAVA.toString(), "-Xmx512m", "-XX:+UseSerialGC", "-jar", settings.jar().toString(), "bench", "load",
                "--url", url, "--connections", String.valueOf(connections), "--rate", String.valueOf(rate),
                "--warmup", settings.warmup().toString(), "--duration", settings.duration().toString(), "--id-prefix", name + "-",
                "--out", out.toString()).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
        // CPU is read over the measured window only: after the warm-up, until the generator is done.
        Thread.sleep(settings.warmup().toMillis() + 1500);
        Map<String, Double> cpuBefore = Map.of("target", ProcessCpu.seconds(targetPid), "broker", ProcessCpu.seconds(brokerPid),
                "load", ProcessCpu.seconds(load.pid()));
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
        JsonNode result = MAPPER.readTree(out.toFile());
        return new BenchReport.Sample(result.path("answered").asLong() / result.path("seconds").asDouble(), result.path("errors").asLong(),
                result.path("p50Ms").asDouble(), result.path("p99Ms").asDouble(), result.path("p999Ms").asDouble(), cpu);
    }

    private static void awaitPort(int port) throws InterruptedException {
        Waits.until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(120), "port " + port);
    }
}
