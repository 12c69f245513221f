package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.TopicContents;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ocppgw edge} as its own process: starts, serves a real charge point, drains and exits 0 on SIGTERM. */
@WithKafkaBroker
class OcppgwEdgeIT {

    @Test
    void shouldServeAChargePointAndDrainOnSigterm(EmbeddedKafka kafka) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String jar = Path.of("target", "ocppgw.jar").toString();
        Process topics = new ProcessBuilder(
                        java.toString(),
                        "-jar",
                        jar,
                        "topics",
                        "apply",
                        "--profile",
                        "dev",
                        "--topic-prefix",
                        "edgecli.",
                        "--bootstrap-server",
                        kafka.bootstrapServers())
                .inheritIO()
                .start();
        assertThat(topics.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(topics.exitValue()).isZero();
        int port = FreePorts.loopback();
        int adminPort = FreePorts.loopback();
        Path log = Files.createTempFile("ocppgw-edge", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-jar",
                        jar,
                        "edge",
                        "--port",
                        String.valueOf(port),
                        "--admin-port",
                        String.valueOf(adminPort),
                        "--host",
                        "127.0.0.1",
                        "--pod-id",
                        "edge-gateway-5")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        pb.environment().put("OCPPGW_TOPIC_PREFIX", "edgecli.");
        pb.environment().put("OCPPGW_DRAIN_WINDOW", "PT1S");
        Process edge = pb.start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> ready(adminPort) || !edge.isAlive());
            assertThat(edge.isAlive()).as(Files.readString(log)).isTrue();
            OcppClient cp = OcppClient.connect(
                            "ws://127.0.0.1:" + port + "/ocpp", "CP-CLI", OcppClient.Options.of(OcppVersion.OCPP_2_0_1))
                    .get(10, TimeUnit.SECONDS);
            OcppFrame boot = cp.call(
                            "BootNotification",
                            (com.fasterxml.jackson.databind.node.ObjectNode)
                                    new com.fasterxml.jackson.databind.ObjectMapper()
                                            .readTree(
                                                    "{\"reason\": \"PowerUp\", \"chargingStation\": {\"model\": \"M\", \"vendorName\": \"V\"}}"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(((OcppFrame.CallResult) boot).payload().get("status").asText())
                    .isEqualTo("Accepted");

            Process simulate = new ProcessBuilder(
                            java.toString(),
                            "-jar",
                            jar,
                            "simulate",
                            "--url",
                            "ws://127.0.0.1:" + port + "/ocpp",
                            "--count",
                            "5",
                            "--ocpp",
                            "2.0.1",
                            "--duration",
                            "PT4S",
                            "--meter-interval",
                            "PT0.3S",
                            "--pause",
                            "PT0.3S")
                    .redirectErrorStream(true)
                    .start();
            String progress = new String(simulate.getInputStream().readAllBytes());
            assertThat(simulate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(simulate.exitValue()).as(progress).isZero();
            assertThat(progress)
                    .contains("connected 5 ")
                    .contains("errors 0")
                    .containsPattern("done: sent [1-9]\\d*, acked [1-9]");

            edge.destroy(); // SIGTERM

            assertThat(cp.closed().get(20, TimeUnit.SECONDS).code()).isEqualTo(1001);
            assertThat(edge.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(edge.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log))
                    .contains("edge pod ready: pod=edge-gateway-5 partition=5")
                    .contains("edge pod stopped");
        } finally {
            edge.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseBadConfigurationAtStartWithExitCodeTwo() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process edge = new ProcessBuilder(
                        java.toString(),
                        "-jar",
                        Path.of("target", "ocppgw.jar").toString(),
                        "edge",
                        "--bootstrap-server",
                        "127.0.0.1:1",
                        "--ping-interval",
                        "30s",
                        "--security-profile",
                        "7")
                .redirectErrorStream(true)
                .start();
        String out = new String(edge.getInputStream().readAllBytes());
        assertThat(edge.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(edge.exitValue()).isEqualTo(2);
        assertThat(out).contains("OCPPGW_PING_INTERVAL='30s'").contains("OCPPGW_SECURITY_PROFILE='7'");
    }

    @Test
    void shouldNameAPortInUseAndLeaveItsLeaseStoppedNotStarting(EmbeddedKafka kafka) throws Exception {
        assertThat(OcppgwJar.ocppgw(
                                Map.of(),
                                "topics",
                                "apply",
                                "--profile",
                                "dev",
                                "--topic-prefix",
                                "edgeport.",
                                "--bootstrap-server",
                                kafka.bootstrapServers())
                        .exitCode())
                .isZero();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            OcppgwJar.Run edge = OcppgwJar.ocppgw(
                    Map.of(
                            "KAFKA_BOOTSTRAP_SERVERS",
                            kafka.bootstrapServers(),
                            "OCPPGW_TOPIC_PREFIX",
                            "edgeport.",
                            "OCPPGW_DRAIN_WINDOW",
                            "PT0.1S"),
                    "edge",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(taken.getLocalPort()),
                    "--admin-port",
                    String.valueOf(FreePorts.loopback()),
                    "--pod-id",
                    "edge-gateway-3");

            assertThat(edge.exitCode()).as(edge.out() + edge.err()).isEqualTo(2);
            assertThat(edge.err()).contains("OCPPGW_PORT='" + taken.getLocalPort() + "': cannot listen on 127.0.0.1");
        }
        List<PodLease> leases =
                TopicContents.values(kafka.bootstrapServers(), "edgeport.gateway-pods", JsonSerde.of(PodLease.class));
        assertThat(leases).as("it wrote a STARTING lease first").isNotEmpty();
        assertThat(leases.get(leases.size() - 1).state()).isEqualTo(PodLease.State.STOPPED);
    }

    @Test
    void shouldExitNonZeroSayingWhyWhenNoSimulatedChargePointConnects() throws Exception {
        OcppgwJar.Run simulate = OcppgwJar.ocppgw(
                Map.of(),
                "simulate",
                "--url",
                "ws://127.0.0.1:" + FreePorts.loopback() + "/ocpp",
                "--count",
                "2",
                "--duration",
                "PT2S");

        assertThat(simulate.exitCode()).isEqualTo(1);
        assertThat(simulate.out()).contains("LOAD-<n>").contains("refused connection refused");
        assertThat(simulate.err())
                .contains("none of the 2 charge points connected")
                .contains("attempts ended: connection refused");
    }

    private static boolean ready(int adminPort) {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
