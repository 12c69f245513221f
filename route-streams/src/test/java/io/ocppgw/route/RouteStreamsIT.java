package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.support.streams.StreamsService;
import io.ocppgw.topics.DownPartitions;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.RoutedCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** route-streams on a real broker: partition placement, a cold start with waiting commands, one outcome across a restart. */
@WithKafkaBroker
class RouteStreamsIT {

    @Test
    void shouldRouteWaitingCommandsToThePartitionOfTheOwningPodAfterAColdStart(EmbeddedKafka kafka) throws Exception {
        TopicNames names = provision(kafka);
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            // Already in the topics before the app starts (behaviour vector R16): the connects come first in time.
            send(
                    producer,
                    names,
                    Topic.CP_CONNECTIONS,
                    "A",
                    connected("A", "edge-gateway-5", "s1", Instant.now().minusSeconds(30)));
            send(
                    producer,
                    names,
                    Topic.CP_CONNECTIONS,
                    "B",
                    connected("B", "edge-gateway-2", "s1", Instant.now().minusSeconds(30)));
            producer.flush();
            Thread.sleep(50);
            send(producer, names, Topic.COMMANDS, "A", command("cold-a", "A", Command.OfflinePolicy.FAIL_FAST));
            send(producer, names, Topic.COMMANDS, "B", command("cold-b", "B", Command.OfflinePolicy.FAIL_FAST));
            producer.flush();
        }
        try (StreamsService app = RouteApp.start(config(kafka, names))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);

            List<ConsumerRecord<String, RoutedCommand>> down = await().atMost(Duration.ofSeconds(60))
                    .until(() -> read(kafka, names.name(Topic.COMMANDS_DOWN), RoutedCommand.class), l -> l.size() >= 2);

            Map<String, Integer> partitionOf = down.stream()
                    .collect(Collectors.toMap(r -> r.value().command().commandId(), ConsumerRecord::partition));
            assertThat(partitionOf).containsEntry("cold-a", 5).containsEntry("cold-b", 2);
            assertThat(DownPartitions.partitionFor("edge-gateway-5", 8)).isEqualTo(5);
            assertThat(read(kafka, names.name(Topic.COMMAND_RESULTS), CommandResult.class))
                    .as("never EXPIRED as offline")
                    .isEmpty();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> route = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.adminPort() + "/api/v1/routes/A"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(route.statusCode()).isEqualTo(200);
            assertThat(route.body()).contains("\"podId\":\"edge-gateway-5\"").contains("\"state\":\"ONLINE\"");
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    "http://127.0.0.1:" + app.adminPort() + "/api/v1/routes/nobody"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(404);
            assertThat(http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + app.adminPort() + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.adminPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .containsPattern("ocppgw_route_table_size\\{[^}]*\\} [1-9]")
                    .contains("ocppgw_route_routed_total");
        }
    }

    @Test
    void shouldGiveEveryCommandExactlyOneOutcomeAcrossARestart(EmbeddedKafka kafka) throws Exception {
        TopicNames names = provision(kafka);
        RouteConfig config = config(kafka, names);
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            send(
                    producer,
                    names,
                    Topic.CP_CONNECTIONS,
                    "A",
                    connected("A", "edge-gateway-1", "s1", Instant.now().minusSeconds(5)));
            for (int i = 0; i < 100; i++) {
                ids.add("eos-" + i);
                send(producer, names, Topic.COMMANDS, "A", command("eos-" + i, "A", Command.OfflinePolicy.QUEUE));
            }
            producer.flush();
            try (StreamsService app = RouteApp.start(config)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> read(kafka, names.name(Topic.COMMANDS_DOWN), RoutedCommand.class)
                                        .size()
                                >= 100);
            }
            // After the restart: the same commands again (a backend retrying), then the edge's answers.
            for (int i = 0; i < 100; i += 2) {
                send(producer, names, Topic.COMMANDS, "A", command("eos-" + i, "A", Command.OfflinePolicy.QUEUE));
            }
            for (String id : ids) {
                send(
                        producer,
                        names,
                        Topic.COMMAND_STATUS,
                        "A",
                        new DeliveryReport(
                                id,
                                "A",
                                "edge-gateway-1",
                                null,
                                "s1",
                                1,
                                Command.Kind.CALL,
                                DeliveryReport.Status.RESPONSE,
                                JsonNodeFactory.instance.objectNode().put("status", "Accepted"),
                                null,
                                null,
                                null,
                                Instant.now()));
            }
            producer.flush();
            try (StreamsService app = RouteApp.start(config)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> read(kafka, names.name(Topic.COMMAND_RESULTS), CommandResult.class)
                                        .size()
                                >= 100);
                Thread.sleep(2000); // anything extra would have arrived by now
                List<CommandResult> results =
                        read(kafka, names.name(Topic.COMMAND_RESULTS), CommandResult.class).stream()
                                .map(ConsumerRecord::value)
                                .toList();
                assertThat(results).hasSize(100).allMatch(r -> r.status() == CommandResult.Status.COMPLETED);
                assertThat(results.stream().map(CommandResult::commandId).distinct())
                        .hasSize(100);
                assertThat(read(kafka, names.name(Topic.COMMANDS_DOWN), RoutedCommand.class))
                        .as("routed once each")
                        .hasSize(100);
            }
        }
    }

    @Test
    void shouldDeadLetterRecordsItCannotUseAndRouteTheNextCommandOfThePartition(EmbeddedKafka kafka) throws Exception {
        TopicNames names = provision(kafka);
        try (StreamsService app = RouteApp.start(config(kafka, names));
                KafkaProducer<String, byte[]> producer = producer(kafka)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
            int partition = io.ocppgw.topics.ChargePointPartitions.of("A", 4);
            for (Topic topic : List.of(Topic.CP_CONNECTIONS, Topic.COMMANDS, Topic.COMMAND_STATUS)) {
                producer.send(new ProducerRecord<>(names.name(topic), partition, "A", "{\"not\": \"a rec".getBytes()))
                        .get();
            }
            producer.send(new ProducerRecord<>(
                            names.name(Topic.GATEWAY_PODS),
                            "edge-gateway-1",
                            "{\"podId\":\"edge-gateway-1\",\"state\":\"HIBERNATING\"}".getBytes()))
                    .get();
            send(producer, names, Topic.CP_CONNECTIONS, "A", connected("A", "edge-gateway-1", "s1", Instant.now()));
            send(producer, names, Topic.COMMANDS, "A", command("after-bad", "A", Command.OfflinePolicy.FAIL_FAST));

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> read(kafka, names.name(Topic.COMMANDS_DOWN), RoutedCommand.class).stream()
                            .anyMatch(r -> r.value().command() != null
                                    && "after-bad".equals(r.value().command().commandId())));
            List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> io.ocppgw.embedded.TopicContents.readAll(
                                    kafka.bootstrapServers(),
                                    names.name(Topic.DEAD_LETTERS),
                                    new org.apache.kafka.common.serialization.ByteArrayDeserializer()),
                            l -> l.size() >= 3);
            assertThat(dead)
                    .extracting(d -> new String(d.headers()
                            .lastHeader(io.ocppgw.support.DeadLetters.TOPIC)
                            .value()))
                    .containsExactlyInAnyOrder(
                            names.name(Topic.CP_CONNECTIONS),
                            names.name(Topic.COMMANDS),
                            names.name(Topic.COMMAND_STATUS));
            assertThat(dead).allSatisfy(d -> {
                assertThat(new String(d.value())).isEqualTo("{\"not\": \"a rec");
                assertThat(d.headers().lastHeader(io.ocppgw.support.DeadLetters.OFFSET))
                        .isNotNull();
            });
            String metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.adminPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .contains("ocppgw_bad_records_total{app=\"route-streams\",problem=\"unreadable\",topic=\""
                            + names.name(Topic.COMMANDS) + "\"} 1.0");
            assertThat(metrics)
                    .as("the unreadable lease too, though a global store dead-letters nothing")
                    .contains("topic=\"" + names.name(Topic.GATEWAY_PODS) + "\"");
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static RouteConfig config(EmbeddedKafka kafka, TopicNames names) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OCPPGW_BOOTSTRAP_SERVER", kafka.bootstrapServers());
        env.put("OCPPGW_TOPIC_PREFIX", names.prefix());
        env.put("OCPPGW_ADMIN_PORT", String.valueOf(FreePorts.loopback()));
        env.put("OCPPGW_STATE_DIR", Files.createTempDirectory("route-state").toString());
        return RouteConfig.fromEnv(env);
    }

    private static TopicNames provision(EmbeddedKafka kafka) {
        TopicNames names = new TopicNames("r" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = kafka.admin()) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, names));
        }
        return names;
    }

    private static ConnectionEvent connected(String cp, String pod, String session, Instant at) {
        return new ConnectionEvent(
                ConnectionEvent.Type.CONNECTED,
                cp,
                pod,
                DownPartitions.partitionFor(pod, 8),
                session,
                at,
                at,
                "ocpp1.6",
                "127.0.0.1:1",
                null,
                null);
    }

    private static Command command(String id, String cp, Command.OfflinePolicy policy) {
        return new Command(
                id,
                cp,
                Command.Kind.CALL,
                "Reset",
                JsonNodeFactory.instance.objectNode().put("type", "Soft"),
                Instant.parse("2030-01-01T00:00:00Z").minusSeconds(1),
                null,
                Duration.ofDays(3650),
                policy,
                null,
                null,
                null);
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        // Not idempotent (a fresh topic's leader change can fail an idempotent first batch), and every send is awaited.
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "enable.idempotence", false),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @SuppressWarnings("unchecked")
    private static void send(
            KafkaProducer<String, byte[]> producer, TopicNames names, Topic topic, String key, Object value) {
        JsonSerde<Object> serde = (JsonSerde<Object>) (JsonSerde<?>) JsonSerde.of(value.getClass());
        try {
            producer.send(new ProducerRecord<>(names.name(topic), key, serde.serialize(null, value)))
                    .get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("test record not written", e);
        }
    }

    private static <T> List<ConsumerRecord<String, T>> read(EmbeddedKafka kafka, String topic, Class<T> type) {
        return io.ocppgw.embedded.TopicContents.readAll(kafka.bootstrapServers(), topic, JsonSerde.of(type));
    }
}
