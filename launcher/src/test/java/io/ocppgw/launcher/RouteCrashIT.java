package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.RoutedCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** {@code ocppgw route} killed with SIGKILL in the middle of a run: after the restart, still one outcome per command (EOS). */
@WithKafkaBroker
class RouteCrashIT {

    private static final String PREFIX = "crash.";

    @Test
    void shouldGiveEveryCommandExactlyOneOutcomeAcrossAKillNine(EmbeddedKafka kafka) throws Exception {
        TopicNames names = new TopicNames(PREFIX);
        try (Admin admin = kafka.admin()) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, names));
        }
        Path state = Files.createTempDirectory("route-crash");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "enable.idempotence", false),
                new StringSerializer(),
                new ByteArraySerializer())) {
            Instant at = Instant.now().minusSeconds(60);
            producer.send(new ProducerRecord<>(
                            PREFIX + "cp-connections",
                            "A",
                            JsonSerde.of(ConnectionEvent.class)
                                    .serialize(
                                            null,
                                            new ConnectionEvent(
                                                    ConnectionEvent.Type.CONNECTED,
                                                    "A",
                                                    "edge-gateway-1",
                                                    1,
                                                    "s1",
                                                    at,
                                                    at,
                                                    "ocpp1.6",
                                                    "x",
                                                    null,
                                                    null))))
                    .get();

            Process route = startRoute(kafka, state);
            try {
                for (int i = 0; i < 150; i++) {
                    send(producer, "crash-" + i);
                }
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> committed(kafka, PREFIX + "commands-down", RoutedCommand.class)
                                        .size()
                                >= 50);
                route.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL mid-run
                for (int i = 150; i < 300; i++) {
                    send(producer, "crash-" + i);
                }
                route = startRoute(kafka, state);
                await().atMost(Duration.ofSeconds(180))
                        .until(() -> committed(kafka, PREFIX + "commands-down", RoutedCommand.class)
                                        .size()
                                >= 300);
                List<RoutedCommand> routed = committed(kafka, PREFIX + "commands-down", RoutedCommand.class);
                Set<String> routedIds = new HashSet<>();
                for (RoutedCommand r : routed) {
                    routedIds.add(r.command().commandId());
                    producer.send(new ProducerRecord<>(
                            PREFIX + "command-status",
                            "A",
                            JsonSerde.of(DeliveryReport.class)
                                    .serialize(
                                            null,
                                            new DeliveryReport(
                                                    r.command().commandId(),
                                                    "A",
                                                    "edge-gateway-1",
                                                    null,
                                                    "s1",
                                                    r.attempt(),
                                                    Command.Kind.CALL,
                                                    DeliveryReport.Status.RESPONSE,
                                                    JsonNodeFactory.instance
                                                            .objectNode()
                                                            .put("status", "Accepted"),
                                                    null,
                                                    null,
                                                    null,
                                                    Instant.now()))));
                }
                producer.flush();
                assertThat(routed)
                        .as("committed output holds each command once")
                        .hasSize(300);
                assertThat(routedIds).hasSize(300);

                await().atMost(Duration.ofSeconds(120))
                        .until(() -> committed(kafka, PREFIX + "command-results", CommandResult.class)
                                        .size()
                                >= 300);
                Thread.sleep(2000);
                List<CommandResult> results = committed(kafka, PREFIX + "command-results", CommandResult.class);
                assertThat(results).hasSize(300).allMatch(r -> r.status() == CommandResult.Status.COMPLETED);
                assertThat(results.stream().map(CommandResult::commandId).distinct())
                        .hasSize(300);
            } finally {
                route.destroyForcibly();
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String id) throws Exception {
        Command c = new Command(
                id,
                "A",
                Command.Kind.CALL,
                "Reset",
                JsonNodeFactory.instance.objectNode().put("type", "Soft"),
                Instant.now(),
                null,
                Duration.ofHours(1),
                Command.OfflinePolicy.QUEUE,
                null,
                null,
                null);
        producer.send(new ProducerRecord<>(
                        PREFIX + "commands", "A", JsonSerde.of(Command.class).serialize(null, c)))
                .get();
    }

    private static Process startRoute(EmbeddedKafka kafka, Path state) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-Xmx512m",
                        "-jar",
                        Path.of("target", "ocppgw.jar").toString(),
                        "route",
                        "--admin-port",
                        String.valueOf(FreePorts.loopback()),
                        "--host",
                        "127.0.0.1",
                        "--state-dir",
                        state.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        state.resolve("route.log").toFile()));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        pb.environment().put("OCPPGW_TOPIC_PREFIX", PREFIX);
        pb.environment().put("KAFKA_SESSION_TIMEOUT_MS", "6000"); // the killed member's partitions move on sooner
        return pb.start();
    }

    private static <T> List<T> committed(EmbeddedKafka kafka, String topic, Class<T> type) {
        return io.ocppgw.embedded.TopicContents.values(kafka.bootstrapServers(), topic, JsonSerde.of(type));
    }
}
