package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ocppgw.embedded.BrokerSettings;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * Every role started before its Kafka cluster, then before its topics: each waits the same way — alive,
 * not ready, saying what it waits for on its admin port and in its log, the Kafka clients' repeated
 * warnings held back — and becomes ready once the cluster and the topics are there.
 */
class OcppgwWaitsForKafkaIT {

    private static final String PREFIX = "waits.";

    private record Role(String name, int adminPort, Path log, Process process) {}

    @Test
    void shouldWaitAliveAndNotReadyForTheClusterAndItsTopicsThenServe() throws Exception {
        int kafkaPort = FreePorts.loopback();
        String bootstrap = "127.0.0.1:" + kafkaPort;
        Map<String, List<String>> args = new LinkedHashMap<>();
        args.put("edge", List.of("--port", String.valueOf(FreePorts.loopback()), "--pod-id", "edge-gateway-2"));
        args.put(
                "route",
                List.of("--state-dir", Files.createTempDirectory("waits-route").toString()));
        args.put(
                "reconcile",
                List.of(
                        "--state-dir",
                        Files.createTempDirectory("waits-reconcile").toString()));
        List<Role> roles = new ArrayList<>();
        try {
            for (var e : args.entrySet()) {
                roles.add(start(e.getKey(), bootstrap, e.getValue()));
            }
            for (Role r : roles) {
                await().atMost(Duration.ofSeconds(30)).until(() -> status(r.adminPort(), "/health/live") == 200);
                assertThat(body(r.adminPort(), "/health/ready"))
                        .as(r.name())
                        .contains("cannot reach Kafka at " + bootstrap);
                assertThat(status(r.adminPort(), "/health/ready")).isEqualTo(503);
            }
            // two of the role's own warnings (ten seconds apart) against the Kafka client's, held to one per pattern in
            // 30 s
            for (Role r : roles) {
                await().atMost(Duration.ofSeconds(40))
                        .until(() -> count(r.log(), "KafkaWait - cannot reach Kafka at " + bootstrap) >= 2);
                assertThat(r.process().isAlive()).isTrue();
                assertThat(count(r.log(), "NetworkClient"))
                        .as(r.name() + ": " + Files.readString(r.log()))
                        .isLessThanOrEqualTo(4);
            }

            try (EmbeddedKafka kafka =
                    EmbeddedKafka.start(BrokerSettings.ephemeral().withPort(kafkaPort))) {
                for (Role r : roles) {
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> body(r.adminPort(), "/health/ready").contains("run 'ocppgw topics apply'"));
                    assertThat(r.process().isAlive())
                            .as(r.name() + " waits for its topics rather than exiting")
                            .isTrue();
                }
                try (Admin admin = kafka.admin()) {
                    new TopicProvisioner(admin, Duration.ofSeconds(60))
                            .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, new TopicNames(PREFIX)));
                }
                for (Role r : roles) {
                    await().atMost(Duration.ofSeconds(120))
                            .until(() -> status(r.adminPort(), "/health/ready") == 200
                                    || !r.process().isAlive());
                    assertThat(r.process().isAlive())
                            .as(Files.readString(r.log()))
                            .isTrue();
                    assertThat(Files.readString(r.log())).contains("reached Kafka and its topics");
                }
            }
        } finally {
            roles.forEach(r -> r.process().destroyForcibly());
        }
    }

    private static Role start(String role, String bootstrap, List<String> extra) throws Exception {
        int adminPort = FreePorts.loopback();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-jar",
                OcppgwJar.JAR.toString(),
                role,
                "--admin-port",
                String.valueOf(adminPort),
                "--host",
                "127.0.0.1"));
        command.addAll(extra);
        Path log = Files.createTempFile("ocppgw-waits-" + role, ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OCPPGW_") || k.startsWith("KAFKA_"));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        pb.environment().put("OCPPGW_TOPIC_PREFIX", PREFIX);
        return new Role(role, adminPort, log, pb.start());
    }

    private static long count(Path log, String text) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
    }

    private static int status(int port, String path) {
        try {
            return send(port, path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String body(int port, String path) {
        try {
            return send(port, path).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static HttpResponse<String> send(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
