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
import io.ocppgw.topics.records.Reason;
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
    private static final List<DeliveryReport.Status> TERMINAL = List.of(
            DeliveryReport.Status.RESPONSE,
            DeliveryReport.Status.TIMEOUT,
            DeliveryReport.Status.NOT_CONNECTED,
            DeliveryReport.Status.CONNECTION_LOST,
            DeliveryReport.Status.REJECTED);

    private static final Map<String, String> SESSIONS = new ConcurrentHashMap<>();
    private static EdgeFixture pod1;
    private static EdgeFixture pod2;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start(EmbeddedKafka kafka) {
        TopicNames names = EdgeFixture.provision(kafka.bootstrapServers());
        pod1 = EdgeFixture.startOn(kafka.bootstrapServers(), names, Map.of("OCPPGW_POD_ID", "edge-gateway-1"));
        pod2 = EdgeFixture.startOn(kafka.bootstrapServers(), names, Map.of("OCPPGW_POD_ID", "edge-gateway-2"));
        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer());
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
        assertThat(journal)
                .filteredOn(e -> "cmd-a-1".equals(e.messageId()))
                .extracting(JournalEntry::direction, JournalEntry::messageType, JournalEntry::action)
                .containsExactly(
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
        await().atMost(Duration.ofSeconds(20)).until(() -> rememberSessions() >= 100);
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 100; i++) {
                String commandId = "many-" + i + "-" + round;
                ids.add(commandId);
                String[] action = switch (round % 3) {
                    case 0 -> new String[] {"TriggerMessage", "{\"requestedMessage\": \"Heartbeat\"}"};
                    case 1 ->
                        new String[] {"ChangeConfiguration", "{\"key\": \"HeartbeatInterval\", \"value\": \"60\"}"};
                    default -> new String[] {"GetConfiguration", "{}"};
                };
                sendAsync(routed(commandId, "CP-MANY-" + i, 2, action[0], action[1]));
            }
        }
        producer.flush();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> terminalReports().keySet().containsAll(ids));

        Map<String, List<DeliveryReport>> terminal = terminalReports();
        for (String id : ids) {
            assertThat(terminal.get(id))
                    .as(id)
                    .singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(DeliveryReport.Status.RESPONSE));
        }
        List<JournalEntry> journal = pod2.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream()
                .map(ConsumerRecord::value)
                .toList();
        for (int i = 0; i < 100; i++) {
            String cp = "CP-MANY-" + i;
            String prefix = "many-" + i + "-";
            List<String> expected =
                    ids.stream().filter(id -> id.startsWith(prefix)).toList();
            assertThat(received.get(cp))
                    .as("the simulator saw each command once, in order")
                    .containsExactlyElementsOf(expected);
            List<JournalEntry> wire = journal.stream()
                    .filter(e -> e.chargePointId().equals(cp)
                            && e.messageId() != null
                            && e.messageId().startsWith("many-"))
                    .toList();
            for (int k = 0; k < wire.size(); k += 2) {
                assertThat(wire.get(k).direction())
                        .as("one outstanding CALL: CALL then its answer, alternating")
                        .isEqualTo(Direction.TO_CP);
                assertThat(wire.get(k + 1).direction()).isEqualTo(Direction.FROM_CP);
                assertThat(wire.get(k + 1).messageId()).isEqualTo(wire.get(k).messageId());
            }
        }
        clients.forEach(OcppClient::close);
    }

    @Test
    void shouldReportTimeoutConnectionLostAndRejectedWithoutTouchingTheWire() throws Exception {
        try (RawWebSocket silent = RawWebSocket.upgrade(
                        pod1.app.port(), "/ocpp/CP-SILENT", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"));
                RawWebSocket leaving = RawWebSocket.upgrade(
                        pod1.app.port(), "/ocpp/CP-LEAVING", Map.of("Sec-WebSocket-Protocol", "ocpp1.6"))) {
            awaitConnected("CP-SILENT");
            awaitConnected("CP-LEAVING");
            send(routed("cmd-timeout", "CP-SILENT", 1, "Reset", "{\"type\": \"Hard\"}", Duration.ofSeconds(1)));
            send(routed(
                    "cmd-unsupported",
                    "CP-SILENT",
                    1,
                    "RequestStartTransaction",
                    "{\"idToken\": {\"idToken\": \"T\", \"type\": \"ISO14443\"}, \"remoteStartId\": 1}"));
            send(routed("cmd-bad-schema", "CP-SILENT", 1, "Reset", "{\"type\": \"Gentle\"}"));
            send(routed("cmd-lost", "CP-LEAVING", 1, "Reset", "{\"type\": \"Soft\"}"));
            Command stale = new Command(
                    "cmd-expired",
                    "CP-SILENT",
                    Command.Kind.CALL,
                    "Reset",
                    JSON.readTree("{\"type\": \"Soft\"}"),
                    Instant.now().minusSeconds(120),
                    null,
                    Duration.ofSeconds(60),
                    Command.OfflinePolicy.QUEUE,
                    null,
                    null,
                    null);
            send(new RoutedCommand(
                    RoutedCommand.Type.COMMAND,
                    "CP-SILENT",
                    "edge-gateway-1",
                    1,
                    sessionOf("CP-SILENT"),
                    1,
                    Instant.now(),
                    stale,
                    null,
                    Instant.now().minusSeconds(60),
                    null,
                    null,
                    null));

            assertThat(silent.read().payload()).asString().contains("cmd-timeout");
            assertThat(leaving.read().payload()).asString().contains("cmd-lost");
            leaving.close();

            assertThat(awaitTerminal("cmd-timeout").status()).isEqualTo(DeliveryReport.Status.TIMEOUT);
            assertThat(awaitTerminal("cmd-lost").status()).isEqualTo(DeliveryReport.Status.CONNECTION_LOST);
            assertThat(awaitTerminal("cmd-unsupported")).satisfies(r -> {
                assertThat(r.status()).isEqualTo(DeliveryReport.Status.REJECTED);
                assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_ACTION);
            });
            assertThat(awaitTerminal("cmd-bad-schema").reason()).isEqualTo(Reason.SCHEMA);
            assertThat(awaitTerminal("cmd-expired").reason()).isEqualTo(Reason.TTL);
            assertThat(statuses("cmd-unsupported")).doesNotContain(DeliveryReport.Status.SENT);
            assertThat(silent.readWithin(Duration.ofMillis(700)))
                    .as("nothing else reached the wire")
                    .isEmpty();
        }
    }

    @Test
    void shouldAnswerABackendCallWithTheReplyAndDropAReplyForAnEndedSession() throws Exception {
        OcppClient cp = connect(pod1, "CP-REPLY", OcppVersion.OCPP_1_6, new ArrayList<>());
        var authorize = cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"TAG-9\"}"));
        JournalEntry call = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> journalOf("CP-REPLY").stream()
                                .filter(e -> "Authorize".equals(e.action()) && "CALL".equals(e.messageType()))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .get();

        send(reply("CP-REPLY", 1, call.sessionId(), call.messageId(), "{\"idTagInfo\": {\"status\": \"Blocked\"}}"));

        OcppFrame answer = authorize.get(10, TimeUnit.SECONDS);
        assertThat(((OcppFrame.CallResult) answer)
                        .payload()
                        .get("idTagInfo")
                        .get("status")
                        .asText())
                .isEqualTo("Blocked");

        var second = cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"TAG-10\"}"));
        JournalEntry secondCall = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> journalOf("CP-REPLY").stream()
                                .filter(e -> "Authorize".equals(e.action())
                                        && "CALL".equals(e.messageType())
                                        && !e.messageId().equals(call.messageId()))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .get();
        Command errorReply = new Command(
                "reply-err",
                "CP-REPLY",
                Command.Kind.REPLY,
                "Authorize",
                null,
                Instant.now(),
                null,
                null,
                null,
                null,
                new Command.ReplyTo(secondCall.sessionId(), secondCall.messageId()),
                new io.ocppgw.topics.records.ErrorInfo("InternalError", "backend down", null));
        send(new RoutedCommand(
                RoutedCommand.Type.COMMAND,
                "CP-REPLY",
                "edge-gateway-1",
                1,
                secondCall.sessionId(),
                1,
                Instant.now(),
                errorReply,
                null,
                null,
                null,
                null,
                null));
        assertThat(((OcppFrame.CallError) second.get(10, TimeUnit.SECONDS)).errorCode())
                .isEqualTo("InternalError");
        cp.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pod1.app.sessions().current("CP-REPLY").isEmpty());
        send(reply("CP-REPLY", 1, call.sessionId(), "late-1", "{\"idTagInfo\": {\"status\": \"Accepted\"}}"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metrics(pod1)
                        .contains("ocppgw_edge_replies_total{app=\"edge-gateway\",outcome=\"stale\"} 1.0"));
        assertThat(metrics(pod1)).contains("ocppgw_edge_replies_total{app=\"edge-gateway\",outcome=\"matched\"} 2.0");
        assertThat(awaitTerminal("reply-late-1"))
                .as("the backend learns its reply went nowhere")
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(DeliveryReport.Status.REJECTED);
                    assertThat(r.kind()).isEqualTo(Command.Kind.REPLY);
                    assertThat(r.reason()).isEqualTo(Reason.STALE_REPLY);
                });
    }

    @Test
    void shouldCloseTheOlderSessionNamedInASupersededRecord() throws Exception {
        OcppClient cp = connect(pod1, "CP-MOVED", OcppVersion.OCPP_2_0_1, new ArrayList<>());
        ConnectionEvent connected = awaitConnected("CP-MOVED");

        send(new RoutedCommand(
                RoutedCommand.Type.SUPERSEDED,
                "CP-MOVED",
                "edge-gateway-1",
                1,
                connected.sessionId(),
                0,
                Instant.now(),
                null,
                null,
                null,
                null,
                null,
                null));

        assertThat(cp.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1000);
    }

    @Test
    void shouldMakeACommandsJournalRecordAndSentReportDurableBeforeItGoesOnTheWire() throws Exception {
        List<Boolean> durableOnArrival = Collections.synchronizedList(new ArrayList<>());
        OcppClient cp = OcppClient.connect(
                        pod1.url(),
                        "CP-AHEAD",
                        OcppClient.Options.of(OcppVersion.OCPP_1_6).withHandler((action, request) -> {
                            // the CALL is on this charge point's socket: its write-ahead must already be readable from
                            // Kafka
                            boolean sent = statuses("cmd-ahead").contains(DeliveryReport.Status.SENT);
                            boolean journaled = journalOf("CP-AHEAD").stream()
                                    .anyMatch(
                                            e -> "cmd-ahead".equals(e.messageId()) && e.direction() == Direction.TO_CP);
                            durableOnArrival.add(sent && journaled);
                            return CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, action, request);
                        }))
                .get(10, TimeUnit.SECONDS);
        awaitConnected("CP-AHEAD");

        send(routed("cmd-ahead", "CP-AHEAD", 1, "Reset", "{\"type\": \"Soft\"}"));

        assertThat(awaitTerminal("cmd-ahead").status()).isEqualTo(DeliveryReport.Status.RESPONSE);
        assertThat(durableOnArrival).containsExactly(true);
        cp.close();
    }

    @Test
    void shouldDeliverACommandOnlyToTheSessionItWasRoutedTo() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        OcppClient first = connect(pod1, "CP-AGAIN", OcppVersion.OCPP_1_6, seen);
        String oldSession = sessionOf("CP-AGAIN");
        OcppClient second = OcppClient.connect(
                        pod1.url(),
                        "CP-AGAIN",
                        OcppClient.Options.of(OcppVersion.OCPP_1_6).withHandler((a, r) -> {
                            seen.add(a);
                            return CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, a, r);
                        }))
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pod1.app
                        .sessions()
                        .current("CP-AGAIN")
                        .map(x -> !x.sessionId().equals(oldSession))
                        .orElse(false));

        send(routed("cmd-old-session", "CP-AGAIN", 1, "Reset", "{\"type\": \"Soft\"}")); // routed to the first session

        assertThat(awaitTerminal("cmd-old-session")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(DeliveryReport.Status.NOT_CONNECTED);
            assertThat(r.reason()).isEqualTo(Reason.NO_SESSION);
        });
        assertThat(seen).as("route-streams routes it to the new session itself").isEmpty();
        first.close();
        second.close();
    }

    @Test
    void shouldNeverPutOneCommandTwiceOnASessionsWire() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        OcppClient cp = connect(pod1, "CP-TWICE", OcppVersion.OCPP_1_6, seen);
        RoutedCommand first = routed("cmd-twice", "CP-TWICE", 1, "GetConfiguration", "{}");
        send(first);
        send(new RoutedCommand(
                first.type(),
                first.chargePointId(),
                first.podId(),
                first.partition(),
                first.sessionId(),
                2,
                Instant.now(),
                first.command(),
                null,
                first.deadline(),
                null,
                null,
                null));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> statuses("cmd-twice").contains(DeliveryReport.Status.RESPONSE));
        Thread.sleep(500); // room for a second delivery, were there one
        assertThat(seen).containsExactly("GetConfiguration");
        assertThat(statuses("cmd-twice"))
                .filteredOn(st -> st == DeliveryReport.Status.RESPONSE)
                .hasSize(1);
        cp.close();
    }

    @Test
    void shouldRefuseAReplyThatBreaksTheResponseSchemaAndGiveTheChargePointTheFallback() throws Exception {
        OcppClient cp = connect(pod1, "CP-BADREPLY", OcppVersion.OCPP_1_6, new ArrayList<>());
        var authorize = cp.call("Authorize", (ObjectNode) JSON.readTree("{\"idTag\": \"TAG-X\"}"));
        JournalEntry call = awaitCall("CP-BADREPLY", "Authorize");

        send(reply("CP-BADREPLY", 1, call.sessionId(), call.messageId(), "{\"idTagInfo\": {\"status\": \"Maybe\"}}"));

        assertThat(cp.closed().get(10, TimeUnit.SECONDS).code())
                .as("Authorize's fallback: close, so the charge point retries")
                .isEqualTo(1011);
        assertThat(authorize.isDone() && !authorize.isCompletedExceptionally())
                .as("never answered")
                .isFalse();
        assertThat(awaitTerminal("reply-" + call.messageId())).satisfies(r -> {
            assertThat(r.status()).isEqualTo(DeliveryReport.Status.REJECTED);
            assertThat(r.reason()).isEqualTo(Reason.SCHEMA);
        });
    }

    @Test
    void shouldRefuseAReplyWithAnInventedErrorCode() throws Exception {
        OcppClient cp = connect(pod1, "CP-BADCODE", OcppVersion.OCPP_1_6, new ArrayList<>());
        var transfer = cp.call("DataTransfer", (ObjectNode) JSON.readTree("{\"vendorId\": \"acme\"}"));
        JournalEntry call = awaitCall("CP-BADCODE", "DataTransfer");
        Command invented = new Command(
                "reply-invented",
                "CP-BADCODE",
                Command.Kind.REPLY,
                "DataTransfer",
                null,
                Instant.now(),
                null,
                null,
                null,
                null,
                new Command.ReplyTo(call.sessionId(), call.messageId()),
                new io.ocppgw.topics.records.ErrorInfo("TotallyBroken", "no", null));

        send(new RoutedCommand(
                RoutedCommand.Type.COMMAND,
                "CP-BADCODE",
                "edge-gateway-1",
                1,
                call.sessionId(),
                1,
                Instant.now(),
                invented,
                null,
                null,
                null,
                null,
                null));

        OcppFrame answer = transfer.get(10, TimeUnit.SECONDS);
        assertThat(((OcppFrame.CallResult) answer).payload().get("status").asText())
                .as("DataTransfer's fallback answer")
                .isEqualTo("UnknownVendorId");
        assertThat(awaitTerminal("reply-invented").reason()).isEqualTo(Reason.INVALID_ERROR_CODE);
        cp.close();
    }

    @Test
    void shouldDeadLetterAnUnreadableRoutedCommandAndDeliverTheNextOne() throws Exception {
        OcppClient cp = connect(pod1, "CP-AFTERBAD", OcppVersion.OCPP_1_6, new ArrayList<>());
        producer.send(new ProducerRecord<>(
                        pod1.topics.name(Topic.COMMANDS_DOWN), 1, "CP-AFTERBAD", "{\"type\":\"COMM".getBytes()))
                .get();
        producer.send(new ProducerRecord<>(
                        pod1.topics.name(Topic.COMMANDS_DOWN),
                        1,
                        "CP-AFTERBAD",
                        "{\"type\":\"COMMAND\",\"chargePointId\":\"CP-AFTERBAD\",\"podId\":\"edge-gateway-1\"}"
                                .getBytes()))
                .get();

        send(routed("cmd-after-bad", "CP-AFTERBAD", 1, "Reset", "{\"type\": \"Soft\"}"));

        assertThat(awaitTerminal("cmd-after-bad").status()).isEqualTo(DeliveryReport.Status.RESPONSE);
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> io.ocppgw.embedded.TopicContents.readAll(
                                pod1.bootstrap,
                                pod1.topics.name(Topic.DEAD_LETTERS),
                                new org.apache.kafka.common.serialization.ByteArrayDeserializer()),
                        l -> l.size() >= 2);
        assertThat(dead)
                .hasSize(2)
                .allSatisfy(d -> assertThat(new String(d.headers()
                                .lastHeader(io.ocppgw.support.DeadLetters.TOPIC)
                                .value()))
                        .isEqualTo(pod1.topics.name(Topic.COMMANDS_DOWN)));
        assertThat(metrics(pod1)).contains("ocppgw_bad_records_total");
        cp.close();
    }

    private static JournalEntry awaitCall(String cp, String action) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> journalOf(cp).stream()
                                .filter(e -> action.equals(e.action()) && "CALL".equals(e.messageType()))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .get();
    }

    // --- helpers ---

    private static OcppClient connect(EdgeFixture pod, String id, OcppVersion version, List<String> seenActions)
            throws Exception {
        OcppClient client = OcppClient.connect(
                        pod.url(), id, OcppClient.Options.of(version).withHandler((action, request) -> {
                            seenActions.add(action);
                            return CsmsCallAnswers.answer(version, action, request);
                        }))
                .get(10, TimeUnit.SECONDS);
        awaitConnected(id);
        return client;
    }

    /** A charge point that records the message ids of the CALLs it gets (the handler does not see ids, the journal does). */
    private static OcppClient connectRecordingIds(EdgeFixture pod, String id, List<String> ids) throws Exception {
        OcppClient client = OcppClient.connect(
                        pod.url(),
                        id,
                        OcppClient.Options.of(OcppVersion.OCPP_1_6)
                                .withCallObserver(ids::add)
                                .withHandler((action, request) ->
                                        CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, action, request)))
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Reads the sessions of every charge point connected so far in one go; how many charge points have one. */
    private static int rememberSessions() {
        pod1.read(Topic.CP_CONNECTIONS, ConnectionEvent.class).stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.type() == ConnectionEvent.Type.CONNECTED)
                .forEach(e -> SESSIONS.put(e.chargePointId(), e.sessionId()));
        return (int) SESSIONS.keySet().stream()
                .filter(id -> id.startsWith("CP-MANY-"))
                .count();
    }

    /** The latest session of the charge point, on whichever pod (looked up once per charge point). */
    private static String sessionOf(String cp) {
        return SESSIONS.computeIfAbsent(cp, id -> awaitConnected(id).sessionId());
    }

    private static ConnectionEvent awaitConnected(String id) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> pod1.read(Topic.CP_CONNECTIONS, ConnectionEvent.class).stream()
                                .map(ConsumerRecord::value)
                                .filter(e -> e.chargePointId().equals(id) && e.type() == ConnectionEvent.Type.CONNECTED)
                                .reduce((x, y) -> y),
                        java.util.Optional::isPresent)
                .get();
    }

    private static RoutedCommand routed(String commandId, String cp, int ordinal, String action, String payload)
            throws Exception {
        return routed(commandId, cp, ordinal, action, payload, null);
    }

    private static RoutedCommand routed(
            String commandId, String cp, int ordinal, String action, String payload, Duration timeout)
            throws Exception {
        Command c = new Command(
                commandId,
                cp,
                Command.Kind.CALL,
                action,
                JSON.readTree(payload),
                Instant.now(),
                null,
                Duration.ofMinutes(5),
                Command.OfflinePolicy.FAIL_FAST,
                timeout,
                null,
                null);
        return new RoutedCommand(
                RoutedCommand.Type.COMMAND,
                cp,
                "edge-gateway-" + ordinal,
                ordinal,
                sessionOf(cp),
                1,
                Instant.now(),
                c,
                null,
                Instant.now().plusSeconds(300),
                null,
                null,
                null);
    }

    private static RoutedCommand reply(String cp, int ordinal, String sessionId, String messageId, String payload)
            throws Exception {
        Command c = new Command(
                "reply-" + messageId,
                cp,
                Command.Kind.REPLY,
                "Authorize",
                JSON.readTree(payload),
                Instant.now(),
                null,
                null,
                null,
                null,
                new Command.ReplyTo(sessionId, messageId),
                null);
        return new RoutedCommand(
                RoutedCommand.Type.COMMAND,
                cp,
                "edge-gateway-" + ordinal,
                ordinal,
                sessionId,
                1,
                Instant.now(),
                c,
                null,
                null,
                null,
                null,
                null);
    }

    private static void send(RoutedCommand r) throws Exception {
        sendAsync(r).get();
    }

    private static java.util.concurrent.Future<?> sendAsync(RoutedCommand r) {
        return producer.send(new ProducerRecord<>(
                pod1.topics.name(Topic.COMMANDS_DOWN),
                r.partition(),
                r.chargePointId(),
                JsonSerde.of(RoutedCommand.class).serialize(null, r)));
    }

    private static Map<String, List<DeliveryReport>> terminalReports() {
        return pod1.read(Topic.COMMAND_STATUS, DeliveryReport.class).stream()
                .map(ConsumerRecord::value)
                .filter(r -> TERMINAL.contains(r.status()))
                .collect(Collectors.groupingBy(DeliveryReport::commandId));
    }

    private static DeliveryReport awaitTerminal(String commandId) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> terminalReports().getOrDefault(commandId, List.of()), l -> !l.isEmpty())
                .get(0);
    }

    private static List<DeliveryReport.Status> statuses(String commandId) {
        return pod1.read(Topic.COMMAND_STATUS, DeliveryReport.class).stream()
                .map(ConsumerRecord::value)
                .filter(r -> r.commandId().equals(commandId))
                .map(DeliveryReport::status)
                .toList();
    }

    private static List<JournalEntry> journalOf(String cp) {
        return pod1.read(Topic.OCPP_JOURNAL, JournalEntry.class).stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.chargePointId().equals(cp))
                .toList();
    }

    private static String metrics(EdgeFixture pod) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(pod.adminUrl() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
