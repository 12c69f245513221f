package io.ocppgw.bench;

import io.ocppgw.embedded.FreePorts;
import io.ocppgw.topics.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as separate OS processes of the real {@code ocppgw} jar, against a given broker: edge
 * pods, route-streams and reconciliation-streams, each startable, SIGKILL-able and restartable on the
 * same ports and state, so faults in tests and benchmarks are real ones.
 */
public final class GatewayProcesses implements AutoCloseable {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private final Path jar;
    private final String bootstrap;
    private final String topicPrefix;
    private final Path workDir;
    private final List<Node> nodes = new ArrayList<>();
    private boolean staticMembership = true;

    /** @param jar the {@code ocppgw} jar the processes run */
    public GatewayProcesses(Path jar, String bootstrap, String topicPrefix) {
        this.jar = jar.toAbsolutePath();
        this.bootstrap = bootstrap;
        this.topicPrefix = topicPrefix;
        try {
            this.workDir = Files.createTempDirectory("gateway-processes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether streams instances started from now on get an instance id (static membership: their
     * restart within the session timeout is no rebalance). Kafka's streams rebalance protocol takes none.
     */
    public GatewayProcesses staticMembership(boolean on) {
        this.staticMembership = on;
        return this;
    }

    /** The jar found next to the tests of the launcher module (its {@code target} directory). */
    public static Path launcherJar() {
        return Path.of("target", "ocppgw.jar");
    }

    /** Runs {@code ocppgw topics apply --profile dev} to completion. */
    public void provisionTopics() throws Exception {
        provisionTopics(List.of());
    }

    /** Runs {@code ocppgw topics apply --profile dev} with more options (e.g. {@code --replication-factor 3}) to completion. */
    public void provisionTopics(List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                JAVA.toString(),
                "-jar",
                jar.toString(),
                "topics",
                "apply",
                "--profile",
                "dev",
                "--topic-prefix",
                topicPrefix,
                "--bootstrap-server",
                bootstrap));
        command.addAll(options);
        Process topics = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("topics.log").toFile())
                .start();
        if (!topics.waitFor(120, TimeUnit.SECONDS) || topics.exitValue() != 0) {
            throw new IllegalStateException("topics apply failed: " + Files.readString(workDir.resolve("topics.log")));
        }
    }

    /** An edge pod with short lease timing (a dead pod is noticed in seconds), answering StartTransaction itself. */
    public Node edge(String podId, Map<String, String> extraEnv) {
        int wsPort = FreePorts.loopback();
        Node node = new Node(
                podId,
                List.of("edge", "--pod-id", podId, "--port", String.valueOf(wsPort)),
                wsPort,
                Map.of(
                        "OCPPGW_LEASE_INTERVAL",
                        "PT1S",
                        "OCPPGW_LEASE_TTL",
                        "PT3S",
                        "OCPPGW_DRAIN_WINDOW",
                        "PT1S",
                        "OCPPGW_RESPONDERS",
                        "StartTransaction=sequence,Authorize=ack,DataTransfer=ack"),
                extraEnv);
        nodes.add(node);
        return node;
    }

    public Node route(String name) {
        return route(name, Map.of());
    }

    public Node route(String name, Map<String, String> extraEnv) {
        return streamsNode(name, "route", extraEnv);
    }

    public Node reconcile(String name) {
        return reconcile(name, Map.of());
    }

    public Node reconcile(String name, Map<String, String> extraEnv) {
        return streamsNode(name, "reconcile", extraEnv);
    }

    /** The topic names under this gateway's prefix. */
    public TopicNames topicNames() {
        return new TopicNames(topicPrefix);
    }

    private Node streamsNode(String name, String command, Map<String, String> extraEnv) {
        Path state = workDir.resolve(name + "-state");
        List<String> args = new ArrayList<>(List.of(command, "--state-dir", state.toString()));
        if (staticMembership) {
            args.addAll(List.of("--instance-id", name));
        }
        Node node = new Node(name, args, 0, Map.of("OCPPGW_GRACE", "PT20S"), extraEnv);
        nodes.add(node);
        return node;
    }

    /** One process of the gateway; its ports and state stay the same across restarts. */
    public final class Node {
        public final String name;
        public final int wsPort;
        public final int adminPort = FreePorts.loopback();
        private final List<String> args;
        private final Map<String, String> env;
        private final Map<String, String> extraEnv;
        private Process process;
        private int starts;
        private String maxHeap = "384m";

        private Node(
                String name, List<String> args, int wsPort, Map<String, String> env, Map<String, String> extraEnv) {
            this.name = name;
            this.args = args;
            this.wsPort = wsPort;
            this.env = env;
            this.extraEnv = extraEnv;
        }

        /** The JVM's -Xmx for the next start (default 384m). */
        public Node maxHeap(String xmx) {
            this.maxHeap = xmx;
            return this;
        }

        public Node start() throws IOException {
            List<String> command = new ArrayList<>(
                    List.of(JAVA.toString(), "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-jar", jar.toString()));
            command.addAll(args);
            command.addAll(List.of("--admin-port", String.valueOf(adminPort), "--host", "127.0.0.1"));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            pb.environment().put("OCPPGW_TOPIC_PREFIX", topicPrefix);
            pb.environment().putAll(env);
            pb.environment().putAll(extraEnv);
            process = pb.start();
            starts++;
            return this;
        }

        public Path log() {
            return workDir.resolve(name + ".log");
        }

        public String url() {
            return "ws://127.0.0.1:" + wsPort + "/ocpp";
        }

        public String http() {
            return "http://127.0.0.1:" + adminPort;
        }

        public boolean isReady() {
            return process != null && process.isAlive() && get("/health/ready").status() == 200;
        }

        /** GET on its admin port. */
        public Answer get(String path) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(http() + path))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                return new Answer(r.statusCode(), r.body());
            } catch (IOException e) {
                return new Answer(0, "no answer: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, "interrupted");
            }
        }

        /** SIGKILL: no drain, no goodbye. */
        public void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** SIGTERM and wait for the exit code. */
        public int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        }

        public int starts() {
            return starts;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process != null && process.isAlive();
        }
    }

    /** An admin port's answer; status 0 when nothing answered. */
    public record Answer(int status, String body) {}

    @Override
    public void close() {
        for (Node n : nodes) {
            if (n.process != null) {
                n.process.destroyForcibly();
            }
        }
    }
}
