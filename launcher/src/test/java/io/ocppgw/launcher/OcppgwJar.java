package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real jar as a separate process, with only the given OCPPGW_/KAFKA_ variables, and collects what it printed. */
final class OcppgwJar {

    static final Path JAR = Path.of("target", "ocppgw.jar");

    record Run(int exitCode, String out, String err) {}

    private OcppgwJar() {}

    static Run ocppgw(Map<String, String> env, String... args) throws IOException, InterruptedException {
        assertThat(JAR).exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("OCPPGW_") || k.startsWith("KAFKA_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("ocppgw-out", ".txt");
        Path err = Files.createTempFile("ocppgw-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ocppgw " + String.join(" ", args) + " did not finish");
        }
        Run run = new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}
