package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.bench.GatewayProcesses;
import io.ocppgw.bench.GatewayProcesses.Node;
import io.ocppgw.embedded.EmbeddedKafka;
import io.ocppgw.embedded.TopicContents;
import io.ocppgw.embedded.WithKafkaBroker;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.ocppgw.simulator.Fleet;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.simulator.SimulatedChargePoint;
import io.ocppgw.simulator.TcpBalancer;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The system's promises across real processes ({@link GatewayProcesses}): two edge pods, route-streams
 * and reconciliation-streams as separate {@code ocppgw} JVMs against one broker, real charge points on
 * real WebSockets, and real faults (SIGKILL). The tests share the processes and run in order; the
 * edge-pod kill comes last.
 */
@WithKafkaBroker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final String PREFIX = "e2e.";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EmbeddedKafka kafka;
    private GatewayProcesses gateway;
    private Node edge0;
    private Node edge1;
    private Node route;
    private Node reconcile;
    private TcpBalancer balancer;
    private KafkaProducer<String, Command> commands;

    @BeforeAll
    void startTheGateway(EmbeddedKafka kafka) throws Exception {
        this.kafka = kafka;
        gateway = new GatewayProcesses(GatewayProcesses.launcherJar(), kafka.bootstrapServers(), PREFIX);
        gateway.provisionTopics();
        route = gateway.route("route-a").start();
        reconcile = gateway.reconcile("reconcile-a").start();
        edge0 = gateway.edge("edge-gateway-0", Map.of()).start();
        edge1 = gateway.edge("edge-gateway-1", Map.of()).start();
        await().atMost(Duration.ofSeconds(180))
                .until(() -> edge0.isReady() && edge1.isReady() && route.isReady() && reconcile.isReady());
        balancer = new TcpBalancer(List.of(edge0.wsPort, edge1.wsPort));
        commands = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all", "enable.idempotence", false),
                new StringSerializer(),
                JsonSerde.of(Command.class));
    }

    @AfterAll
    void stopTheGateway() {
        if (commands != null) {
            commands.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void shouldCarryATransactionAndARemoteStopInBothVersions() throws Exception {
        // 1.6 on edge-gateway-0
        OcppClient v16 = connect(edge0, "E2E-16", OcppVersion.OCPP_1_6);
        call(
                v16,
                "BootNotification",
                JSON.objectNode().put("chargePointVendor", "V").put("chargePointModel", "M"));
        assertThat(call(v16, "Authorize", JSON.objectNode().put("idTag", "TAG-16"))
                        .path("idTagInfo")
                        .path("status")
                        .asText())
                .isEqualTo("Accepted");
        String tx16 = call(
                        v16,
                        "StartTransaction",
                        JSON.objectNode()
                                .put("connectorId", 1)
                                .put("idTag", "TAG-16")
                                .put("meterStart", 1000)
                                .put("timestamp", Instant.now().toString()))
                .path("transactionId")
                .asText();
        call(v16, "MeterValues", meterValues16(tx16, 1400));
        awaitRoute("E2E-16", "edge-gateway-0");
        CommandResult stop16 =
                send("E2E-16", "RemoteStopTransaction", JSON.objectNode().put("transactionId", Integer.parseInt(tx16)));
        assertThat(stop16.status()).isEqualTo(CommandResult.Status.COMPLETED);
        call(
                v16,
                "StopTransaction",
                JSON.objectNode()
                        .put("transactionId", Integer.parseInt(tx16))
                        .put("meterStop", 1500)
                        .put("timestamp", Instant.now().toString()));

        // 2.0.1 on edge-gateway-1
        OcppClient v201 = connect(edge1, "E2E-201", OcppVersion.OCPP_2_0_1);
        call(v201, "BootNotification", boot201());
        call(
                v201,
                "Authorize",
                JSON.objectNode()
                        .set(
                                "idToken",
                                JSON.objectNode().put("idToken", "TAG-201").put("type", "ISO14443")));
        call(v201, "TransactionEvent", transactionEvent("Started", "e2e-tx-201", 0, 0));
        call(v201, "TransactionEvent", transactionEvent("Updated", "e2e-tx-201", 1, 700));
        awaitRoute("E2E-201", "edge-gateway-1");
        CommandResult stop201 =
                send("E2E-201", "RequestStopTransaction", JSON.objectNode().put("transactionId", "e2e-tx-201"));
        assertThat(stop201.status()).isEqualTo(CommandResult.Status.COMPLETED);
        call(v201, "TransactionEvent", transactionEvent("Ended", "e2e-tx-201", 2, 900));

        JsonNode closed16 = awaitTransaction("E2E-16", tx16, "STOPPED");
        assertThat(closed16.path("energyWh").asDouble()).isEqualTo(500.0);
        assertThat(closed16.path("meterSamples").asInt()).isEqualTo(1);
        JsonNode closed201 = awaitTransaction("E2E-201", "e2e-tx-201", "STOPPED");
        assertThat(closed201.path("energyWh").asDouble()).isEqualTo(900.0);
        Map<String, TransactionState> published = latestTransactions();
        assertThat(published.get(TransactionKey.of("E2E-16", tx16)).status())
                .isEqualTo(TransactionState.Status.STOPPED);
        assertThat(published.get(TransactionKey.of("E2E-201", "e2e-tx-201")).status())
                .isEqualTo(TransactionState.Status.STOPPED);
        v16.close();
        v201.close();
    }

    @Test
    @Order(2)
    void shouldRaiseOneOpenTransactionAtBootThenResolveItWhenTheQueuedStopArrivesOnTheOtherPod() throws Exception {
        OcppClient before = connect(edge0, "E2E-REBOOT", OcppVersion.OCPP_1_6);
        call(
                before,
                "BootNotification",
                JSON.objectNode().put("chargePointVendor", "V").put("chargePointModel", "M"));
        String started = Instant.now().minusSeconds(30).toString();
        String tx = call(
                        before,
                        "StartTransaction",
                        JSON.objectNode()
                                .put("connectorId", 1)
                                .put("idTag", "T")
                                .put("meterStart", 100)
                                .put("timestamp", started))
                .path("transactionId")
                .asText();
        call(before, "MeterValues", meterValues16(tx, 150));
        before.abort(); // power loss

        OcppClient after = connect(edge1, "E2E-REBOOT", OcppVersion.OCPP_1_6);
        call(
                after,
                "BootNotification",
                JSON.objectNode().put("chargePointVendor", "V").put("chargePointModel", "M"));
        call(
                after,
                "StopTransaction",
                JSON.objectNode()
                        .put("transactionId", Integer.parseInt(tx))
                        .put("meterStop", 180)
                        .put("timestamp", Instant.now().minusSeconds(5).toString()));

        List<ReconciliationEvent> events =
                await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf("E2E-REBOOT"), l -> l.size() >= 2);
        assertThat(events)
                .extracting(ReconciliationEvent::type)
                .containsExactly(
                        ReconciliationEvent.Type.OPEN_TRANSACTION_AT_BOOT, ReconciliationEvent.Type.RESOLVED_STOPPED);
        assertThat(events.get(0).transactionIds()).containsExactly(tx);
        assertThat(events.get(0).previousPodId()).isEqualTo("edge-gateway-0");
        assertThat(events.get(0).newPodId()).isEqualTo("edge-gateway-1");
        assertThat(events.get(0).lastMeterValue()).isEqualTo(150.0);
        assertThat(awaitTransaction("E2E-REBOOT", tx, "STOPPED").path("pods")).hasSize(2);
        after.close();
    }

    @Test
    @Order(3)
    void shouldKeepTheRouteOnTheNewPodWhenTheOldPodsDisconnectArrivesLate() throws Exception {
        OcppClient first = connect(edge0, "E2E-MOVE", OcppVersion.OCPP_1_6);
        call(
                first,
                "BootNotification",
                JSON.objectNode().put("chargePointVendor", "V").put("chargePointModel", "M"));
        awaitRoute("E2E-MOVE", "edge-gateway-0");
        OcppClient second = connect(edge1, "E2E-MOVE", OcppVersion.OCPP_1_6); // the same identity, another pod
        call(
                second,
                "BootNotification",
                JSON.objectNode().put("chargePointVendor", "V").put("chargePointModel", "M"));

        // route-streams supersedes the older session; edge-gateway-0 closes it and its DISCONNECTED comes after the new
        // CONNECTED.
        OcppClient.Closed superseded = first.closed().get(30, TimeUnit.SECONDS);
        assertThat(superseded.code()).isEqualTo(1000);
        assertThat(superseded.reason()).startsWith("superseded");
        awaitRoute("E2E-MOVE", "edge-gateway-1");
        Thread.sleep(2000); // give a wrong late DISCONNECTED time to land
        JsonNode routeNow =
                JsonSerde.MAPPER.readTree(route.get("/api/v1/routes/E2E-MOVE").body());
        assertThat(routeNow.path("podId").asText()).isEqualTo("edge-gateway-1");
        assertThat(routeNow.path("state").asText()).isEqualTo("ONLINE");
        CommandResult result = send("E2E-MOVE", "GetConfiguration", JSON.objectNode());
        assertThat(result.status()).isEqualTo(CommandResult.Status.COMPLETED);
        assertThat(result.podId()).isEqualTo("edge-gateway-1");
        second.close();
    }

    @Test
    @Order(4)
    void shouldGiveEveryCommandOneOutcomeAndCountEveryTransactionOnceAcrossStreamsAppKills() throws Exception {
        Fleet fleet = new Fleet(new Fleet.Scenario(
                "ws://127.0.0.1:" + balancer.port() + "/ocpp",
                8,
                OcppVersion.OCPP_1_6,
                "E2E-S-",
                java.util.Optional.empty(),
                20,
                Duration.ofSeconds(30),
                Duration.ofMillis(300),
                3,
                Duration.ofMillis(300)));
        List<String> ids = new ArrayList<>();
        try {
            fleet.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fleet.chargePoints().stream().allMatch(SimulatedChargePoint::isOnline));
            for (SimulatedChargePoint cp : fleet.chargePoints()) {
                awaitRoute(cp.identity(), null);
            }
            for (int round = 0; round < 10; round++) {
                for (SimulatedChargePoint cp : fleet.chargePoints()) {
                    ids.add(write(cp.identity(), "GetConfiguration", JSON.objectNode(), Duration.ofMinutes(3)));
                }
                if (round == 3) {
                    route.kill9();
                    route.start();
                }
                if (round == 6) {
                    reconcile.kill9();
                    reconcile.start();
                }
                Thread.sleep(300);
            }
            Map<String, List<CommandResult>> results = await().atMost(Duration.ofSeconds(180))
                    .until(() -> resultsFor(ids), r -> r.keySet().containsAll(ids));
            assertThat(results.values())
                    .as("exactly one outcome each")
                    .allSatisfy(l -> assertThat(l).hasSize(1));
            assertThat(results.values().stream().map(l -> l.get(0).status()).collect(Collectors.toSet()))
                    .containsOnly(CommandResult.Status.COMPLETED);
        } finally {
            fleet.close();
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> route.isReady() && reconcile.isReady());
        // Every transaction is counted once: its samples equal the distinct readings journaled for it (a resent
        // MeterValues is one reading), across both kills.
        Map<String, Set<String>> journaledReadings = new HashMap<>();
        for (JournalEntry e : TopicContents.values(
                kafka.bootstrapServers(), PREFIX + "ocpp-journal", JsonSerde.of(JournalEntry.class))) {
            if (e.chargePointId().startsWith("E2E-S-")
                    && "CALL".equals(e.messageType())
                    && "MeterValues".equals(e.action())) {
                journaledReadings
                        .computeIfAbsent(
                                TransactionKey.of(
                                        e.chargePointId(),
                                        e.payload().path("transactionId").asText()),
                                k -> new HashSet<>())
                        .add(e.payload()
                                .path("meterValue")
                                .path(0)
                                .path("timestamp")
                                .asText());
            }
        }
        long delivered = fleet.chargePoints().stream()
                .flatMap(cp -> cp.delivered().stream())
                .filter(d -> d.action().equals("MeterValues"))
                .count();
        assertThat(journaledReadings.values().stream().mapToLong(Set::size).sum())
                .isGreaterThanOrEqualTo(delivered)
                .isGreaterThan(8);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, TransactionState> published = latestTransactions();
            for (Map.Entry<String, Set<String>> readings : journaledReadings.entrySet()) {
                assertThat(published.get(readings.getKey()))
                        .as(readings.getKey())
                        .isNotNull();
                assertThat(published.get(readings.getKey()).meterSamples())
                        .as(readings.getKey())
                        .isEqualTo(readings.getValue().size());
            }
        });
        List<ReconciliationEvent> events = TopicContents.values(
                kafka.bootstrapServers(), PREFIX + "reconciliation-events", JsonSerde.of(ReconciliationEvent.class));
        assertThat(events.stream().map(ReconciliationEvent::eventId))
                .as("no event twice")
                .doesNotHaveDuplicates();
        assertThat(route.starts()).isEqualTo(2);
    }

    @Test
    @Order(5)
    void shouldMoveChargePointsToTheSurvivingPodWithOneOutcomePerCommandAndNothingAcknowledgedLost() throws Exception {
        Fleet fleet = new Fleet(new Fleet.Scenario(
                "ws://127.0.0.1:" + balancer.port() + "/ocpp",
                16,
                OcppVersion.OCPP_1_6,
                "E2E-K-",
                java.util.Optional.empty(),
                20,
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                4,
                Duration.ofMillis(500)));
        try {
            fleet.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fleet.chargePoints().stream().allMatch(SimulatedChargePoint::isOnline));
            Map<String, String> podOf = new HashMap<>();
            for (SimulatedChargePoint cp : fleet.chargePoints()) {
                podOf.put(
                        cp.identity(),
                        awaitRoute(cp.identity(), null).path("podId").asText());
            }
            assertThat(new HashSet<>(podOf.values()))
                    .as("spread over both pods")
                    .containsExactlyInAnyOrder("edge-gateway-0", "edge-gateway-1");

            List<String> before = writeToAll(fleet);
            edge1.kill9();
            List<String> during = writeToAll(fleet);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                for (SimulatedChargePoint cp : fleet.chargePoints()) {
                    assertThat(cp.isOnline()).as(cp.identity()).isTrue();
                    JsonNode r = JsonSerde.MAPPER.readTree(
                            route.get("/api/v1/routes/" + cp.identity()).body());
                    assertThat(r.path("podId").asText()).as(cp.identity()).isEqualTo("edge-gateway-0");
                    assertThat(r.path("state").asText()).as(cp.identity()).isEqualTo("ONLINE");
                }
            });
            List<String> after = writeToAll(fleet);

            List<String> all = new ArrayList<>(before);
            all.addAll(during);
            all.addAll(after);
            Map<String, List<CommandResult>> results = await().atMost(Duration.ofSeconds(180))
                    .until(() -> resultsFor(all), r -> r.keySet().containsAll(all));
            assertThat(results.values())
                    .as("exactly one outcome each")
                    .allSatisfy(l -> assertThat(l).hasSize(1));
            for (String id : before) {
                assertThat(results.get(id).get(0).status())
                        .as(id)
                        .isIn(CommandResult.Status.COMPLETED, CommandResult.Status.CONNECTION_LOST);
            }
            for (String id : during) {
                assertThat(results.get(id).get(0).status())
                        .as("written while its pod was dead: delivered on the new session")
                        .isEqualTo(CommandResult.Status.COMPLETED);
            }
            for (String id : after) {
                assertThat(results.get(id).get(0).status()).isEqualTo(CommandResult.Status.COMPLETED);
                assertThat(results.get(id).get(0).podId()).isEqualTo("edge-gateway-0");
            }
        } finally {
            fleet.close();
        }
        // Every CALL a charge point saw acknowledged is in the journal.
        Set<String> journaled =
                TopicContents.values(
                                kafka.bootstrapServers(), PREFIX + "ocpp-journal", JsonSerde.of(JournalEntry.class))
                        .stream()
                        .filter(e -> "CALL".equals(e.messageType()))
                        .map(e -> e.chargePointId() + "/" + e.messageId())
                        .collect(Collectors.toSet());
        long acknowledged = 0;
        for (SimulatedChargePoint cp : fleet.chargePoints()) {
            for (SimulatedChargePoint.Delivered d : cp.delivered()) {
                assertThat(journaled)
                        .as("acknowledged but not journaled")
                        .contains(cp.identity() + "/" + d.messageId());
                acknowledged++;
            }
        }
        assertThat(acknowledged).isGreaterThan(16 * 3);
    }

    // --- helpers ---

    private OcppClient connect(Node edge, String identity, OcppVersion version) throws Exception {
        return OcppClient.connect(
                        edge.url(),
                        identity,
                        OcppClient.Options.of(version)
                                .withHandler((action, request) -> CsmsCallAnswers.answer(version, action, request)))
                .get(20, TimeUnit.SECONDS);
    }

    private static JsonNode call(OcppClient client, String action, ObjectNode payload) throws Exception {
        OcppFrame answer = client.call(action, payload).get(30, TimeUnit.SECONDS);
        assertThat(answer).as(action).isInstanceOf(OcppFrame.CallResult.class);
        return ((OcppFrame.CallResult) answer).payload();
    }

    private static ObjectNode meterValues16(String tx, int wh) {
        ObjectNode p = JSON.objectNode().put("connectorId", 1).put("transactionId", Integer.parseInt(tx));
        p.putArray("meterValue")
                .addObject()
                .put("timestamp", Instant.now().toString())
                .putArray("sampledValue")
                .addObject()
                .put("value", String.valueOf(wh));
        return p;
    }

    private static ObjectNode boot201() {
        ObjectNode p = JSON.objectNode().put("reason", "PowerUp");
        p.putObject("chargingStation").put("model", "M").put("vendorName", "V");
        return p;
    }

    private static ObjectNode transactionEvent(String type, String tx, int seq, int wh) {
        ObjectNode p = JSON.objectNode()
                .put("eventType", type)
                .put("timestamp", Instant.now().toString())
                .put("triggerReason", type.equals("Ended") ? "RemoteStop" : "Authorized")
                .put("seqNo", seq);
        p.putObject("transactionInfo").put("transactionId", tx);
        p.putObject("evse").put("id", 1).put("connectorId", 1);
        if (type.equals("Started")) {
            p.putObject("idToken").put("idToken", "TAG-201").put("type", "ISO14443");
        }
        p.putArray("meterValue")
                .addObject()
                .put("timestamp", Instant.now().toString())
                .putArray("sampledValue")
                .addObject()
                .put("value", wh);
        return p;
    }

    /** Waits until route-streams has the charge point ONLINE (on {@code pod}, if given) and returns the route. */
    private JsonNode awaitRoute(String cp, String pod) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> JsonSerde.MAPPER.readTree(
                                route.get("/api/v1/routes/" + cp).body()),
                        r -> r.path("state").asText().equals("ONLINE")
                                && (pod == null || r.path("podId").asText().equals(pod)));
    }

    private JsonNode awaitTransaction(String cp, String tx, String status) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            for (JsonNode t : JsonSerde.MAPPER
                                    .readTree(reconcile
                                            .get("/api/v1/transactions/" + cp)
                                            .body())
                                    .path("transactions")) {
                                if (t.path("transactionId").asText().equals(tx)) {
                                    return t;
                                }
                            }
                            return JSON.objectNode();
                        },
                        t -> t.path("status").asText().equals(status));
    }

    private String write(String cp, String action, ObjectNode payload, Duration ttl) throws Exception {
        String id = UUID.randomUUID().toString();
        commands.send(new ProducerRecord<>(
                        PREFIX + "commands",
                        cp,
                        new Command(
                                id,
                                cp,
                                Command.Kind.CALL,
                                action,
                                payload,
                                Instant.now(),
                                null,
                                ttl,
                                Command.OfflinePolicy.QUEUE,
                                Duration.ofSeconds(20),
                                null,
                                null)))
                .get();
        return id;
    }

    private List<String> writeToAll(Fleet fleet) throws Exception {
        List<String> ids = new ArrayList<>();
        for (SimulatedChargePoint cp : fleet.chargePoints()) {
            ids.add(write(cp.identity(), "GetConfiguration", JSON.objectNode(), Duration.ofMinutes(3)));
        }
        return ids;
    }

    private CommandResult send(String cp, String action, ObjectNode payload) throws Exception {
        String id = write(cp, action, payload, Duration.ofMinutes(1));
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> resultsFor(List.of(id)), r -> r.containsKey(id))
                .get(id)
                .get(0);
    }

    private Map<String, List<CommandResult>> resultsFor(List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        return TopicContents.values(
                        kafka.bootstrapServers(), PREFIX + "command-results", JsonSerde.of(CommandResult.class))
                .stream()
                .filter(r -> wanted.contains(r.commandId()))
                .collect(Collectors.groupingBy(CommandResult::commandId));
    }

    private List<ReconciliationEvent> eventsOf(String cp) {
        return TopicContents.values(
                        kafka.bootstrapServers(),
                        PREFIX + "reconciliation-events",
                        JsonSerde.of(ReconciliationEvent.class))
                .stream()
                .filter(e -> e.chargePointId().equals(cp))
                .toList();
    }

    private Map<String, TransactionState> latestTransactions() {
        Map<String, TransactionState> latest = new HashMap<>();
        TopicContents.readAll(kafka.bootstrapServers(), PREFIX + "transactions", JsonSerde.of(TransactionState.class))
                .forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }
}
