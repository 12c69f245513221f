package io.ocppgw.bench;

import io.ocppgw.edge.handshake.PasswordHash;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code connections}: idle OCPP connections held by edge pods. One pod filled to the per-process file
 * limit with plain ws, TLS with an RSA key and TLS with an ECDSA key (security profile 2: Basic auth
 * over TLS, PBKDF2-hashed passwords, as deployed); then several pods at once for the machine's total.
 * Per case: connections held, handshakes per second, heap and RSS per connection, open files.
 */
public final class ConnectionsScenario {

    static final String PASSWORD = "bench-password-0123";

    public record Settings(
            Path jar, Path outDir, int perPod, int pods, int perPodWhenMany, int perProcess, int repeats) {
        public static Settings full(Path jar, Path outDir) {
            return new Settings(jar, outDir, 19_000, 6, 17_000, 9_500, 3);
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(jar, outDir, 200, 2, 100, 150, 1);
        }
    }

    private final Settings settings;

    public ConnectionsScenario(Settings settings) {
        this.settings = settings;
    }

    public FleetReport run() throws Exception {
        Path work = Files.createTempDirectory("bench-connections");
        FleetReport report = new FleetReport("connections", settings.toString());
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(
                0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
        try {
            Path credentials = credentials(
                    work,
                    settings.pods(),
                    Math.max(settings.perPod(), settings.perPodWhenMany()),
                    PasswordHash.DEFAULT_ITERATIONS);
            Map<String, Map<String, String>> modes = new java.util.LinkedHashMap<>();
            modes.put("ws", Map.of());
            modes.put("wss-rsa", tls(BenchPki.serverKeyStore(work.resolve("pki"), "RSA"), credentials));
            modes.put("wss-ecdsa", tls(BenchPki.serverKeyStore(work.resolve("pki"), "EC"), credentials));
            try (GatewayProcesses gateway =
                    new GatewayProcesses(settings.jar(), broker.bootstrapServers(), "bench-conn.")) {
                gateway.provisionTopics();
            }
            for (int run = 0; run < settings.repeats(); run++) {
                for (Map.Entry<String, Map<String, String>> mode : modes.entrySet()) {
                    measure(
                            broker,
                            work,
                            report,
                            mode.getKey() + " x1 pod",
                            mode.getKey(),
                            mode.getValue(),
                            1,
                            settings.perPod(),
                            run);
                }
                measure(
                        broker,
                        work,
                        report,
                        "ws x" + settings.pods() + " pods",
                        "ws",
                        Map.of(),
                        settings.pods(),
                        settings.perPodWhenMany(),
                        run);
            }
        } finally {
            broker.close();
        }
        report.write(settings.outDir());
        return report;
    }

    private void measure(
            EmbeddedKafkaProcess broker,
            Path work,
            FleetReport report,
            String caseName,
            String mode,
            Map<String, String> tlsEnv,
            int pods,
            int perPod,
            int run)
            throws Exception {
        boolean tls = !tlsEnv.isEmpty();
        double waited = TimeWait.awaitBelow(1_000, Duration.ofSeconds(90));
        report.figure(caseName, "wait for TIME_WAIT ports to clear first", waited, "s");
        try (GatewayProcesses gateway =
                new GatewayProcesses(settings.jar(), broker.bootstrapServers(), "bench-conn.")) {
            List<GatewayProcesses.Node> edges = new ArrayList<>();
            for (int p = 0; p < pods; p++) {
                Map<String, String> env = new HashMap<>(Map.of(
                        "OCPPGW_LOG_LEVEL",
                        "WARN",
                        "OCPPGW_MAX_CONNECTIONS",
                        String.valueOf(perPod + 500),
                        "OCPPGW_UPGRADES_PER_SECOND",
                        "1000000",
                        "OCPPGW_UPGRADE_BURST",
                        "1000000"));
                env.putAll(tlsEnv);
                edges.add(gateway.edge("edge-gateway-" + p, env).maxHeap("1g").start());
            }
            Waits.until(
                    () -> edges.stream().allMatch(GatewayProcesses.Node::isReady),
                    Duration.ofSeconds(120),
                    "the edge pods to be ready");
            Map<Long, Long> baseHeap = new HashMap<>();
            for (GatewayProcesses.Node e : edges) {
                baseHeap.put(e.pid(), ProcessMemory.heapAfterGc(e.pid()));
            }
            List<Fleets> fleets = new ArrayList<>();
            try {
                int processesPerPod = (perPod + settings.perProcess() - 1) / settings.perProcess();
                for (int p = 0; p < pods; p++) {
                    String url = (tls ? "wss" : "ws") + "://127.0.0.1:" + edges.get(p).wsPort + "/ocpp";
                    fleets.add(Fleets.start(
                            settings.jar(),
                            work.resolve("fleets-" + mode + "-" + pods + "-pods-" + run),
                            "pod" + p,
                            new LightFleet.Settings(
                                    Fleets.urls(url),
                                    perPod,
                                    "C" + p + "-",
                                    0,
                                    Optional.empty(),
                                    tls ? Optional.of(PASSWORD) : Optional.empty(),
                                    LightFleet.Backoff.FIRMWARE,
                                    0,
                                    tls ? 32 : 256,
                                    Duration.ZERO,
                                    LightFleet.Calls.HEARTBEAT),
                            settings.perProcess(),
                            p * processesPerPod));
                }
                long want = (long) pods * perPod;
                String series = caseName + " run " + (run + 1);
                double seconds = Fleets.awaitConnected(
                        fleets, want, Duration.ofSeconds(30), (t, connected) -> report.point(series, t, connected));
                long connected =
                        fleets.stream().mapToLong(f -> f.totals().connected()).sum();
                long failures =
                        fleets.stream().mapToLong(f -> f.totals().failures()).sum();
                double p99 = fleets.stream()
                        .mapToDouble(f -> f.totals().handshakeP99Ms())
                        .max()
                        .orElse(Double.NaN);
                report.figure(caseName, "connections held", connected, "connections");
                report.figure(
                        caseName,
                        "handshakes per second",
                        Double.isNaN(seconds) ? Double.NaN : connected / seconds,
                        "1/s");
                report.figure(caseName, "handshake p99", p99, "ms");
                report.figure(caseName, "failed attempts (retried)", failures, "attempts");
                Thread.sleep(3000);
                double heapPerConn = 0;
                double rssPerConn = 0;
                long fds = 0;
                for (GatewayProcesses.Node e : edges) {
                    heapPerConn += (ProcessMemory.heapAfterGc(e.pid()) - baseHeap.get(e.pid())) / 1024.0 / perPod;
                    rssPerConn += ProcessMemory.rssBytes(e.pid()) / 1024.0 / perPod;
                    fds = Math.max(fds, ProcessMemory.openFiles(e.pid()));
                }
                report.figure(caseName, "heap per connection", heapPerConn / pods, "KiB");
                report.figure(caseName, "RSS per connection (whole pod)", rssPerConn / pods, "KiB");
                report.figure(caseName, "open files of the fullest pod", fds, "files");
            } finally {
                for (Fleets f : fleets) {
                    f.stop();
                    f.close();
                }
            }
        }
    }

    private static Map<String, String> tls(Path keyStore, Path credentials) {
        return Map.of(
                "OCPPGW_SECURITY_PROFILE",
                "2",
                "OCPPGW_TLS_KEYSTORE",
                keyStore.toString(),
                "OCPPGW_TLS_KEYSTORE_PASSWORD",
                BenchPki.PASSWORD,
                "OCPPGW_CREDENTIALS_FILE",
                credentials.toString());
    }

    /** One PBKDF2 hash (the default iterations) for every benchmark identity {@code C<pod>-<n>}. */
    static Path credentials(Path dir, int pods, int perPod, int hashIterations) throws IOException {
        String hash = PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), hashIterations);
        StringBuilder lines = new StringBuilder();
        for (int p = 0; p < pods; p++) {
            for (int i = 0; i < perPod; i++) {
                lines.append('C')
                        .append(p)
                        .append('-')
                        .append(i)
                        .append(' ')
                        .append(hash)
                        .append('\n');
            }
        }
        Path file = dir.resolve("credentials");
        Files.writeString(file, lines);
        return file;
    }
}
