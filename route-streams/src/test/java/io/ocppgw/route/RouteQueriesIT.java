package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.support.streams.StreamsService;
import io.ocppgw.testsupport.OpenApiContract;
import io.ocppgw.topics.DownPartitions;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.provisioning.ProvisioningSettings;
import io.ocppgw.topics.provisioning.TopicProvisioner;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.JsonSerde;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Two (then three) route-streams instances: any instance answers any key the same, by forwarding; never a
 * wrong route. Every answer is held against the API's OpenAPI document, and every documented query is made.
 */
@WithKafkaBroker
class RouteQueriesIT {

    private final OpenApiContract contract = new OpenApiContract("route-api.yaml");

    @Test
    void shouldAnswerTheSameFromEveryInstanceAndOnly503DuringARebalance(EmbeddedKafka kafka) throws Exception {
        TopicNames names = new TopicNames("q" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = kafka.admin()) {
            new TopicProvisioner(admin, Duration.ofSeconds(30))
                    .apply(ProvisioningSettings.of(ProvisioningSettings.Profile.DEV, names));
        }
        Map<String, String> podOf = new HashMap<>();
        // Not idempotent: right after topic creation a leader change can fail an idempotent producer's
        // first batch with OutOfOrderSequence; each send below is awaited, so a failure fails the test.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", false, "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 20; i++) {
                String cp = "CP-Q-" + i;
                String pod = "edge-gateway-" + (i % 4);
                podOf.put(cp, pod);
                Instant at = Instant.now().minusSeconds(60);
                producer.send(new ProducerRecord<>(
                                names.name(Topic.CP_CONNECTIONS),
                                cp,
                                JsonSerde.of(ConnectionEvent.class)
                                        .serialize(
                                                null,
                                                new ConnectionEvent(
                                                        ConnectionEvent.Type.CONNECTED,
                                                        cp,
                                                        pod,
                                                        DownPartitions.partitionFor(pod, 8),
                                                        "s-" + i,
                                                        at,
                                                        at,
                                                        "ocpp1.6",
                                                        "127.0.0.1:1",
                                                        null,
                                                        null))))
                        .get();
            }
            producer.send(new ProducerRecord<>(
                            names.name(Topic.COMMANDS),
                            "CP-Q-3",
                            JsonSerde.of(Command.class)
                                    .serialize(
                                            null,
                                            new Command(
                                                    "q-cmd-1",
                                                    "CP-Q-3",
                                                    Command.Kind.CALL,
                                                    "Reset",
                                                    JsonNodeFactory.instance
                                                            .objectNode()
                                                            .put("type", "Soft"),
                                                    Instant.now(),
                                                    null,
                                                    Duration.ofHours(1),
                                                    Command.OfflinePolicy.QUEUE,
                                                    null,
                                                    null,
                                                    null))))
                    .get();
        }
        String appId = "queries-" + names.prefix();
        List<StreamsService> apps = new ArrayList<>();
        try {
            apps.add(RouteApp.start(config(kafka, names, appId)));
            apps.add(RouteApp.start(config(kafka, names, appId)));
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> apps.stream().allMatch(a -> a.state() == KafkaStreams.State.RUNNING)
                            && get(apps.get(0), "/api/v1/stats")
                                            .path("totals")
                                            .path("routesOnline")
                                            .asInt()
                                    == 20);

            for (String cp : podOf.keySet()) {
                JsonNode fromFirst = await().atMost(Duration.ofSeconds(20))
                        .until(() -> get(apps.get(0), "/api/v1/routes/" + cp), n -> n.has("podId"));
                JsonNode fromSecond = get(apps.get(1), "/api/v1/routes/" + cp);
                assertThat(fromFirst.path("podId").asText()).as(cp).isEqualTo(podOf.get(cp));
                assertThat(fromSecond)
                        .as("forwarded to the owner or read locally: the same")
                        .isEqualTo(fromFirst);
            }

            Set<String> onPod1 = new HashSet<>();
            String cursor = "";
            int pages = 0;
            do {
                JsonNode page = get(
                        apps.get(1),
                        "/api/v1/routes?pod=edge-gateway-1&limit=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
                page.path("routes")
                        .forEach(r -> onPod1.add(r.path("chargePointId").asText()));
                cursor = page.path("nextCursor").asText("");
                pages++;
            } while (!cursor.isEmpty() && pages < 20);
            assertThat(onPod1).containsExactlyInAnyOrder("CP-Q-1", "CP-Q-5", "CP-Q-9", "CP-Q-13", "CP-Q-17");
            assertThat(pages).isGreaterThan(1);

            JsonNode command = get(apps.get(1), "/api/v1/commands/q-cmd-1?chargePointId=CP-Q-3");
            assertThat(command.path("state").asText()).isEqualTo("ROUTED");
            assertThat(status(apps.get(0), "/api/v1/commands/q-cmd-1")).isEqualTo(400);
            assertThat(status(apps.get(0), "/api/v1/routes/CP-NOBODY")).isEqualTo(404);
            assertThat(status(apps.get(0), "/api/v1/routes?limit=0")).isEqualTo(400);
            assertThat(get(apps.get(0), "/api/v1/stats")
                            .path("totals")
                            .path("openCommands")
                            .asInt())
                    .isEqualTo(1);
            assertThat(get(apps.get(0), "/api/v1/pods").path("pods"))
                    .as("no edge pod wrote a lease here")
                    .isEmpty();
            assertThat(get(apps.get(0), "/health/live").path("status").asText()).isEqualTo("UP");
            assertThat(get(apps.get(1), "/health/ready").path("status").asText())
                    .isEqualTo("UP");
            assertThat(send(apps.get(0), "/api/v1/openapi.yaml").body()).startsWith("openapi: 3.1.0");
            assertThat(send(apps.get(1), "/metrics").body()).contains("ocppgw_route_records_in_total");

            // the pod answers the command: its result is what the query shows from then on
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", false, "acks", "all"),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(
                                names.name(Topic.COMMAND_STATUS),
                                "CP-Q-3",
                                JsonSerde.of(DeliveryReport.class)
                                        .serialize(
                                                null,
                                                new DeliveryReport(
                                                        "q-cmd-1",
                                                        "CP-Q-3",
                                                        command.path("entry")
                                                                .path("podId")
                                                                .asText(),
                                                        null,
                                                        "s-3",
                                                        1,
                                                        Command.Kind.CALL,
                                                        DeliveryReport.Status.RESPONSE,
                                                        JsonNodeFactory.instance
                                                                .objectNode()
                                                                .put("status", "Accepted"),
                                                        null,
                                                        null,
                                                        null,
                                                        Instant.now()))))
                        .get();
            }
            JsonNode finished = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> get(apps.get(0), "/api/v1/commands/q-cmd-1?chargePointId=CP-Q-3"),
                            n -> "FINISHED".equals(n.path("state").asText()));
            assertThat(finished.path("result").path("status").asText()).isEqualTo("COMPLETED");
            assertThat(contract.checkedWithOk())
                    .as("every documented query answered 200 and fit the document")
                    .containsExactlyInAnyOrderElementsOf(contract.operations());

            // A third instance joins: while partitions move, answers are right or 503 — never a wrong route.
            apps.add(RouteApp.start(config(kafka, names, appId)));
            Map<Integer, Integer> statuses = new HashMap<>();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean settled = false;
            while (System.nanoTime() < until && !settled) {
                for (String cp : podOf.keySet()) {
                    HttpResponse<String> r = send(apps.get(0), "/api/v1/routes/" + cp);
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    assertThat(r.statusCode()).as(cp + ": " + r.body()).isIn(200, 503);
                    if (r.statusCode() == 200) {
                        assertThat(JsonSerde.MAPPER
                                        .readTree(r.body())
                                        .path("podId")
                                        .asText())
                                .isEqualTo(podOf.get(cp));
                    } else {
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    }
                }
                settled = apps.stream().allMatch(a -> a.state() == KafkaStreams.State.RUNNING)
                        && statuses.getOrDefault(200, 0) > 40;
            }
            assertThat(settled).as("statuses seen: %s", statuses).isTrue();
        } finally {
            apps.forEach(StreamsService::close);
        }
    }

    private static RouteConfig config(EmbeddedKafka kafka, TopicNames names, String appId) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OCPPGW_BOOTSTRAP_SERVER", kafka.bootstrapServers());
        env.put("OCPPGW_TOPIC_PREFIX", names.prefix());
        env.put("OCPPGW_APPLICATION_ID", appId);
        env.put("OCPPGW_HOST", "127.0.0.1");
        env.put("OCPPGW_ADMIN_PORT", String.valueOf(FreePorts.loopback()));
        env.put("OCPPGW_STATE_DIR", Files.createTempDirectory("route-q").toString());
        env.put("OCPPGW_PROCESSING_GUARANTEE", "at_least_once");
        return RouteConfig.fromEnv(env);
    }

    private JsonNode get(StreamsService app, String path) throws Exception {
        return JsonSerde.MAPPER.readTree(send(app, path).body());
    }

    private int status(StreamsService app, String path) throws Exception {
        return send(app, path).statusCode();
    }

    /** One GET; its answer must be documented and fit the document. */
    private HttpResponse<String> send(StreamsService app, String path) throws Exception {
        return contract.get(app.adminPort(), path);
    }
}
