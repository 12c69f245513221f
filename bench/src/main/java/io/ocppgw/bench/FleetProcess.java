package io.ocppgw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LightFleet} in its own process ({@code ocppgw bench fleet}), since one process can hold only
 * about 19,000 sockets here: started with its share of the charge points and a source address, read
 * through the status file it rewrites twice a second, stopped with SIGTERM (it then writes the ids of
 * its acknowledged CALLs).
 */
public final class FleetProcess implements AutoCloseable {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Process process;
    private final Path status;
    private final Path acked;
    private volatile LightFleet.Snapshot last;

    private FleetProcess(Process process, Path status, Path acked) {
        this.process = process;
        this.status = status;
        this.acked = acked;
    }

    public static FleetProcess start(Path jar, Path dir, String name, LightFleet.Settings s) throws IOException {
        Files.createDirectories(dir);
        Path status = dir.resolve(name + ".status.json");
        Path acked = dir.resolve(name + ".acked.txt");
        // a file left by an earlier process of the same name would be read as this one's status
        Files.deleteIfExists(status);
        Files.deleteIfExists(acked);
        List<String> cmd = new ArrayList<>(List.of(
                JAVA.toString(),
                "-Xmx1g",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "bench",
                "fleet",
                "--count",
                String.valueOf(s.count()),
                "--id-prefix",
                s.idPrefix(),
                "--first-index",
                String.valueOf(s.firstIndex()),
                "--backoff",
                s.backoff().name(),
                "--connects-per-second",
                String.valueOf(s.connectsPerSecond()),
                "--max-in-flight",
                String.valueOf(s.maxInFlight()),
                "--call-interval",
                s.callInterval().toString(),
                "--calls",
                s.calls().name(),
                "--status-file",
                status.toString(),
                "--acked-file",
                acked.toString()));
        s.urls().forEach(u -> cmd.addAll(List.of("--url", u.toString())));
        s.bindHost().ifPresent(h -> cmd.addAll(List.of("--bind", h)));
        s.password().ifPresent(p -> cmd.addAll(List.of("--password", p)));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        return new FleetProcess(p, status, acked);
    }

    /** The latest status that could be read, or empty before the first one was written. */
    public Optional<LightFleet.Snapshot> status() {
        try {
            if (Files.exists(status)) {
                last = MAPPER.readValue(status.toFile(), LightFleet.Snapshot.class);
            }
        } catch (IOException e) {
            // unreadable this time (a busy machine); the previous one stands
        }
        return Optional.ofNullable(last);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, then the ids of the CALLs its charge points had answered. */
    public List<String> stop() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return Files.exists(acked) ? Files.readAllLines(acked) : List.of();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
