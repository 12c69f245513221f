package io.ocppgw.bench;

import io.ocppgw.edge.handshake.PasswordHash;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code storm}: an edge pod holding many TLS charge points (security profile 2) is SIGKILLed and
 * started again; every charge point reconnects at once, with firmware-like back-off and without.
 * The pod keeps its production admission defaults (upgrades per second, burst), so refusals are part
 * of the result. Measured from the new process's start: time until all are re-admitted, refused and
 * failed attempts, peak RSS, heap after, GC count and pause time, and whether the pod survived.
 */
public final class StormScenario {

    /** @param hashIterations PBKDF2 iterations of the charge points' password hashes (the pod checks each once after a restart) */
    public record Settings(
            Path jar,
            Path outDir,
            int chargePoints,
            int perProcess,
            String keyAlgorithm,
            int hashIterations,
            int repeats) {
        public static Settings full(Path jar, Path outDir) {
            return new Settings(jar, outDir, 15_000, 7_500, "EC", PasswordHash.DEFAULT_ITERATIONS, 3);
        }

        public static Settings smoke(Path jar, Path outDir) {
            return new Settings(jar, outDir, 100, 50, "EC", PasswordHash.DEFAULT_ITERATIONS, 1);
        }
    }

    private final Settings settings;

    public StormScenario(Settings settings) {
        this.settings = settings;
    }

    public FleetReport run() throws Exception {
        Path work = Files.createTempDirectory("bench-storm");
        FleetReport report = new FleetReport("storm", settings.toString());
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(
                0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
        try {
            Path keyStore = BenchPki.serverKeyStore(work.resolve("pki"), settings.keyAlgorithm());
            Path credentials =
                    ConnectionsScenario.credentials(work, 1, settings.chargePoints(), settings.hashIterations());
            Map<String, String> env = new HashMap<>(Map.of(
                    "OCPPGW_LOG_LEVEL",
                    "WARN",
                    "OCPPGW_SECURITY_PROFILE",
                    "2",
                    "OCPPGW_TLS_KEYSTORE",
                    keyStore.toString(),
                    "OCPPGW_TLS_KEYSTORE_PASSWORD",
                    BenchPki.PASSWORD,
                    "OCPPGW_CREDENTIALS_FILE",
                    credentials.toString()));
            env.put("OCPPGW_MAX_CONNECTIONS", String.valueOf(Math.max(18_000, settings.chargePoints() + 500)));
            try (GatewayProcesses gateway =
                    new GatewayProcesses(settings.jar(), broker.bootstrapServers(), "bench-storm.")) {
                gateway.provisionTopics();
            }
            for (int run = 0; run < settings.repeats(); run++) {
                for (LightFleet.Backoff backoff : List.of(LightFleet.Backoff.FIRMWARE, LightFleet.Backoff.NONE)) {
                    once(broker, work.resolve("run-" + run + "-" + backoff), env, backoff, report, run);
                }
            }
        } finally {
            broker.close();
        }
        report.write(settings.outDir());
        return report;
    }

    private void once(
            EmbeddedKafkaProcess broker,
            Path dir,
            Map<String, String> env,
            LightFleet.Backoff backoff,
            FleetReport report,
            int run)
            throws Exception {
        String caseName =
                settings.chargePoints() + " TLS, back-off " + backoff.name().toLowerCase();
        try (GatewayProcesses gateway =
                new GatewayProcesses(settings.jar(), broker.bootstrapServers(), "bench-storm.")) {
            GatewayProcesses.Node edge =
                    gateway.edge("edge-gateway-0", env).maxHeap("1g").start();
            Waits.until(edge::isReady, Duration.ofSeconds(120), "the edge pod to be ready");
            String url = "wss://127.0.0.1:" + edge.wsPort + "/ocpp";
            try (Fleets fleet = Fleets.start(
                    settings.jar(),
                    dir,
                    "storm",
                    new LightFleet.Settings(
                            Fleets.urls(url),
                            settings.chargePoints(),
                            "C0-",
                            0,
                            Optional.empty(),
                            Optional.of(ConnectionsScenario.PASSWORD),
                            backoff,
                            0,
                            64,
                            Duration.ZERO,
                            LightFleet.Calls.HEARTBEAT),
                    settings.perProcess(),
                    0)) {
                double filled = Fleets.awaitConnected(
                        List.of(fleet), settings.chargePoints(), Duration.ofSeconds(60), (t, c) -> {});
                if (Double.isNaN(filled)) {
                    throw new IllegalStateException("the fleet never got all " + settings.chargePoints()
                            + " charge points connected before the" + " restart: " + fleet.totals());
                }
                Fleets.Totals before = fleet.totals();
                edge.kill9();
                // every charge point has seen its socket close (and is retrying) before the pod is back
                Waits.until(
                        () -> fleet.totals().connected() == 0,
                        Duration.ofSeconds(60),
                        "every charge point to notice the kill");
                edge.start();
                long started = System.nanoTime();
                long[] peakRss = {0};
                // when the pod let the first one in (its start-up) and 99 % (the rest is mostly firmware back-off)
                double[] first = {Double.NaN};
                double[] most = {Double.NaN};
                double readmitted = Fleets.awaitConnected(
                        List.of(fleet), settings.chargePoints(), Duration.ofSeconds(60), (t, c) -> {
                            report.point(caseName + " run " + (run + 1), t, c);
                            if (c > 0 && Double.isNaN(first[0])) {
                                first[0] = t;
                            }
                            if (c >= 0.99 * settings.chargePoints() && Double.isNaN(most[0])) {
                                most[0] = t;
                            }
                            try {
                                peakRss[0] = Math.max(peakRss[0], ProcessMemory.rssBytes(edge.pid()));
                            } catch (java.io.IOException e) {
                                // the process is gone; reported below
                            }
                        });
                double sinceStart = (System.nanoTime() - started) / 1e9;
                Fleets.Totals after = fleet.totals();
                boolean alive = edge.isAlive();
                report.figure(caseName, "first re-admitted after the restart", first[0], "s");
                report.figure(caseName, "99 % re-admitted after the restart", most[0], "s");
                report.figure(caseName, "all re-admitted after the restart", readmitted, "s");
                report.figure(caseName, "connected at the end", after.connected(), "CPs");
                report.figure(caseName, "refused or failed attempts", after.failures() - before.failures(), "attempts");
                report.figure(caseName, "peak RSS", peakRss[0] / 1048576.0, "MiB");
                report.figure(
                        caseName,
                        "pod alive, no OOM",
                        alive && !Files.readString(edge.log()).contains("OutOfMemoryError") ? 1 : 0,
                        "1 = yes");
                if (alive) {
                    ProcessMemory.GcTotals gc = ProcessMemory.gc(edge.pid());
                    report.figure(caseName, "GC collections", gc.collections(), "collections");
                    report.figure(caseName, "GC pause total", gc.seconds(), "s");
                    report.figure(caseName, "GC share of the storm", 100 * gc.seconds() / sinceStart, "%");
                    report.figure(
                            caseName, "heap after, post-GC", ProcessMemory.heapAfterGc(edge.pid()) / 1048576.0, "MiB");
                }
                fleet.stop();
            }
        }
    }
}
