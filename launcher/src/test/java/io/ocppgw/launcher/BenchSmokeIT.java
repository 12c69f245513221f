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

        JsonNode report = new ObjectMapper().readTree(out.resolve("upstream.json").toFile());
        assertThat(report.path("rows")).extracting(r -> r.path("target").asText() + "@" + r.path("offered").asInt())
                .containsExactly("gateway-off@0", "gateway-off@200", "gateway-strict@0", "gateway-strict@200", "bare@0", "bare@200");
        for (JsonNode row : report.path("rows")) {
            assertThat(row.path("throughputMedian").asDouble()).as(row.toString()).isPositive();
            assertThat(row.path("samples").get(0).path("errors").asLong()).as(row.toString()).isZero();
        }
        assertThat(out.resolve("upstream-latency.png")).isNotEmptyFile();
        assertThat(out.resolve("upstream-throughput.png")).isNotEmptyFile();
    }

    @Test
    void shouldRunTheRoutingScenarioAndWriteItsReport() throws Exception {
        Path out = Files.createTempDirectory("bench-smoke");
        bench("routing", out);

        JsonNode report = new ObjectMapper().readTree(out.resolve("routing.json").toFile());
        assertThat(report.path("rows")).extracting(r -> r.path("target").asText())
                .containsExactly("eos:to-socket", "eos:to-result", "alo:to-socket", "alo:to-result");
        for (JsonNode row : report.path("rows")) {
            assertThat(row.path("samples").get(0).path("errors").asLong()).as("no command failed: " + row).isZero();
        }
        assertThat(out.resolve("routing-latency.png")).isNotEmptyFile();
    }

    private static String bench(String scenario, Path out) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                Path.of("target", "ocppgw.jar").toString(), "bench", scenario, "--smoke", "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OCPPGW_LOG_LEVEL", "WARN");
        Process bench = pb.start();
        String printed = new String(bench.getInputStream().readAllBytes());
        assertThat(bench.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(bench.exitValue()).as(printed).isZero();
        return printed;
    }
}
