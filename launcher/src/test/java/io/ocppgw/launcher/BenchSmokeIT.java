package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmarks from rotting: {@code ocppgw bench <scenario> --smoke} runs a whole scenario at a
 * tiny size and writes its report. It asserts that the benchmark works, never how fast anything is.
 */
class BenchSmokeIT {

    @Test
    void shouldRunTheUpstreamScenarioAndWriteItsReport() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        String printed = bench("upstream", out);
        assertThat(printed).contains("saturation gateway-off / bare =", "saturation gateway-strict / bare =");

        JsonNode report =
                new ObjectMapper().readTree(out.resolve("upstream.json").toFile());
        assertThat(report.path("rows"))
                .extracting(
                        r -> r.path("target").asText() + "@" + r.path("offered").asInt())
                .containsExactly(
                        "gateway-off@0",
                        "gateway-off@200",
                        "gateway-strict@0",
                        "gateway-strict@200",
                        "bare@0",
                        "bare@200");
        for (JsonNode row : report.path("rows")) {
            assertThat(row.path("throughputMedian").asDouble())
                    .as(row.toString())
                    .isPositive();
            assertThat(row.path("samples").get(0).path("errors").asLong())
                    .as(row.toString())
                    .isZero();
            if (row.path("offered").asInt() == 0) {
                // the saturated target's busiest thread names, so a single-thread limit shows
                assertThat(row.path("samples")
                                .get(0)
                                .path("targetThreadsCpuPercent")
                                .size())
                        .as(row.toString())
                        .isPositive();
            }
        }
        assertThat(out.resolve("upstream-latency.png")).isNotEmptyFile();
        assertThat(out.resolve("upstream-throughput.png")).isNotEmptyFile();
    }

    @Test
    void shouldRunTheRoutingScenarioAndWriteItsReport() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        bench("routing", out);

        JsonNode report =
                new ObjectMapper().readTree(out.resolve("routing.json").toFile());
        assertThat(report.path("rows"))
                .extracting(r -> r.path("target").asText())
                .containsExactly("eos:to-socket", "eos:to-result", "alo:to-socket", "alo:to-result");
        for (JsonNode row : report.path("rows")) {
            assertThat(row.path("samples").get(0).path("errors").asLong())
                    .as("no command failed: " + row)
                    .isZero();
        }
        assertThat(out.resolve("routing-latency.png")).isNotEmptyFile();
    }

    @Test
    void shouldRunTheConnectionsScenarioAndHoldEveryConnection() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        bench("connections", out);

        JsonNode report =
                new ObjectMapper().readTree(out.resolve("connections.json").toFile());
        for (String c : List.of("ws x1 pod", "wss-rsa x1 pod", "wss-ecdsa x1 pod", "ws x2 pods")) {
            assertThat(figure(report, c, "connections held")).as(c).isEqualTo(200);
            assertThat(figure(report, c, "handshakes per second")).as(c).isPositive();
        }
        assertThat(out.resolve("connections-timeline.png")).isNotEmptyFile();
    }

    @Test
    void shouldRunTheFailoverScenarioWithNothingLostAndOneOutcomeEach() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        bench("failover", out);

        JsonNode report =
                new ObjectMapper().readTree(out.resolve("failover.json").toFile());
        String c = "60 CPs, 2 pods";
        assertThat(figure(report, c, "charge points on the killed pod")).isPositive();
        assertThat(figure(report, c, "100% re-routed after the kill")).isPositive();
        assertThat(figure(report, c, "acknowledged CALLs")).isPositive();
        assertThat(figure(report, c, "acknowledged CALLs lost")).isZero();
        assertThat(figure(report, c, "commands without an outcome")).isZero();
        assertThat(figure(report, c, "commands with 2+ outcomes")).isZero();
        assertThat(out.resolve("failover-timeline.png")).isNotEmptyFile();
    }

    @Test
    void shouldRunTheClusterScenarioWithNothingLostAndOneOutcomeEach() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        bench("cluster", out);

        JsonNode report =
                new ObjectMapper().readTree(out.resolve("cluster.json").toFile());
        String c = "route restarted";
        assertThat(figure(report, c, "commands written")).isPositive();
        assertThat(figure(report, c, "COMPLETED")).isEqualTo(figure(report, c, "commands written"));
        assertThat(figure(report, c, "without an outcome")).isZero();
        assertThat(figure(report, c, "with 2+ outcomes")).isZero();
        assertThat(figure(report, c, "longest wait")).isPositive();
        assertThat(figure(report, c, "transaction records"))
                .as("the fleet's MeterValues through reconciliation-streams")
                .isPositive();
        assertThat(figure(report, "per run", "acknowledged CALLs")).isPositive();
        assertThat(figure(report, "per run", "acknowledged CALLs lost")).isZero();
    }

    @Test
    void shouldRunTheStormScenarioAndReadmitEveryChargePoint() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        bench("storm", out);

        JsonNode report = new ObjectMapper().readTree(out.resolve("storm.json").toFile());
        for (String c : List.of("100 TLS, back-off firmware", "100 TLS, back-off none")) {
            assertThat(figure(report, c, "connected at the end")).as(c).isEqualTo(100);
            assertThat(figure(report, c, "all re-admitted after the restart"))
                    .as(c)
                    .isPositive();
            assertThat(figure(report, c, "pod alive, no OOM")).as(c).isEqualTo(1);
        }
    }

    @Test
    void shouldRunTheBroadcastScenarioAgainstTheClassicDesign() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        bench("broadcast", out);

        JsonNode report =
                new ObjectMapper().readTree(out.resolve("broadcast.json").toFile());
        for (String c : List.of("gateway", "classic GET", "classic pipelined", "classic cached 30 s")) {
            assertThat(figure(report, c, "outcome COMPLETED")).as(c).isEqualTo(60);
            assertThat(figure(report, c, "all on sockets")).as(c).isPositive();
            assertThat(figure(report, c, "all outcomes")).as(c).isPositive();
        }
        // the gateway's guarantee holds under a pod kill; the classic design's commands to the dead pod go silent
        assertThat(figure(report, "gateway, pod killed", "commands without an outcome"))
                .isZero();
        assertThat(figure(report, "gateway, pod killed", "commands with 2+ outcomes"))
                .isZero();
        assertThat(figure(report, "classic GET, pod killed", "commands without an outcome"))
                .isPositive();
        assertThat(figure(report, "gateway / classic GET", "all outcomes, time ratio"))
                .isPositive();
        assertThat(out.resolve("broadcast-timeline.png")).isNotEmptyFile();
    }

    /** The median of one figure of a connection scenario's report; NaN when absent. */
    private static double figure(JsonNode report, String caseName, String figure) {
        for (JsonNode f : report.path("figures")) {
            if (f.path("case").asText().equals(caseName)
                    && f.path("figure").asText().equals(figure)) {
                return f.path("median").asDouble(Double.NaN);
            }
        }
        return Double.NaN;
    }

    private static String bench(String scenario, Path out) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                Path.of("target", "ocppgw.jar").toString(),
                "bench",
                scenario,
                "--smoke",
                "--out",
                out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OCPPGW_LOG_LEVEL", "WARN");
        Process bench = pb.start();
        String printed = new String(bench.getInputStream().readAllBytes());
        assertThat(bench.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(bench.exitValue()).as(printed).isZero();
        return printed;
    }
}
