package io.ocppgw.launcher;

import io.ocppgw.edge.EdgeApp;
import io.ocppgw.edge.EdgeConfig;
import io.ocppgw.edge.handshake.PasswordHash;
import io.ocppgw.embedded.BrokerSettings;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.reconcile.ReconcileApp;
import io.ocppgw.reconcile.ReconcileConfig;
import io.ocppgw.route.RouteApp;
import io.ocppgw.route.RouteConfig;
import io.ocppgw.simulator.Fleet;
import io.ocppgw.simulator.backend.DemoAnswers;
import io.ocppgw.simulator.backend.DemoBackend;
import io.ocppgw.support.ConfigException;
import io.ocppgw.support.streams.StreamsService;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ocppgw dev}: the whole gateway on one machine, in this process — a real KRaft broker, the
 * topics (dev profile), route-streams, reconciliation-streams, one edge pod and the demo backend,
 * optionally with simulated charge points. Started in that order, stopped in reverse on Ctrl-C.
 */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description =
                "Run everything on this machine with an embedded Kafka broker: topics, route-streams, reconciliation-streams,"
                        + " one edge pod, the demo backend and, with --simulate N, N charge points. Ctrl-C stops it all.")
final class DevCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DevCommand.class);

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Broker port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(
            names = "--data-dir",
            description = "Keep broker data and streams state here across restarts; absent: thrown away at exit.")
    Path dataDir;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Edge WebSocket port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--admin-port",
            defaultValue = "9080",
            description = "Edge health and metrics port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int adminPort;

    @Option(
            names = "--route-admin-port",
            defaultValue = "9081",
            description = "route-streams query port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int routeAdminPort;

    @Option(
            names = "--reconcile-admin-port",
            defaultValue = "9082",
            description = "reconciliation-streams query port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int reconcileAdminPort;

    @Option(
            names = "--security-profile",
            defaultValue = "0",
            description =
                    "0 (none), 1 (Basic auth; with --simulate a credentials file for the simulated charge points is written"
                            + " unless --credentials-file is given) or 2 (Basic auth over TLS; needs --tls-keystore). Default: ${DEFAULT-VALUE}.")
    int securityProfile;

    @Option(names = "--credentials-file", description = "Profiles 1 and 2: the edge's credentials file.")
    Path credentialsFile;

    @Option(names = "--tls-keystore", description = "Profile 2: PKCS12 key store of the edge.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password", description = "Profile 2: its password.")
    String tlsKeystorePassword;

    @Option(
            names = "--simulate",
            defaultValue = "0",
            description = "Simulated charge points to run against the edge. Default: ${DEFAULT-VALUE}.")
    int simulate;

    @Option(
            names = "--ocpp",
            defaultValue = "1.6",
            description = "OCPP version of the simulated charge points: 1.6, 2.0.1 or 2.1. Default: ${DEFAULT-VALUE}.")
    String ocpp;

    @Option(
            names = "--password",
            defaultValue = "dev-password",
            description = "Password of the simulated charge points for profiles 1 and 2. Default: ${DEFAULT-VALUE}.")
    String password;

    @Option(
            names = "--accept-id-tags",
            split = ",",
            paramLabel = "TAG",
            description =
                    "The demo backend authorizes only these idTags/idTokens (comma-separated). Default: every one.")
    List<String> acceptIdTags;

    @Option(
            names = "--data-transfer-status",
            defaultValue = "Accepted",
            description =
                    "The demo backend's DataTransfer answer: Accepted, Rejected, UnknownMessageId or UnknownVendorId. Default: ${DEFAULT-VALUE}.")
    String dataTransferStatus;

    @Spec
    CommandSpec spec;

    /** The identity the banner suggests for a charge point of one's own; with generated credentials it has the dev password. */
    private static final String EXAMPLE_IDENTITY = "MY-CP-1";

    @Override
    public Integer call() throws Exception {
        validate();
        port = orFree(port);
        adminPort = orFree(adminPort);
        routeAdminPort = orFree(routeAdminPort);
        reconcileAdminPort = orFree(reconcileAdminPort);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> base = withoutOwnVariables(EnvDefaults.environment(spec));
        Path home = dataDir != null ? dataDir : Files.createTempDirectory("ocppgw-dev");
        Deque<AutoCloseable> running = new ArrayDeque<>();
        if (dataDir == null) {
            running.push(() -> deleteTree(home)); // closed last
        }
        try {
            // every part's configuration is checked before the broker starts, so a bad one (a key store
            // that does not open, a malformed duration) is named at once, not after the start-up
            String notYetKnown = "127.0.0.1:" + (kafkaPort == 0 ? 9092 : kafkaPort);
            RouteConfig.fromEnv(streamsEnv(base, notYetKnown, routeAdminPort, home.resolve("route")));
            ReconcileConfig.fromEnv(streamsEnv(base, notYetKnown, reconcileAdminPort, home.resolve("reconcile")));
            EdgeConfig.fromEnv(edgeEnv(base, notYetKnown, home));
            // after a kill -9 the restarted broker may register only once its old registration's session
            // ended (9 s by default); the dev stack's single node has nobody else to fence it
            BrokerSettings broker = BrokerSettings.ephemeral()
                    .withPort(kafkaPort)
                    .withOverride("broker.heartbeat.interval.ms", "500")
                    .withOverride("broker.session.timeout.ms", "2500");
            EmbeddedKafka kafka =
                    EmbeddedKafka.start(dataDir == null ? broker : broker.withDataDir(home.resolve("kafka")));
            running.push(kafka);
            try (Admin admin = kafka.admin()) {
                new TopicProvisioner(admin, Duration.ofSeconds(60))
                        .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, TopicNames.unprefixed()));
            }
            String bootstrap = kafka.bootstrapServers();
            StreamsService route = RouteApp.start(
                    RouteConfig.fromEnv(streamsEnv(base, bootstrap, routeAdminPort, home.resolve("route"))));
            running.push(route);
            StreamsService reconcile = ReconcileApp.start(ReconcileConfig.fromEnv(
                    streamsEnv(base, bootstrap, reconcileAdminPort, home.resolve("reconcile"))));
            running.push(reconcile);
            DemoBackend backend = DemoBackend.start(new DemoBackend.Settings(
                    Map.of("bootstrap.servers", bootstrap),
                    TopicNames.unprefixed(),
                    "ocppgw-demo-backend",
                    new DemoAnswers(
                            Optional.ofNullable(acceptIdTags).map(java.util.Set::copyOf),
                            dataTransferStatus,
                            // above the ids an earlier run with the same data directory gave out
                            (int) (System.currentTimeMillis() / 1000 % 1_000_000_000))));
            running.push(backend);
            EdgeApp edge = EdgeApp.start(EdgeConfig.fromEnv(edgeEnv(base, bootstrap, home)), Clock.systemUTC());
            running.push(edge);
            awaitRunning(List.of(route, reconcile), backend);
            String scheme = securityProfile == 2 ? "wss" : "ws";
            String url = scheme + "://127.0.0.1:" + edge.port() + "/ocpp";
            if (simulate > 0) {
                Fleet fleet = new Fleet(new Fleet.Scenario(
                        url,
                        simulate,
                        OcppVersion.fromToken("ocpp" + ocpp).orElseThrow(),
                        "SIM-",
                        securityProfile > 0 ? Optional.of(password) : Optional.empty(),
                        50,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(10),
                        6,
                        Duration.ofSeconds(30)));
                fleet.start();
                running.push(fleet);
            }
            printWhatRunsWhere(out, bootstrap, home, url);
        } catch (RuntimeException | IOException e) {
            closeAll(running);
            throw e;
        }
        return Serving.untilStopped(() -> closeAll(running), "dev");
    }

    /** A port taken by another process is a usage error, named before anything starts. */
    private void validate() {
        List<String> problems = new ArrayList<>();
        if (securityProfile < 0 || securityProfile > 2) {
            problems.add("--security-profile " + securityProfile + ": dev runs profile 0, 1 or 2");
        }
        if (securityProfile == 2 && tlsKeystore == null) {
            problems.add("--security-profile 2: needs --tls-keystore (a PKCS12 key store) and --tls-keystore-password");
        }
        if (securityProfile == 1 && credentialsFile == null && simulate == 0) {
            problems.add(
                    "--security-profile 1: needs --credentials-file, or --simulate N to write one for the simulated charge points");
        }
        if (!List.of("Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId")
                .contains(dataTransferStatus)) {
            problems.add("--data-transfer-status " + dataTransferStatus
                    + ": must be Accepted, Rejected, UnknownMessageId or UnknownVendorId");
        }
        if (OcppVersion.fromToken("ocpp" + ocpp).isEmpty()) {
            problems.add("--ocpp " + ocpp + ": must be 1.6, 2.0.1 or 2.1");
        }
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("--kafka-port", kafkaPort);
        ports.put("--port", port);
        ports.put("--admin-port", adminPort);
        ports.put("--route-admin-port", routeAdminPort);
        ports.put("--reconcile-admin-port", reconcileAdminPort);
        ports.forEach((option, p) -> {
            if (p != 0 && !isFree(p)) {
                problems.add(
                        option + " " + p + ": the port is in use; stop what uses it or pick another with " + option);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The port, or for 0 one the system has free now (the parts are started with a fixed port each). */
    private static int orFree(int port) throws IOException {
        if (port != 0) {
            return port;
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The caller's environment without the variables this command sets per component (they mean other ports here). */
    private static Map<String, String> withoutOwnVariables(Map<String, String> env) {
        Map<String, String> base = new HashMap<>(env);
        for (String own : List.of(
                "OCPPGW_PORT",
                "OCPPGW_ADMIN_PORT",
                "OCPPGW_HOST",
                "OCPPGW_STATE_DIR",
                "OCPPGW_BOOTSTRAP_SERVER",
                "KAFKA_BOOTSTRAP_SERVERS",
                "OCPPGW_TOPIC_PREFIX",
                "OCPPGW_APPLICATION_ID",
                "OCPPGW_SECURITY_PROFILE",
                "OCPPGW_POD_ID",
                "OCPPGW_CREDENTIALS_FILE",
                "OCPPGW_TLS_KEYSTORE",
                "OCPPGW_TLS_KEYSTORE_PASSWORD",
                "OCPPGW_INSTANCE_ID")) {
            base.remove(own);
        }
        return base;
    }

    private static Map<String, String> streamsEnv(
            Map<String, String> base, String bootstrap, int adminPort, Path stateDir) {
        Map<String, String> env = new HashMap<>(base);
        env.put("OCPPGW_BOOTSTRAP_SERVER", bootstrap);
        env.put("OCPPGW_HOST", "127.0.0.1");
        env.put("OCPPGW_ADMIN_PORT", String.valueOf(adminPort));
        env.put("OCPPGW_STATE_DIR", stateDir.toString());
        // static membership: a restart on --data-dir takes its tasks back at once instead of waiting out the
        // previous run's session (Kafka Streams does not leave its group when it closes)
        env.put("OCPPGW_INSTANCE_ID", "dev-" + stateDir.getFileName());
        return env;
    }

    private Map<String, String> edgeEnv(Map<String, String> base, String bootstrap, Path home) throws IOException {
        Map<String, String> env = new HashMap<>(base);
        env.put("OCPPGW_BOOTSTRAP_SERVER", bootstrap);
        env.put("OCPPGW_HOST", "127.0.0.1");
        env.put("OCPPGW_PORT", String.valueOf(port));
        env.put("OCPPGW_ADMIN_PORT", String.valueOf(adminPort));
        env.put("OCPPGW_POD_ID", "edge-gateway-0");
        env.put("OCPPGW_SECURITY_PROFILE", String.valueOf(securityProfile));
        env.putIfAbsent("OCPPGW_DRAIN_WINDOW", "PT2S");
        if (securityProfile > 0) {
            env.put(
                    "OCPPGW_CREDENTIALS_FILE",
                    (credentialsFile != null ? credentialsFile : simulatedCredentials(home)).toString());
        }
        if (tlsKeystore != null) {
            env.put("OCPPGW_TLS_KEYSTORE", tlsKeystore.toString());
            env.put("OCPPGW_TLS_KEYSTORE_PASSWORD", tlsKeystorePassword == null ? "" : tlsKeystorePassword);
        }
        return env;
    }

    /** The first identity a credentials file names (the banner's example must be one that connects). */
    private static String firstIdentity(Path credentials) {
        try {
            return Files.readAllLines(credentials).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+")[0])
                    .findFirst()
                    .orElse(EXAMPLE_IDENTITY);
        } catch (IOException e) {
            return EXAMPLE_IDENTITY;
        }
    }

    /** Credentials of SIM-0 … SIM-(N-1) and of the banner's example identity with --password, for profile 1 or 2 with --simulate. */
    private Path simulatedCredentials(Path home) throws IOException {
        StringBuilder lines = new StringBuilder();
        String hash = PasswordHash.create(password.getBytes(StandardCharsets.UTF_8), PasswordHash.DEFAULT_ITERATIONS);
        lines.append(EXAMPLE_IDENTITY).append(' ').append(hash).append('\n');
        for (int i = 0; i < simulate; i++) {
            lines.append("SIM-").append(i).append(' ').append(hash).append('\n');
        }
        Path file = home.resolve("credentials");
        Files.writeString(file, lines);
        return file;
    }

    /** Waits for the streams apps to run and the demo backend to read the journal, saying every two seconds what it still waits for. */
    private static void awaitRunning(List<StreamsService> apps, DemoBackend backend) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(90).toNanos();
        long nextSay = start + Duration.ofSeconds(2).toNanos();
        while (true) {
            List<String> waiting = new ArrayList<>();
            apps.stream()
                    .filter(a -> a.state() != KafkaStreams.State.RUNNING)
                    .forEach(a -> waiting.add(a.name() + " (" + a.state() + ")"));
            if (!backend.awaitReady(Duration.ZERO)) {
                waiting.add("the demo backend (no journal partitions yet)");
            }
            if (waiting.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException("not ready within 90 s: " + String.join(", ", waiting));
            }
            if (now > nextSay) {
                LOG.info(
                        "dev stack waiting {} s for: {}",
                        Duration.ofNanos(now - start).toSeconds(),
                        String.join(", ", waiting));
                nextSay = now + Duration.ofSeconds(2).toNanos();
            }
            Thread.sleep(100);
        }
    }

    private void printWhatRunsWhere(PrintWriter out, String bootstrap, Path home, String url) {
        out.printf(
                "%nocpp-kafka-gateway dev stack is up (data in %s%s)%n",
                home, dataDir == null ? ", removed at exit" : "");
        out.printf("  Kafka broker              %s (topics: dev profile, P=4, D=8)%n", bootstrap);
        out.printf(
                "  edge pod edge-gateway-0   %s/{chargePointId}   health/metrics http://127.0.0.1:%d/metrics%n",
                url, adminPort);
        out.printf("  route-streams             http://127.0.0.1:%d/api/v1/routes/{chargePointId}%n", routeAdminPort);
        out.printf(
                "  reconciliation-streams    http://127.0.0.1:%d/api/v1/transactions/{chargePointId}%n",
                reconcileAdminPort);
        out.printf(
                "  demo backend              answers Authorize (%s), StartTransaction (1.6) and DataTransfer (%s); logs results and events%n",
                acceptIdTags == null ? "every idTag" : "only " + String.join(", ", acceptIdTags), dataTransferStatus);
        if (simulate > 0) {
            out.printf("  simulated charge points   SIM-0 … SIM-%d (OCPP %s)%n", simulate - 1, ocpp);
        }
        String example =
                securityProfile > 0 && credentialsFile != null ? firstIdentity(credentialsFile) : EXAMPLE_IDENTITY;
        out.printf("%nConnect a charge point:  %s/%s  (subprotocol ocpp1.6, ocpp2.0.1 or ocpp2.1)%n", url, example);
        if (securityProfile > 0) {
            out.printf(
                    "  with Basic auth:       user %s, password %s (credentials file %s)%n",
                    example,
                    credentialsFile != null ? "as in that file" : password,
                    credentialsFile != null ? credentialsFile : home.resolve("credentials"));
        }
        out.printf(
                "Send it a command:       java -jar launcher/target/ocppgw.jar send --bootstrap-server %s --cp %s --action Reset"
                        + " --payload '{\"type\":\"Soft\"}' --wait%n",
                bootstrap, example);
        out.printf(
                "Query:                   java -jar launcher/target/ocppgw.jar query --url http://127.0.0.1:%d /api/v1/routes/%s%n",
                routeAdminPort, example);
        out.printf("Ctrl-C stops everything.%n");
        out.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stops in reverse order of start; one failing to stop does not keep the others running. */
    private static void closeAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("ocppgw dev: " + next.getClass().getSimpleName() + " did not stop cleanly: " + e);
            }
        }
    }
}
