package io.ocppgw.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.simulator.RawWebSocket;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.RoutedCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands written to commands-down reach the right session, once, with exactly one terminal report. */
@WithKafkaBroker
class EdgeDownstreamIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<DeliveryReport.Status> TERMINAL = List.of(DeliveryReport.Status.RESPONSE, DeliveryReport.Status.TIMEOUT,
            DeliveryReport.Status.NOT_CONNECTED, DeliveryReport.Status.CONNECTION_LOST, DeliveryReport.Status.REJECTED);

    private static EdgeFixture pod1;
    private static EdgeFixture pod2;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start(EmbeddedKafka kafka) {
        TopicNames names = EdgeFixture.provision(kafka.bootstrapServers());
        pod1 = EdgeFixture.startOn(kafka.bootstrapServers(), names, Map.of("OCPPGW_POD_ID", "edge-gateway-1"));
        pod2 = EdgeFixture.startOn(kafka.bootstrapServers(), names, Map.of("OCPPGW_POD_ID", "edge-gateway-2"));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        pod1.close();
        pod2.close();
    }

    @Test
    void shouldDeliverOnlyToSessionsOfThePodWhosePartitionTheCommandIsOn() throws Exception {
        List<String> seenByA = Collections.synchronizedList(new ArrayList<>());
        List<String> seenByB = Collections.synchronizedList(new ArrayList<>());
        OcppClient a = connect(pod1, "CP-A", OcppVersion.OCPP_1_6, seenByA);
        OcppClient b = connect(pod2, "CP-B", OcppVersion.OCPP_1_6, seenByB);

        send(routed("cmd-a-1", "CP-A", 1, "Reset", "{\"type\": \"Soft\"}"));
        send(routed("cmd-b-on-1", "CP-B", 1, "Reset", "{\"type\": \"Soft\"}"));

        assertThat(awaitTerminal("cmd-a-1")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(DeliveryReport.Status.RESPONSE);
            assertThat(r.payload().get("status").asText()).isEqualTo("Accepted");
            assertThat(r.podId()).isEqualTo("edge-gateway-1");
        });
        assertThat(awaitTerminal("cmd-b-on-1").status()).isEqualTo(DeliveryReport.Status.NOT_CONNECTED);
        assertThat(statuses("cmd-a-1")).containsExactly(DeliveryReport.Status.SENT, DeliveryReport.Status.RESPONSE);
        assertThat(seenByA).containsExactly("Reset");
        assertThat(seenByB).isEmpty();
        List<JournalEntry> journal = journalOf("CP-A");
        assertThat(journal).filteredOn(e -> "cmd-a-1".equals(e.messageId())).extracting(JournalEntry::direction, JournalEntry::messageType,
                JournalEntry::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Direction.TO_CP, "CALL", "Reset"),
                org.assertj.core.groups.Tuple.tuple(Direction.FROM_CP, "CALLRESULT", "Reset"));
        a.close();
        b.close();
    }

    @Test
    void shouldSendAThousandCommandsToAHundredChargePointsOneAtATimeWithOneReportEach() throws Exception {
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        List<OcppClient> clients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = "CP-MANY-" + i;
            received.put(id, Collections.synchronizedList(new ArrayList<>()));
            clients.add(connectRecordingIds(pod2, id, received.get(id)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> pod2.app.sessions().size() >= 100);
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 100; i++) {
                String commandId = "many-" + i + "-" + round;
                ids.add(commandId);
                String[] action = switch (round % 3) {
                    case 0 -> new String[] {"TriggerMessage", "{\"requestedMessage\": \"Heartbeat\"}"};
                    case 1 -> new String[] {"ChangeConfiguration", "{\"key\": \"HeartbeatInterval\", \"value\": \"60\"}"};
                    default -> new String[] {"GetConfiguration", "{}"};
                };
                sendAsync(routed(commandId, "CP-MANY-" + i, 2, action[0], action[1]));
            }
        }
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> terminalReports().keySet().containsAll(ids));

        Map<String, List<DeliveryReport>> terminal = terminalReports();
        for (String id : ids) {
            assertThat(terminal.get(id)).as(id).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(DeliveryReport.Status.RESPONSE));
        }
        List<JournalEntry> journal = pod2.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream().map(ConsumerRecord::value).toList();
        for (int i = 0; i < 100; i++) {
            String cp = "CP-MANY-" + i;
            String prefix = "many-" + i + "-";
            List<String> expected = ids.stream().filter(id -> id.startsWith(prefix)).toList();
            assertThat(received.get(cp)).as("the simulator saw each command once, in order").containsExactlyElementsOf(expected);
            List<JournalEntry> wire = journal.stream().filter(e -> e.chargePointId().equals(cp) && e.messageId() != null
                    && e.messageId().startsWith("many-")).toList();
            for (int k = 0; k < wire.size(); k += 2) {
                assertThat(wire.get(k).direction()).as("one outstanding CALL: CALL then its answer, alternating").isEqualTo(Direction.TO_CP);
                assertThat(wire.get(k + 1).direction()).isEqualTo(Direction.FROM_CP);
                assertThat(wire.get(k + 1).messageId()).isEqualTo(wire.get(k).messageId());
            }
        }
        clients.forEach(OcppClient::close);
    }

    @Test
    void shouldReportTimeoutConnectionLostAndRejectedWithoutTouchingTheWire() throws Exception {
        try (RawWebSocket silent = RawWebSocket.upgrade(pod1.app.port(), "/ocpp/CP-SILENT", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"));
             RawWebSocket leaving = RawWebSocket.upgrade(pod1.app.port(), "/ocpp/CP-LEAVING", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"))) {
            awaitConnected("CP-SILENT");
            awaitConnected("CP-LEAVING");
            send(routed("cmd-timeout", "CP-SILENT", 1, "Reset", "{\"type\": \"Hard\"}", Duration.ofSeconds(1)));
            send(routed("cmd-unsupported", "CP-SILENT", 1, "RequestStartTransaction",
                    "{\"idToken\": {\"idToken\": \"T\", \"type\": \"ISO14443\"}, \"remoteStartId\": 1}"));
            send(routed("cmd-bad-schema", "CP-SILENT", 1, "Reset", "{\"type\": \"Gentle\"}"));
            send(routed("cmd-lost", "CP-LEAVING", 1, "Reset", "{\"type\": \"Soft\"}"));
            Command stale = new Command("cmd-expired", "CP-SILENT", Command.Kind.CALL, "Reset", JSON.readTree("{\"type\": \"Soft\"}"),
                    Instant.now().minusSeconds(120), Instant.now().minusSeconds(60), null, Command.OfflinePolicy.QUEUE, null, null, null);
            send(new RoutedCommand(RoutedCommand.Type.COMMAND, "CP-SILENT", "edge-gateway-1", 1, null, 1, Instant.now(), stale));

            assertThat(silent.read().payload()).asString().contains("cmd-timeout");
            assertThat(leaving.read().payload()).asString().contains("cmd-lost");
            leaving.close();

            assertThat(awaitTerminal("cmd-timeout").status()).isEqualTo(DeliveryReport.Status.TIMEOUT);
            assertThat(awaitTerminal("cmd-lost").status()).isEqualTo(DeliveryReport.Status.CONNECTION_LOST);
            assertThat(awaitTerminal("cmd-unsupported")).satisfies(r -> {
                assertThat(r.status()).isEqualTo(DeliveryReport.Status.REJECTED);
                assertThat(r.reason()).startsWith("UNSUPPORTED_ACTION");
            });
            assertThat(awaitTerminal("cmd-bad-schema").reason()).startsWith("SCHEMA");
            assertThat(awaitTerminal("cmd-expired").reason()).isEqualTo("EXPIRED");
            assertThat(statuses("cmd-unsupported")).doesNotContain(DeliveryReport.Status.SENT);
            assertThat(silent.readWithin(Duration.ofMillis(700))).as("nothing else reached the wire").isEmpty();
        }
    }

    @Test
    void shouldAnswerABackendCallWithTheReplyAndDropAReplyForAnEndedSession() throws Exception {
        OcppClient cp = connect(pod1, "CP-REPLY", OcppVersion.OCPP_1_6, new ArrayList<>());
        var authorize = cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"TAG-9\"}"));
        JournalEntry call = await().atMost(Duration.ofSeconds(10)).until(() -> journalOf("CP-REPLY").stream()
                .filter(e -> "Authorize".equals(e.action()) && "CALL".equals(e.messageType())).findFirst(), java.util.Optional::isPresent).get();

        send(reply("CP-REPLY", 1, call.sessionId(), call.messageId(), "{\"idTagInfo\": {\"status\": \"Blocked\"}}"));

        OcppFrame answer = authorize.get(10, TimeUnit.SECONDS);
        assertThat(((OcppFrame.CallResult) answer).payload().get("idTagInfo").get("status").asText()).isEqualTo("Blocked");

        var second = cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"TAG-10\"}"));
        JournalEntry secondCall = await().atMost(Duration.ofSeconds(10)).until(() -> journalOf("CP-REPLY").stream()
                .filter(e -> "Authorize".equals(e.action()) && "CALL".equals(e.messageType()) && !e.messageId().equals(call.messageId()))
                .findFirst(), java.util.Optional::isPresent).get();
        Command errorReply = new Command("reply-err", "CP-REPLY", Command.Kind.REPLY, "Authorize", null, Instant.now(), null, null, null,
                null, new Command.ReplyTo(secondCall.sessionId(), secondCall.messageId()),
                new io.ocppgw.topics.records.ErrorInfo("InternalError", "backend down", null));
        send(new RoutedCommand(RoutedCommand.Type.COMMAND, "CP-REPLY", "edge-gateway-1", 1, secondCall.sessionId(), 1, Instant.now(), errorReply));
        assertThat(((OcppFrame.CallError) second.get(10, TimeUnit.SECONDS)).errorCode()).isEqualTo("InternalError");
        cp.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> pod1.app.sessions().current("CP-REPLY").isEmpty());
        send(reply("CP-REPLY", 1, call.sessionId(), "late-1", "{\"idTagInfo\": {\"status\": \"Accepted\"}}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics(pod1).contains("ocppgw_edge_replies_total{app=\"edge-gateway\",outcome=\"stale\"} 1.0"));
        assertThat(metrics(pod1)).contains("ocppgw_edge_replies_total{app=\"edge-gateway\",outcome=\"matched\"} 2.0");
    }

    @Test
    void shouldCloseTheOlderSessionNamedInASupersededRecord() throws Exception {
        OcppClient cp = connect(pod1, "CP-MOVED", OcppVersion.OCPP_2_0_1, new ArrayList<>());
        ConnectionEvent connected = awaitConnected("CP-MOVED");

        send(new RoutedCommand(RoutedCommand.Type.SUPERSEDED, "CP-MOVED", "edge-gateway-1", 1, connected.sessionId(), 0, Instant.now(), null));

        assertThat(cp.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    }

    // --- helpers ---

    private static OcppClient connect(EdgeFixture pod, String id, OcppVersion version, List<String> seenActions) throws Exception {
        OcppClient client = OcppClient.connect(pod.url(), id, OcppClient.Options.of(version).withHandler((action, request) -> {
            seenActions.add(action);
            return CsmsCallAnswers.answer(version, action, request);
        })).get(10, TimeUnit.SECONDS);
        awaitConnected(id);
        return client;
    }

    /** A charge point that records the message ids of the CALLs it gets (the handler does not see ids, the journal does). */
    private static OcppClient connectRecordingIds(EdgeFixture pod, String id, List<String> ids) throws Exception {
        OcppClient client = OcppClient.connect(pod.url(), id, OcppClient.Options.of(OcppVersion.OCPP_1_6)
                .withCallObserver(ids::add)
                .withHandler((action, request) -> CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, action, request)))
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    private static ConnectionEvent awaitConnected(String id) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> pod1.read(Topic.CP_CONNECTIONS, ConnectionEvent.class).stream()
                .map(ConsumerRecord::value).filter(e -> e.chargePointId().equals(id) && e.type() == ConnectionEvent.Type.CONNECTED)
                .reduce((x, y) -> y), java.util.Optional::isPresent).get();
    }

    private static RoutedCommand routed(String commandId, String cp, int ordinal, String action, String payload) throws Exception {
        return routed(commandId, cp, ordinal, action, payload, null);
    }

    private static RoutedCommand routed(String commandId, String cp, int ordinal, String action, String payload, Duration timeout)
            throws Exception {
        Command c = new Command(commandId, cp, Command.Kind.CALL, action, JSON.readTree(payload), Instant.now(), null,
                Duration.ofMinutes(5), Command.OfflinePolicy.FAIL_FAST, timeout, null, null);
        return new RoutedCommand(RoutedCommand.Type.COMMAND, cp, "edge-gateway-" + ordinal, ordinal, null, 1, Instant.now(), c);
    }

    private static RoutedCommand reply(String cp, int ordinal, String sessionId, String messageId, String payload) throws Exception {
        Command c = new Command("reply-" + messageId, cp, Command.Kind.REPLY, "Authorize", JSON.readTree(payload), Instant.now(), null,
                null, null, null, new Command.ReplyTo(sessionId, messageId), null);
        return new RoutedCommand(RoutedCommand.Type.COMMAND, cp, "edge-gateway-" + ordinal, ordinal, sessionId, 1, Instant.now(), c);
    }

    private static void send(RoutedCommand r) throws Exception {
        sendAsync(r).get();
    }

    private static java.util.concurrent.Future<?> sendAsync(RoutedCommand r) {
        return producer.send(new ProducerRecord<>(pod1.topics.name(Topic.COMMANDS_DOWN), r.partition(), r.chargePointId(),
                JsonSerde.of(RoutedCommand.class).serialize(null, r)));
    }

    private static Map<String, List<DeliveryReport>> terminalReports() {
        return pod1.read(Topic.COMMAND_STATUS, DeliveryReport.class).stream().map(ConsumerRecord::value)
                .filter(r -> TERMINAL.contains(r.status())).collect(Collectors.groupingBy(DeliveryReport::commandId));
    }

    private static DeliveryReport awaitTerminal(String commandId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> terminalReports().getOrDefault(commandId, List.of()),
                l -> !l.isEmpty()).get(0);
    }

    private static List<DeliveryReport.Status> statuses(String commandId) {
        return pod1.read(Topic.COMMAND_STATUS, DeliveryReport.class).stream().map(ConsumerRecord::value)
                .filter(r -> r.commandId().equals(commandId)).map(DeliveryReport::status).toList();
    }

    private static List<JournalEntry> journalOf(String cp) {
        return pod1.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream().map(ConsumerRecord::value)
                .filter(e -> e.chargePointId().equals(cp)).toList();
    }

    private static String metrics(EdgeFixture pod) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pod.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

}
