package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.bench.GatewayProcesses;
import io.ocppgw.bench.GatewayProcesses.Node;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.simulator.TcpBalancer;
import io.ocppgw.topics.ChargePointPartitions;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The command path's promise under process faults, across real processes of the {@code ocppgw} jar: a
 * broker as a child JVM, route-streams and two edge pods, charge points that reconnect through a load
 * balancer, and a backend writing commands the whole time. One fault after another: an edge pod
 * SIGKILLed and back under the same pod id inside its lease TTL, an edge pod SIGSTOPped past its
 * lease and resumed, route-streams SIGKILLed and restarted, the broker SIGKILLed and restarted. After
 * each: every command written has exactly one result, none reached a charge point twice, and no
 * result contradicts the journal (a command the charge point answered is never EXPIRED or
 * CONNECTION_LOST; one never journaled as sent is never COMPLETED). The processes are shared, so the
 * tests run in order; each checks the commands of its own fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandFaultsIT {

    private static final String PREFIX = "faults.";
    private static final int CHARGE_POINTS = 24;
    private static final Duration TTL = Duration.ofSeconds(30);
    /** TTL + response timeout (30 s by default) + report grace (5 s), and a margin: no command may take longer. */
    private static final Duration BACKSTOP = TTL.plusSeconds(30 + 5 + 15);

    private Path work;
    private EmbeddedKafkaProcess broker;
    private int brokerPort;
    private GatewayProcesses gateway;
    private Node route;
    private Node edge0;
    private Node edge1;
    private TcpBalancer balancer;
    private KafkaProducer<String, byte[]> backend;
    private ReconnectingFleet fleet;
    private CommandAudit audit;

    @BeforeAll
    void startTheGateway() throws Exception {
        work = Files.createTempDirectory("command-faults");
        brokerPort = FreePorts.loopback();
        broker = EmbeddedKafkaProcess.start(
                brokerPort, work.resolve("broker"), true, EmbeddedKafkaProcess.defaultJvmOptions());
        gateway = new GatewayProcesses(GatewayProcesses.launcherJar(), broker.bootstrapServers(), PREFIX);
        gateway.provisionTopics();
        // Authorize is answered by the backend here, so a REPLY right after a fresh session's CONNECTED can be tried
        Map<String, String> backendAuthorize =
                Map.of("OCPPGW_RESPONDERS", "StartTransaction=sequence,Authorize=backend,DataTransfer=ack");
        route = gateway.route("route-a", Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000"))
                .start();
        edge0 = gateway.edge("edge-gateway-0", backendAuthorize).start();
        edge1 = gateway.edge("edge-gateway-1", backendAuthorize).start();
        await().atMost(Duration.ofSeconds(180)).until(() -> edge0.isReady() && edge1.isReady() && route.isReady());
        balancer = new TcpBalancer(List.of(edge0.wsPort, edge1.wsPort));
        backend = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all", "linger.ms", 1),
                new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        fleet = new ReconnectingFleet(balancer::port, 300, 5);
        List<String> chargePoints = fleet.keepConnected("F-", CHARGE_POINTS);
        audit = new CommandAudit(() -> broker.bootstrapServers(), PREFIX, backend, fleet, chargePoints, TTL, BACKSTOP);
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.online() == CHARGE_POINTS);
    }

    @AfterAll
    void stopTheGateway() {
        if (fleet != null) {
            fleet.close();
        }
        if (backend != null) {
            backend.close(Duration.ofSeconds(5));
        }
        if (balancer != null) {
            balancer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldDeliverAReplyWrittenRightAfterAFreshSessionsConnected() throws Exception {
        try (KafkaConsumer<String, byte[]> journal = tail(PREFIX + "ocpp-journal")) {
            for (int i = 0; i < 20; i++) {
                String cp = "F-REPLY-" + i;
                OcppClient client = OcppClient.connect(
                                "ws://127.0.0.1:" + balancer.port() + "/ocpp",
                                cp,
                                OcppClient.Options.of(OcppVersion.OCPP_1_6))
                        .get(10, TimeUnit.SECONDS);
                var authorize = client.call(
                        "Authorize", JsonNodeFactory.instance.objectNode().put("idTag", "T-" + i));
                JournalEntry call = awaitAuthorize(journal, cp);
                Command reply = new Command(
                        "reply-" + cp,
                        cp,
                        Command.Kind.REPLY,
                        "Authorize",
                        JsonNodeFactory.instance
                                .objectNode()
                                .set(
                                        "idTagInfo",
                                        JsonNodeFactory.instance.objectNode().put("status", "Accepted")),
                        Instant.now(),
                        null,
                        null,
                        null,
                        null,
                        new Command.ReplyTo(call.sessionId(), call.messageId()),
                        null);
                backend.send(new ProducerRecord<>(
                        PREFIX + "commands", cp, JsonSerde.of(Command.class).serialize(null, reply)));

                OcppFrame answer = authorize.get(15, TimeUnit.SECONDS);
                assertThat(answer)
                        .as(cp + ": answered with the backend's reply, not closed")
                        .isInstanceOf(OcppFrame.CallResult.class);
                assertThat(((OcppFrame.CallResult) answer)
                                .payload()
                                .path("idTagInfo")
                                .path("status")
                                .asText())
                        .isEqualTo("Accepted");
                client.close();
            }
        }
    }

    @Test
    @Order(2)
    void shouldRouteACommandAForeignPartitionerPutOnTheWrongPartition() throws Exception {
        String cp = "F-0";
        int right = ChargePointPartitions.of(cp, 4);
        Command c = audit.command("foreign-1", cp);
        backend.send(new ProducerRecord<>(
                        PREFIX + "commands",
                        (right + 1) % 4,
                        cp,
                        JsonSerde.of(Command.class).serialize(null, c)))
                .get();

        CommandResult result = await().atMost(Duration.ofSeconds(60))
                .until(() -> audit.results(Set.of("foreign-1")).get("foreign-1"), l -> l != null && !l.isEmpty())
                .get(0);
        assertThat(result.status()).isEqualTo(CommandResult.Status.COMPLETED);
    }

    @Test
    @Order(3)
    void shouldKeepThePromiseWhenAnEdgePodIsKilledAndBackUnderItsIdInsideItsLease() throws Exception {
        checkAcross("kill9-", () -> {
            edge0.kill9();
            edge0.start(); // the lease TTL is 3 s: the new process is up before route-streams could see the old
            // lease expire
            await().atMost(Duration.ofSeconds(120)).until(edge0::isReady);
        });
    }

    @Test
    @Order(4)
    void shouldKeepThePromiseWhenAnEdgePodPausesPastItsLease() throws Exception {
        checkAcross("pause-", () -> {
            signal("STOP", edge1.pid());
            Thread.sleep(8_000); // lease TTL 3 s: route-streams suspects it, its sockets stay open
            signal("CONT", edge1.pid());
        });
    }

    @Test
    @Order(5)
    void shouldKeepThePromiseWhenRouteStreamsIsKilledAndRestarted() throws Exception {
        checkAcross("route-", () -> {
            route.kill9();
            Thread.sleep(2_000);
            route.start();
            await().atMost(Duration.ofSeconds(120)).until(route::isReady);
        });
    }

    @Test
    @Order(6)
    void shouldKeepThePromiseWhenTheBrokerIsKilledAndRestarted() throws Exception {
        checkAcross("broker-", () -> {
            broker.kill();
            Thread.sleep(3_000);
            broker = EmbeddedKafkaProcess.start(
                    brokerPort, work.resolve("broker"), true, EmbeddedKafkaProcess.defaultJvmOptions());
            await().atMost(Duration.ofSeconds(180)).until(() -> edge0.isReady() && edge1.isReady() && route.isReady());
        });
    }

    /** Commands at about 40/s before, during and after {@code fault}; then every one of them is checked. */
    private void checkAcross(String prefix, CommandAudit.ThrowingRunnable fault) throws Exception {
        audit.across(prefix, 25, fault);
    }

    private KafkaConsumer<String, byte[]> tail(String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    /** The backend's side: reads the journal until the charge point's Authorize CALL shows, as a backend would. */
    private static JournalEntry awaitAuthorize(KafkaConsumer<String, byte[]> journal, String cp) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : journal.poll(Duration.ofMillis(20))) {
                JournalEntry e = JsonSerde.of(JournalEntry.class).deserialize(r.topic(), r.value());
                if (cp.equals(e.chargePointId()) && "Authorize".equals(e.action()) && "CALL".equals(e.messageType())) {
                    return e;
                }
            }
        }
        throw new AssertionError("no Authorize of " + cp + " in the journal");
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -" + signal)
                .isTrue();
    }
}
