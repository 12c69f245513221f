package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.ocppgw.simulator.OcppClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code ocppgw dev} as a user runs it: one process brings up the broker, both streams apps, an edge
 * pod, the demo backend and simulated charge points; {@code ocppgw send} and {@code ocppgw query} work
 * against it; SIGTERM stops everything and removes the throw-away data.
 */
class OcppgwDevIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String JAR = Path.of("target", "ocppgw.jar").toString();

    @Test
    void shouldRunTheWholeGatewayInOneCommand() throws Exception {
        int kafkaPort = FreePorts.loopback();
        int wsPort = FreePorts.loopback();
        int routePort = FreePorts.loopback();
        int reconcilePort = FreePorts.loopback();
        int edgeAdminPort = FreePorts.loopback();
        Path log = Files.createTempFile("ocppgw-dev", ".log");
        Process dev = new ProcessBuilder(
                        JAVA.toString(),
                        "-Xmx1g",
                        "-jar",
                        JAR,
                        "dev",
                        "--kafka-port",
                        String.valueOf(kafkaPort),
                        "--port",
                        String.valueOf(wsPort),
                        "--admin-port",
                        String.valueOf(edgeAdminPort),
                        "--route-admin-port",
                        String.valueOf(routePort),
                        "--reconcile-admin-port",
                        String.valueOf(reconcilePort),
                        "--simulate",
                        "3",
                        "--accept-id-tags",
                        "TAG-1,TAG-2")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(150))
                    .until(() -> Files.readString(log).contains("Ctrl-C stops everything") || !dev.isAlive());
            String banner = Files.readString(log);
            assertThat(dev.isAlive()).as(banner).isTrue();
            assertThat(banner)
                    .contains(
                            "ws://127.0.0.1:" + wsPort + "/ocpp/{chargePointId}",
                            "127.0.0.1:" + kafkaPort,
                            "http://127.0.0.1:" + routePort + "/api/v1/routes/",
                            "http://127.0.0.1:" + reconcilePort + "/api/v1/transactions/",
                            "SIM-0 … SIM-2");
            Path dataDir = Path.of(banner.replaceAll("(?s).*dev stack is up \\(data in ([^,)]+).*", "$1"));
            assertThat(dataDir).exists();

            // A stock client connects, boots, and gets a command sent with `ocppgw send --wait`.
            List<String> received = new ArrayList<>();
            OcppClient cp = OcppClient.connect(
                            "ws://127.0.0.1:" + wsPort + "/ocpp",
                            "MY-CP-1",
                            OcppClient.Options.of(OcppVersion.OCPP_2_0_1).withHandler((action, request) -> {
                                received.add(action);
                                return CsmsCallAnswers.answer(OcppVersion.OCPP_2_0_1, action, request);
                            }))
                    .get(10, TimeUnit.SECONDS);
            OcppFrame boot = cp.call(
                            "BootNotification",
                            (com.fasterxml.jackson.databind.node.ObjectNode)
                                    JSON.readTree(
                                            "{\"reason\": \"PowerUp\", \"chargingStation\": {\"model\": \"M\", \"vendorName\": \"V\"}}"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(((OcppFrame.CallResult) boot).payload().path("status").asText())
                    .isEqualTo("Accepted");
            OcppFrame authorize = cp.call("Authorize", (com.fasterxml.jackson.databind.node.ObjectNode)
                            JSON.readTree("{\"idToken\": {\"idToken\": \"TAG-1\", \"type\": \"ISO14443\"}}"))
                    .get(20, TimeUnit.SECONDS);
            assertThat(((OcppFrame.CallResult) authorize)
                            .payload()
                            .path("idTokenInfo")
                            .path("status")
                            .asText())
                    .as("answered by the demo backend")
                    .isEqualTo("Accepted");
            OcppFrame refused = cp.call("Authorize", (com.fasterxml.jackson.databind.node.ObjectNode)
                            JSON.readTree("{\"idToken\": {\"idToken\": \"TAG-BAD\", \"type\": \"ISO14443\"}}"))
                    .get(20, TimeUnit.SECONDS);
            assertThat(((OcppFrame.CallResult) refused)
                            .payload()
                            .path("idTokenInfo")
                            .path("status")
                            .asText())
                    .as("not in --accept-id-tags")
                    .isEqualTo("Invalid");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> run("query", "--url", "http://127.0.0.1:" + routePort, "/api/v1/routes/MY-CP-1")
                                    .exit()
                            == 0);

            Result sent = run(
                    "send",
                    "--bootstrap-server",
                    "127.0.0.1:" + kafkaPort,
                    "--cp",
                    "MY-CP-1",
                    "--action",
                    "Reset",
                    "--payload",
                    "{\"type\": \"OnIdle\"}",
                    "--wait");
            assertThat(sent.exit()).as(sent.output()).isZero();
            assertThat(JSON.readTree(sent.json()).path("status").asText()).isEqualTo("COMPLETED");
            assertThat(received).contains("Reset");
            Result offline = run(
                    "send",
                    "--bootstrap-server",
                    "127.0.0.1:" + kafkaPort,
                    "--cp",
                    "NOBODY",
                    "--action",
                    "Reset",
                    "--payload",
                    "{\"type\": \"Soft\"}",
                    "--offline",
                    "fail-fast",
                    "--wait");
            assertThat(offline.exit()).as("not COMPLETED: exit 1").isEqualTo(1);
            assertThat(JSON.readTree(offline.json()).path("status").asText()).isEqualTo("EXPIRED");
            long queuedAt = System.nanoTime();
            Result queued = run(
                    "send",
                    "--bootstrap-server",
                    "127.0.0.1:" + kafkaPort,
                    "--cp",
                    "NOBODY",
                    "--action",
                    "Reset",
                    "--payload",
                    "{\"type\": \"Soft\"}",
                    "--ttl",
                    "PT3S",
                    "--wait",
                    "--route-url",
                    "http://127.0.0.1:" + routePort);
            assertThat(queued.output())
                    .as("said while it waited, before the TTL ended it")
                    .contains("NOBODY is not connected (no live route); the command is queued until");
            assertThat(JSON.readTree(queued.json()).path("status").asText()).isEqualTo("EXPIRED");
            assertThat(Duration.ofNanos(System.nanoTime() - queuedAt)).isLessThan(Duration.ofSeconds(60));
            Result badPayload = run(
                    "send",
                    "--bootstrap-server",
                    "127.0.0.1:" + kafkaPort,
                    "--cp",
                    "X",
                    "--action",
                    "Reset",
                    "--payload",
                    "[1,2]");
            assertThat(badPayload.exit()).isEqualTo(2);
            assertThat(badPayload.output()).contains("--payload '[1,2]': must be a JSON object");

            // The simulated charge points' transactions got their ids from the demo backend and are queryable.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Result q = run("query", "--url", "http://127.0.0.1:" + reconcilePort, "/api/v1/transactions/SIM-1");
                return q.exit() == 0
                        && JSON.readTree(q.json()).path("transactions").size() > 0;
            });
            Result notFound = run("query", "--url", "http://127.0.0.1:" + reconcilePort, "/api/v1/transactions/NOBODY");
            assertThat(notFound.exit()).isEqualTo(1);
            assertThat(notFound.output()).contains("HTTP 404");

            // A second dev stack on the same ports is refused before it starts anything.
            Result clash = run("dev", "--kafka-port", String.valueOf(kafkaPort), "--port", String.valueOf(wsPort));
            assertThat(clash.exit()).isEqualTo(2);
            assertThat(clash.output())
                    .contains(
                            "--kafka-port " + kafkaPort + ": the port is in use",
                            "--port " + wsPort + ": the port is in use");
            Result badStatus = runDevOnFreePorts("--data-transfer-status", "Maybe");
            assertThat(badStatus.exit()).isEqualTo(2);
            assertThat(badStatus.output())
                    .contains(
                            "--data-transfer-status Maybe: must be Accepted, Rejected, UnknownMessageId or UnknownVendorId");
            Path refusedData = Files.createTempDirectory("ocppgw-dev-refused");
            Result noKeyStore = runDevOnFreePorts(
                    "--data-dir",
                    refusedData.toString(),
                    "--security-profile",
                    "2",
                    "--tls-keystore",
                    refusedData.resolve("missing.p12").toString(),
                    "--tls-keystore-password",
                    "x");
            assertThat(noKeyStore.exit()).isEqualTo(2);
            assertThat(noKeyStore.output())
                    .contains("OCPPGW_TLS_KEYSTORE='" + refusedData.resolve("missing.p12") + "': must open as PKCS12");
            assertThat(refusedData.resolve("kafka"))
                    .as("refused before the broker started")
                    .doesNotExist();
            cp.close();

            // Every metric the chart's Grafana dashboard queries is one the running stack exposes (a bad record
            // on commands makes route-streams count one; a second connection of one identity makes the edge close
            // the first, superseded).
            OcppClient first = OcppClient.connect(
                            "ws://127.0.0.1:" + wsPort + "/ocpp",
                            "MY-CP-2",
                            OcppClient.Options.of(OcppVersion.OCPP_1_6))
                    .get(10, TimeUnit.SECONDS);
            OcppClient second = OcppClient.connect(
                            "ws://127.0.0.1:" + wsPort + "/ocpp",
                            "MY-CP-2",
                            OcppClient.Options.of(OcppVersion.OCPP_1_6))
                    .get(10, TimeUnit.SECONDS);
            first.closed().get(10, TimeUnit.SECONDS);
            second.close();
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                    Map.of("bootstrap.servers", "127.0.0.1:" + kafkaPort),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>("commands", "MY-CP-1", "not json".getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            Set<String> queried = dashboardMetrics();
            assertThat(queried).hasSizeGreaterThan(15);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(exposed(edgeAdminPort, routePort, reconcilePort))
                            .as("metric names on /metrics of the edge, route-streams and reconciliation-streams")
                            .containsAll(queried));

            dev.destroy(); // SIGTERM, as Ctrl-C
            assertThat(dev.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dev.exitValue()).as(Files.readString(log)).isZero();
            assertThat(dataDir).as("throw-away data removed").doesNotExist();
            assertThat(portIsFree(wsPort) && portIsFree(kafkaPort)).isTrue();
        } finally {
            dev.destroyForcibly();
        }
    }

    /** The metric names the chart's Grafana dashboard queries. */
    private static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = JSON.readTree(Path.of("..", "helm", "ocpp-gateway", "dashboards", "ocpp-gateway.json")
                .toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = Pattern.compile("\\b((?:ocppgw|kafka)_[a-z0-9_]+)\\b")
                        .matcher(target.path("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** Every metric name the three admin ports expose. */
    private static Set<String> exposed(int... ports) throws Exception {
        Set<String> names = new TreeSet<>();
        for (int port : ports) {
            String text = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        }
        return names;
    }

    private record Result(int exit, String output) {
        /** The JSON document in the output (log lines of the clients may surround it). */
        String json() {
            int start = output.indexOf("{\n");
            int end = output.lastIndexOf("\n}");
            return start < 0 || end < 0 ? "{}" : output.substring(start, end + 2);
        }
    }

    /** {@code ocppgw dev} with every port 0 (free ones) and {@code more} options. */
    private static Result runDevOnFreePorts(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "dev",
                "--kafka-port",
                "0",
                "--port",
                "0",
                "--admin-port",
                "0",
                "--route-admin-port",
                "0",
                "--reconcile-admin-port",
                "0"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xmx256m", "-jar", JAR));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OCPPGW_LOG_LEVEL", "WARN");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
