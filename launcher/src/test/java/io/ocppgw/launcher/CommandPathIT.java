package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The command path across real processes: a backend's command on {@code commands} goes through
 * {@code ocppgw route} and {@code ocppgw edge} to a charge point's socket, and its one result comes
 * back on {@code command-results}; a backend's REPLY answers the charge point's Authorize; and the
 * charge point's transaction, journaled by the edge, is kept by {@code ocppgw reconcile} and queryable.
 * It runs the production jar ({@code ocppgw-runtime.jar}), so the image's jar is proven to carry what the roles need.
 */
@WithKafkaBroker
class CommandPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "path.";

    @Test
    void shouldCarryACommandFromTheBackendToTheChargePointAndItsResultBack(EmbeddedKafka kafka) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // the production jar, as the image runs it: every role and tool here must work without the dev-only parts
        String jar = Path.of("target", "ocppgw-runtime.jar").toString();
        Process topics = new ProcessBuilder(
                        java.toString(),
                        "-jar",
                        jar,
                        "topics",
                        "apply",
                        "--profile",
                        "dev",
                        "--topic-prefix",
                        PREFIX,
                        "--bootstrap-server",
                        kafka.bootstrapServers())
                .inheritIO()
                .start();
        assertThat(topics.waitFor(120, TimeUnit.SECONDS) && topics.exitValue() == 0)
                .isTrue();
        int wsPort = FreePorts.loopback();
        int edgeAdmin = FreePorts.loopback();
        int routeAdmin = FreePorts.loopback();
        int reconcileAdmin = FreePorts.loopback();
        List<Process> processes = new ArrayList<>();
        try {
            processes.add(start(
                    java,
                    jar,
                    kafka,
                    List.of(
                            "route",
                            "--admin-port",
                            String.valueOf(routeAdmin),
                            "--host",
                            "127.0.0.1",
                            "--state-dir",
                            Files.createTempDirectory("route").toString()),
                    "route"));
            processes.add(start(
                    java,
                    jar,
                    kafka,
                    List.of(
                            "reconcile",
                            "--admin-port",
                            String.valueOf(reconcileAdmin),
                            "--host",
                            "127.0.0.1",
                            "--state-dir",
                            Files.createTempDirectory("reconcile").toString()),
                    "reconcile"));
            processes.add(start(
                    java,
                    jar,
                    kafka,
                    List.of(
                            "edge",
                            "--port",
                            String.valueOf(wsPort),
                            "--admin-port",
                            String.valueOf(edgeAdmin),
                            "--host",
                            "127.0.0.1",
                            "--pod-id",
                            "edge-gateway-6",
                            "--responders",
                            "StartTransaction=sequence"),
                    "edge"));
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> ready(edgeAdmin) && ready(routeAdmin) && ready(reconcileAdmin));

            List<String> received = Collections.synchronizedList(new ArrayList<>());
            OcppClient cp = OcppClient.connect(
                            "ws://127.0.0.1:" + wsPort + "/ocpp",
                            "CP-PATH",
                            OcppClient.Options.of(OcppVersion.OCPP_1_6).withHandler((action, request) -> {
                                received.add(action);
                                return CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, action, request);
                            }))
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(routeAdmin, "/api/v1/routes/CP-PATH").contains("edge-gateway-6"));

            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                Command reset = new Command(
                        "path-reset-1",
                        "CP-PATH",
                        Command.Kind.CALL,
                        "Reset",
                        JSON.readTree("{\"type\": \"Soft\"}"),
                        Instant.now(),
                        null,
                        Duration.ofMinutes(1),
                        Command.OfflinePolicy.FAIL_FAST,
                        null,
                        null,
                        null);
                producer.send(new ProducerRecord<>(
                                PREFIX + "commands",
                                "CP-PATH",
                                JsonSerde.of(Command.class).serialize(null, reset)))
                        .get();

                CommandResult result = await().atMost(Duration.ofSeconds(60))
                        .until(() -> read(kafka, PREFIX + "command-results", CommandResult.class), l -> !l.isEmpty())
                        .get(0);
                assertThat(result.commandId()).isEqualTo("path-reset-1");
                assertThat(result.status()).isEqualTo(CommandResult.Status.COMPLETED);
                assertThat(result.payload().get("status").asText()).isEqualTo("Accepted");
                assertThat(result.podId()).isEqualTo("edge-gateway-6");
                assertThat(received).containsExactly("Reset");

                // The backend answers the charge point's Authorize (backend responder) with a REPLY command.
                var authorize = cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"TAG-PATH\"}"));
                JournalEntry call = await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> read(kafka, PREFIX + "ocpp-journal", JournalEntry.class).stream()
                                        .filter(e -> "Authorize".equals(e.action()) && "CALL".equals(e.messageType()))
                                        .findFirst(),
                                Optional::isPresent)
                        .get();
                Command reply = new Command(
                        "reply-" + call.messageId(),
                        "CP-PATH",
                        Command.Kind.REPLY,
                        "Authorize",
                        JSON.readTree("{\"idTagInfo\": {\"status\": \"Accepted\"}}"),
                        Instant.now(),
                        null,
                        null,
                        null,
                        null,
                        new Command.ReplyTo(call.sessionId(), call.messageId()),
                        null);
                producer.send(new ProducerRecord<>(
                                PREFIX + "commands",
                                "CP-PATH",
                                JsonSerde.of(Command.class).serialize(null, reply)))
                        .get();
                OcppFrame answer = authorize.get(10, TimeUnit.SECONDS);
                assertThat(((OcppFrame.CallResult) answer)
                                .payload()
                                .get("idTagInfo")
                                .get("status")
                                .asText())
                        .isEqualTo("Accepted");
            }

            // A transaction: its id from the edge's sequence responder, then readings and a stop.
            String started = Instant.now().minusSeconds(120).toString();
            OcppFrame start = cp.call("StartTransaction", (ObjectNode)
                            JSON.readTree("{\"connectorId\": 1, \"idTag\": \"TAG-PATH\", "
                                    + "\"meterStart\": 5000, \"timestamp\": \"" + started + "\"}"))
                    .get(10, TimeUnit.SECONDS);
            String transactionId = ((OcppFrame.CallResult) start)
                    .payload()
                    .get("transactionId")
                    .asText();
            cp.call("MeterValues", (ObjectNode) JSON.readTree("{\"connectorId\": 1, \"transactionId\": " + transactionId
                            + ", \"meterValue\": [{\"timestamp\": \""
                            + Instant.now().minusSeconds(60) + "\", \"sampledValue\": [{\"value\": \"5600\"}]}]}"))
                    .get(10, TimeUnit.SECONDS);
            cp.call("StopTransaction", (ObjectNode) JSON.readTree("{\"transactionId\": " + transactionId
                            + ", \"meterStop\": 6200, " + "\"timestamp\": \"" + Instant.now() + "\"}"))
                    .get(10, TimeUnit.SECONDS);
            JsonNode book = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> JSON.readTree(get(reconcileAdmin, "/api/v1/transactions/CP-PATH")),
                            n -> n.path("transactions")
                                    .path(0)
                                    .path("status")
                                    .asText()
                                    .equals("STOPPED"));
            JsonNode tx = book.path("transactions").get(0);
            assertThat(tx.path("transactionId").asText()).isEqualTo(transactionId);
            assertThat(tx.path("energyWh").asDouble()).isEqualTo(1200.0);
            assertThat(tx.path("meterSamples").asInt()).isEqualTo(1);
            assertThat(tx.path("pods").get(0).asText()).isEqualTo("edge-gateway-6");
            cp.close();
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor(30, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
        }
    }

    private static Process start(Path java, String jar, EmbeddedKafka kafka, List<String> args, String name)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-jar", jar));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("ocppgw-" + name, ".log").toFile());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        pb.environment().put("OCPPGW_TOPIC_PREFIX", PREFIX);
        return pb.start();
    }

    private static <T> List<T> read(EmbeddedKafka kafka, String topic, Class<T> type) {
        return io.ocppgw.embedded.TopicContents.values(kafka.bootstrapServers(), topic, JsonSerde.of(type));
    }

    private static boolean ready(int port) {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String get(int port, String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            return "";
        }
    }
}
