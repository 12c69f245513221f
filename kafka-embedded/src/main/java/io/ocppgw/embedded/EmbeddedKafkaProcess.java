package io.ocppgw.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded broker as a child JVM (same classpath as this one), so a test or benchmark can
 * kill it for real ({@link #kill()} is SIGKILL) and restart it on the same port and data.
 */
public final class EmbeddedKafkaProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String bootstrapServers;
    private final Path log;

    private EmbeddedKafkaProcess(Process process, String bootstrapServers, Path log) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.log = log;
    }

    /**
     * Starts a child broker and waits until it is ready. Its output goes to {@code broker.log} in
     * {@code workDir}, which also holds the data when {@code keepData} is set.
     */
    public static EmbeddedKafkaProcess start(int port, Path workDir, boolean keepData, List<String> jvmOptions) {
        return start(port, workDir, keepData, jvmOptions, List.of());
    }

    /** As {@link #start(int, Path, boolean, List)}, with more arguments for {@link EmbeddedKafkaMain}. */
    static EmbeddedKafkaProcess start(
            int port, Path workDir, boolean keepData, List<String> jvmOptions, List<String> mainArgs) {
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve("broker.log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(EmbeddedKafkaMain.class.getName());
            command.add("--port");
            command.add(String.valueOf(port));
            if (keepData) {
                command.add("--data-dir");
                command.add(workDir.resolve("data").toString());
            }
            command.addAll(mainArgs);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            String bootstrap = awaitReady(process, log);
            return new EmbeddedKafkaProcess(process, bootstrap, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker process", e);
        }
    }

    /** Default JVM options for tests: small heap, fast start (C1 only). */
    public static List<String> defaultJvmOptions() {
        return List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    /**
     * The JVM options Kafka's own {@code kafka-server-start.sh} gives a broker (heap and GC), for
     * benchmarks: the test defaults stop at C1, which made the broker the slow part of every figure.
     */
    public static List<String> productionJvmOptions() {
        return List.of(
                "-Xmx1G",
                "-Xms1G",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35",
                "-XX:+ExplicitGCInvokesConcurrent");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no flush, no clean shutdown. */
    public void kill() {
        process.destroyForcibly();
        waitQuietly(STOP_TIMEOUT);
    }

    /** SIGTERM, then SIGKILL if the broker has not stopped within the timeout. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitQuietly(STOP_TIMEOUT)) {
            kill();
        }
    }

    private boolean waitQuietly(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String awaitReady(Process process, Path log) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.startsWith(EmbeddedKafkaMain.READY_MARKER + " ")) {
                        return line.substring(EmbeddedKafkaMain.READY_MARKER.length() + 1)
                                .trim();
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("broker process exited with " + process.exitValue() + "; see " + log);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker process", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("broker process not ready after " + READY_TIMEOUT + "; see " + log);
    }
}
