package io.ocppgw.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JsonSerde;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ocppgw send}: writes one command for a charge point to {@code commands}, as a backend does;
 * with {@code --wait}, waits for its {@code CommandResult} and prints it (exit 0 only for COMPLETED).
 */
@picocli.CommandLine.Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description =
                "Send a command (an OCPP CALL) to a charge point through the gateway; with --wait, print its result.")
final class SendCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--cp", required = true, paramLabel = "ID", description = "The charge point's identity.")
    String chargePointId;

    @Option(
            names = "--action",
            required = true,
            paramLabel = "NAME",
            description = "The OCPP action, e.g. Reset, RemoteStopTransaction, RequestStopTransaction.")
    String action;

    @Option(
            names = "--payload",
            defaultValue = "{}",
            paramLabel = "JSON",
            description = "The CALL's payload (a JSON object). Default: ${DEFAULT-VALUE}.")
    String payload;

    @Option(
            names = "--ttl",
            defaultValue = "PT60S",
            description = "How long the command may wait to be delivered. Default: ${DEFAULT-VALUE}.")
    Duration ttl;

    @Option(
            names = "--offline",
            defaultValue = "queue",
            description =
                    "While the charge point is offline: queue (wait up to the TTL) or fail-fast. Default: ${DEFAULT-VALUE}.")
    String offline;

    @Option(
            names = "--response-timeout",
            description = "How long the edge waits for the charge point's answer (ISO-8601). Default: the edge's.")
    Duration responseTimeout;

    @Option(names = "--command-id", description = "The command's idempotency key (≤ 36 chars). Default: a random UUID.")
    String commandId;

    @Option(
            names = "--wait",
            description = "Wait for the CommandResult and print it as JSON; exit 0 only if it is COMPLETED.")
    boolean await;

    @Option(names = "--wait-timeout", description = "How long --wait waits. Default: the TTL plus 60 s.")
    Duration waitTimeout;

    @Option(
            names = "--route-url",
            defaultValue = "http://127.0.0.1:9081",
            description =
                    "route-streams' query API: with --wait, a"
                            + " command without a result after a second is looked up there, to say where it waits. Default: ${DEFAULT-VALUE}.")
    String routeUrl;

    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every topic name.")
    String topicPrefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JsonNode body = parsePayload();
        Command.OfflinePolicy policy = switch (offline) {
            case "queue" -> Command.OfflinePolicy.QUEUE;
            case "fail-fast" -> Command.OfflinePolicy.FAIL_FAST;
            default ->
                throw new ParameterException(
                        spec.commandLine(), "--offline " + offline + ": must be queue or fail-fast");
        };
        TopicNames topics = new TopicNames(topicPrefix);
        String id = commandId != null ? commandId : UUID.randomUUID().toString();
        Command command = new Command(
                id,
                chargePointId,
                Command.Kind.CALL,
                action,
                body,
                Instant.now(),
                null,
                ttl,
                policy,
                responseTimeout,
                null,
                null);
        Map<String, Object> settings = kafka.clientSettings(EnvDefaults.environment(spec));
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaConsumer<String, CommandResult> results = await ? resultsFromNow(settings, topics) : null) {
            Map<String, Object> producerSettings = new HashMap<>(settings);
            producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, Command> producer =
                    new KafkaProducer<>(producerSettings, new StringSerializer(), JsonSerde.of(Command.class))) {
                producer.send(new ProducerRecord<>(topics.name(Topic.COMMANDS), chargePointId, command))
                        .get();
            }
            if (!await) {
                out.println(id);
                out.flush();
                return 0;
            }
            Duration timeout = waitTimeout != null ? waitTimeout : ttl.plusSeconds(60);
            Optional<CommandResult> result = waitFor(results, id, Duration.ofSeconds(1));
            if (result.isEmpty()) {
                whereItWaits(id).ifPresent(spec.commandLine().getErr()::println);
                spec.commandLine().getErr().flush();
                result = waitFor(results, id, timeout.minusSeconds(1));
            }
            if (result.isEmpty()) {
                spec.commandLine().getErr().println("ocppgw send: no result for " + id + " within the wait timeout");
                return Ocppgw.EXIT_RUNTIME;
            }
            out.println(JsonSerde.MAPPER
                    .copy()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(result.get()));
            out.flush();
            return result.get().status() == CommandResult.Status.COMPLETED ? 0 : Ocppgw.EXIT_RUNTIME;
        }
    }

    private JsonNode parsePayload() {
        try {
            JsonNode node = JsonSerde.MAPPER.readTree(payload);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // reported below with the rule
        }
        throw new ParameterException(
                spec.commandLine(), "--payload '" + payload + "': must be a JSON object, e.g. '{\"type\":\"Soft\"}'");
    }

    /** A reader of every command-results partition positioned at its end before the command is written, so no result is missed. */
    private static KafkaConsumer<String, CommandResult> resultsFromNow(
            Map<String, Object> settings, TopicNames topics) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, CommandResult> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), JsonSerde.of(CommandResult.class));
        String topic = topics.name(Topic.COMMAND_RESULTS);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, not at the first poll
        return consumer;
    }

    /** What route-streams says of a command still without a result, in a line; empty if it cannot be asked. */
    private Optional<String> whereItWaits(String id) {
        JsonNode answer;
        try {
            HttpResponse<String> r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(routeUrl + "/api/v1/commands/"
                                            + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?chargePointId="
                                            + URLEncoder.encode(chargePointId, StandardCharsets.UTF_8)))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            answer = JsonSerde.MAPPER.readTree(r.body());
        } catch (Exception e) {
            return Optional.empty(); // no route-streams there: nothing more to say than the result, when it comes
        }
        String state = answer.path("state").asText();
        String deadline = answer.path("entry").path("deadline").asText("its TTL");
        return Optional.of(
                switch (state) {
                    case "PARKED" ->
                        "ocppgw send: " + chargePointId
                                + " is not connected (no live route); the command is queued until " + deadline
                                + " and then EXPIRED, unless it connects first (--offline fail-fast ends it at once). Waiting.";
                    case "ROUTED" ->
                        "ocppgw send: routed to pod "
                                + answer.path("entry").path("podId").asText() + "; waiting for it to be sent.";
                    case "SENT" -> "ocppgw send: sent to " + chargePointId + "; waiting for its answer.";
                    default -> "ocppgw send: the command is " + state + "; waiting.";
                });
    }

    private static Optional<CommandResult> waitFor(
            KafkaConsumer<String, CommandResult> results, String commandId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, CommandResult> r : results.poll(Duration.ofMillis(500))) {
                if (r.value() != null && commandId.equals(r.value().commandId())) {
                    return Optional.of(r.value());
                }
            }
        }
        return Optional.empty();
    }
}
