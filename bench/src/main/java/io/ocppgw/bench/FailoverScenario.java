package io.ocppgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.JsonSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code failover}: two edge pods share the charge points (each connection goes to either pod, as
 * behind a load balancer) while commands flow; one pod is SIGKILLed. Measured: time until 99 % and
 * 100 % of the charge points are connected again and routed to the survivor (route-streams' table),
 * the outcome of every command written around the kill, and whether every CALL a charge point saw
 * acknowledged is in the journal.
 */
public final class FailoverScenario {

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
        EmbeddedKafkaProcess broker = EmbeddedKafkaProcess.start(
                0, work.resolve("broker"), false, EmbeddedKafkaProcess.productionJvmOptions());
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

    private void once(EmbeddedKafkaProcess broker, Path dir, String prefix, FleetReport report, int run)
            throws Exception {
        String caseName = settings.chargePoints() + " CPs, 2 pods";
        String bootstrap = broker.bootstrapServers();
        TopicNames topics = new TopicNames(prefix);
        try (GatewayProcesses gateway = new GatewayProcesses(settings.jar(), bootstrap, prefix)) {
            gateway.provisionTopics();
            Map<String, String> quiet = Map.of("OCPPGW_LOG_LEVEL", "WARN");
            GatewayProcesses.Node victim = gateway.edge("edge-gateway-0", quiet).start();
            GatewayProcesses.Node survivor =
                    gateway.edge("edge-gateway-1", quiet).start();
            GatewayProcesses.Node route = gateway.route("route", quiet).start();
            Waits.until(
                    () -> victim.isReady() && survivor.isReady() && route.isReady(),
                    Duration.ofSeconds(180),
                    "the gateway to be ready");
            try (Fleets fleet = Fleets.start(
                            settings.jar(),
                            dir,
                            "fleet",
                            new LightFleet.Settings(
                                    Fleets.urls(victim.url(), survivor.url()),
                                    settings.chargePoints(),
                                    "F" + run + "-",
                                    0,
                                    Optional.empty(),
                                    Optional.empty(),
                                    LightFleet.Backoff.FIRMWARE,
                                    1000,
                                    256,
                                    Duration.ofSeconds(5),
                                    LightFleet.Calls.HEARTBEAT),
                            9_500,
                            0);
                    CommandBackend commands =
                            new CommandBackend(bootstrap, topics, "F" + run + "-", settings.chargePoints(), "fo-")) {
                Waits.until(
                        () -> online(route, null) >= settings.chargePoints(),
                        Duration.ofSeconds(180),
                        "every charge point routed");
                commands.start(settings.commandsPerSecond());
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
                Map<String, Long> outcomes =
                        commands.awaitOutcomes(Duration.ofSeconds(90)).counts();
                List<String> acked = fleet.stop();
                long lost = JournalCheck.missing(bootstrap, topics, acked);
                report.figure(caseName, "charge points on the killed pod", onVictim, "CPs");
                report.figure(caseName, "99% re-routed after the kill", to99, "s");
                report.figure(caseName, "100% re-routed after the kill", to100, "s");
                report.figure(caseName, "commands written", commands.written(), "commands");
                for (String status : List.of(
                        "COMPLETED", "CONNECTION_LOST", "TIMEOUT", "EXPIRED", "UNDELIVERABLE", "REJECTED", "FAILED")) {
                    report.figure(caseName, "outcome " + status, outcomes.getOrDefault(status, 0L), "commands");
                }
                report.figure(caseName, "commands without an outcome", outcomes.getOrDefault("none", 0L), "commands");
                report.figure(
                        caseName, "commands with 2+ outcomes", outcomes.getOrDefault("duplicate", 0L), "commands");
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
            return pod == null
                    ? stats.path("totals").path("routesOnline").asLong()
                    : stats.path("routesPerPod").path(pod).asLong();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
