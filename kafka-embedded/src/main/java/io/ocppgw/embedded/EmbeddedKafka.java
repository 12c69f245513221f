package io.ocppgw.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft Kafka node (broker and controller roles) running in this JVM, built from Kafka's own
 * server classes: a one-node cluster, or one node of a {@link Quorum}. Used by integration tests, the
 * dev stack and benchmarks. {@link EmbeddedKafkaProcess} runs the same thing as a child JVM, and
 * {@link EmbeddedKafkaCluster} several of those as one cluster.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, int port, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker and returns once it answers clients. */
    public static EmbeddedKafka start(BrokerSettings settings) {
        boolean temporary = settings.dataDir().isEmpty();
        Path dir = settings.dataDir().orElseGet(EmbeddedKafka::createTempDir);
        RuntimeException last = null;
        // A free port found now can be taken before the broker binds it; a random port may retry.
        int attempts = settings.port() == 0 ? START_ATTEMPTS : 1;
        for (int i = 0; i < attempts; i++) {
            try {
                return startOnce(settings, dir, temporary);
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("embedded broker start attempt {} failed: {}", i + 1, e.toString());
            }
        }
        if (temporary) {
            deleteRecursively(dir);
        }
        throw last;
    }

    private static EmbeddedKafka startOnce(BrokerSettings settings, Path dir, boolean temporary) {
        int clientPort = settings.port() == 0 ? FreePorts.loopback() : settings.port();
        Path logDir = dir.resolve("kafka-logs");
        Properties props = settings.quorum()
                .map(q -> BrokerConfig.properties(clientPort, q, logDir, settings.overrides()))
                .orElseGet(
                        () -> BrokerConfig.properties(clientPort, FreePorts.loopback(), logDir, settings.overrides()));
        // the nodes of one cluster share its id; a one-node cluster makes up its own
        String clusterId = settings.quorum()
                .map(Quorum::clusterId)
                .orElseGet(() -> Uuid.randomUuid().toString());
        formatIfNew(props, dir, logDir, clusterId);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, clientPort, dir, temporary);
            kafka.awaitReady(settings.quorum().map(Quorum::nodeId).orElse(BrokerConfig.NODE_ID));
            LOG.info("embedded Kafka broker ready at {} (data in {})", kafka.bootstrapServers(), dir);
            return kafka;
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw e;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A new Admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * For a process whose job is the broker: blocks until the JVM is asked to stop (SIGTERM, Ctrl-C),
     * then closes the broker cleanly before the JVM exits.
     */
    public void runUntilJvmShutdown() throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            close();
                            stopped.countDown();
                        },
                        "embedded-kafka-shutdown"));
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownQuietly(server);
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    /** Until the cluster lists this node as a broker: then clients it serves can use it. */
    private void awaitReady(int nodeId) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get().stream().anyMatch(n -> n.id() == nodeId)) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded broker not ready after " + READY_TIMEOUT, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("embedded broker not listed in its cluster after " + READY_TIMEOUT);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded broker", e);
        }
    }

    /** Formats the log directory the first time; a kept data directory is reused as it is. */
    private static void formatIfNew(Properties props, Path dir, Path logDir, String clusterId) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "embedded broker (ocppgw kafka-embedded)");
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int rc;
            try (PrintStream printed = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(
                        new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                        printed);
            }
            if (rc != 0) {
                throw new IllegalStateException(
                        "formatting " + logDir + " failed (" + rc + "): " + buffer.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + logDir, e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("ocppgw-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded broker did not shut down cleanly", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}
