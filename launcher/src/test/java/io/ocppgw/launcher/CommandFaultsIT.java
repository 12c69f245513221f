package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.bench.GatewayProcesses;
import io.ocppgw.bench.GatewayProcesses.Node;
import io.ocppgw.embedded.EmbeddedKafkaProcess;
import io.ocppgw.embedded.FreePorts;
import io.ocppgw.embedded.TopicContents;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.ocppgw.simulator.OcppClient;
import io.ocppgw.simulator.TcpBalancer;
import io.ocppgw.topics.ChargePointPartitions;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
    private static final Set<CommandResult.Status> ANSWERED = EnumSet.of(CommandResult.Status.COMPLETED, CommandResult.Status.FAILED,
            CommandResult.Status.TIMEOUT);

    private Path work;
    private EmbeddedKafkaProcess broker;
    private int brokerPort;
    private GatewayProcesses gateway;
    private Node route;
    private Node edge0;
    private Node edge1;
    private TcpBalancer balancer;
    private KafkaProducer<String, byte[]> backend;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
    private final Map<String, OcppClient> online = new ConcurrentHashMap<>();
    /** Every CALL id any charge point received, with how often: the real wire. */
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @BeforeAll
    void startTheGateway() throws Exception {
        work = Files.createTempDirectory("command-faults");
        brokerPort = FreePorts.loopback();
        broker = EmbeddedKafkaProcess.start(brokerPort, work.resolve("broker"), true, EmbeddedKafkaProcess.defaultJvmOptions());
        gateway = new GatewayProcesses(GatewayProcesses.launcherJar(), broker.bootstrapServers(), PREFIX);
        gateway.provisionTopics();
        // Authorize is answered by the backend here, so a REPLY right after a fresh session's CONNECTED can be tried
        Map<String, String> backendAuthorize = Map.of("OCPPGW_RESPONDERS", "StartTransaction=sequence,Authorize=backend,DataTransfer=ack");
        route = gateway.route("route-a", Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000")).start();
        edge0 = gateway.edge("edge-gateway-0", backendAuthorize).start();
        edge1 = gateway.edge("edge-gateway-1", backendAuthorize).start();
        await().atMost(Duration.ofSeconds(180)).until(() -> edge0.isReady() && edge1.isReady() && route.isReady());
        balancer = new TcpBalancer(List.of(edge0.wsPort, edge1.wsPort));
        backend = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all", "linger.ms", 1),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        for (int i = 0; i < CHARGE_POINTS; i++) {
            keepConnected("F-" + i);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> online.size() == CHARGE_POINTS);
    }

    @AfterAll
    void stopTheGateway() {
        running.set(false);
        online.values().forEach(OcppClient::abort);
        timers.shutdownNow();
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
                OcppClient client = OcppClient.connect("ws://127.0.0.1:" + balancer.port() + "/ocpp", cp,
                        OcppClient.Options.of(OcppVersion.OCPP_1_6)).get(10, TimeUnit.SECONDS);
                var authorize = client.call("Authorize", JsonNodeFactory.instance.objectNode().put("idTag", "T-" + i));
                JournalEntry call = awaitAuthorize(journal, cp);
                Command reply = new Command("reply-" + cp, cp, Command.Kind.REPLY, "Authorize",
                        JsonNodeFactory.instance.objectNode().set("idTagInfo", JsonNodeFactory.instance.objectNode().put("status", "Accepted")),
                        Instant.now(), null, null, null, null, new Command.ReplyTo(call.sessionId(), call.messageId()), null);
                backend.send(new ProducerRecord<>(PREFIX + "commands", cp, JsonSerde.of(Command.class).serialize(null, reply)));

                OcppFrame answer = authorize.get(15, TimeUnit.SECONDS);
                assertThat(answer).as(cp + ": answered with the backend's reply, not closed").isInstanceOf(OcppFrame.CallResult.class);
                assertThat(((OcppFrame.CallResult) answer).payload().path("idTagInfo").path("status").asText()).isEqualTo("Accepted");
                client.close();
            }
        }
    }

    @Test
    @Order(2)
    void shouldRouteACommandAForeignPartitionerPutOnTheWrongPartition() throws Exception {
        String cp = "F-0";
        int right = ChargePointPartitions.of(cp, 4);
        Command c = command("foreign-1", cp);
        backend.send(new ProducerRecord<>(PREFIX + "commands", (right + 1) % 4, cp, JsonSerde.of(Command.class).serialize(null, c))).get();

        CommandResult result = await().atMost(Duration.ofSeconds(60)).until(() -> results(Set.of("foreign-1")).get("foreign-1"),
                l -> l != null && !l.isEmpty()).get(0);
        assertThat(result.status()).isEqualTo(CommandResult.Status.COMPLETED);
    }

    @Test
    @Order(3)
    void shouldKeepThePromiseWhenAnEdgePodIsKilledAndBackUnderItsIdInsideItsLease() throws Exception {
        checkAcross("kill9-", () -> {
            edge0.kill9();
            edge0.start(); // the lease TTL is 3 s: the new process is up before route-streams could see the old lease expire
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
            broker = EmbeddedKafkaProcess.start(brokerPort, work.resolve("broker"), true, EmbeddedKafkaProcess.defaultJvmOptions());
            await().atMost(Duration.ofSeconds(180)).until(() -> edge0.isReady() && edge1.isReady() && route.isReady());
        });
    }

    /** Commands at about 40/s before, during and after {@code fault}; then every one of them is checked. */
    private void checkAcross(String prefix, ThrowingRunnable fault) throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int n = 0;
            while (writing.get()) {
                String cp = "F-" + (n % CHARGE_POINTS);
                String id = prefix + n++;
                ids.add(id);
                backend.send(new ProducerRecord<>(PREFIX + "commands", cp, JsonSerde.of(Command.class).serialize(null, command(id, cp))));
                sleep(25);
            }
        }, "backend-" + prefix);
        writer.start();
        Thread.sleep(5_000);
        fault.run();
        Thread.sleep(10_000);
        writing.set(false);
        writer.join();
        backend.flush();

        Map<String, List<CommandResult>> results = await().atMost(BACKSTOP.plusSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> results(Set.copyOf(ids)), r -> r.keySet().containsAll(ids));
        Map<String, Long> sentInJournal = new HashMap<>();
        Set<String> answeredInJournal = new java.util.HashSet<>();
        for (JournalEntry e : TopicContents.values(broker.bootstrapServers(), PREFIX + "ocpp-journal", JsonSerde.of(JournalEntry.class))) {
            if (e.messageId() == null || !e.messageId().startsWith(prefix)) {
                continue;
            }
            if (e.direction() == Direction.TO_CP && "CALL".equals(e.messageType())) {
                sentInJournal.merge(e.messageId(), 1L, Long::sum);
            } else if (e.direction() == Direction.TO_CP && JournalEntry.NOT_SENT.equals(e.messageType())) {
                sentInJournal.merge(e.messageId(), -1L, Long::sum); // written ahead, then never on the wire
            } else if (e.direction() == Direction.FROM_CP && ("CALLRESULT".equals(e.messageType()) || "CALLERROR".equals(e.messageType()))) {
                answeredInJournal.add(e.messageId());
            }
        }
        Map<CommandResult.Status, Long> byStatus = results.values().stream().map(l -> l.get(0).status())
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        System.out.println(prefix + ": " + ids.size() + " commands, results " + byStatus);
        results.values().stream().map(l -> l.get(0)).filter(r -> r.status() != CommandResult.Status.COMPLETED).limit(8)
                .forEach(r -> System.out.println("  " + r.commandId() + " " + r.status() + " " + r.reason() + " attempts=" + r.attempts()
                        + " pod=" + r.podId() + " requested=" + r.requestedAt() + " routed=" + r.routedAt() + " sent=" + r.sentAt()
                        + " completed=" + r.completedAt() + ": " + r.description()));
        assertThat(ids).hasSizeGreaterThan(100);
        assertThat(results.values()).as("exactly one result each").allSatisfy(l -> assertThat(l).hasSize(1));
        assertThat(sentInJournal.values()).as("journaled as sent at most once").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1L));
        sentInJournal.values().removeIf(n -> n < 1);
        assertThat(ids).as("on a charge point's wire at most once")
                .allSatisfy(id -> assertThat(received.getOrDefault(id, new AtomicInteger()).get()).isLessThanOrEqualTo(1));
        for (String id : ids) {
            CommandResult r = results.get(id).get(0);
            if (answeredInJournal.contains(id)) {
                assertThat(r.status()).as(id + " was answered by its charge point: " + r).isIn(ANSWERED);
            }
            if (!sentInJournal.containsKey(id)) {
                assertThat(r.status()).as(id + " never went out: " + r).isNotIn(CommandResult.Status.COMPLETED, CommandResult.Status.FAILED);
            }
            assertThat(Duration.between(r.requestedAt(), r.completedAt())).as(id + " waited past the backstop").isLessThan(BACKSTOP);
        }
        assertThat(byStatus.getOrDefault(CommandResult.Status.COMPLETED, 0L)).as("most commands complete").isGreaterThan(ids.size() / 2);
    }

    private Command command(String id, String cp) {
        return new Command(id, cp, Command.Kind.CALL, "GetConfiguration", JsonNodeFactory.instance.objectNode(), Instant.now(), null, TTL,
                Command.OfflinePolicy.QUEUE, null, null, null);
    }

    /**
     * A charge point that answers each CALL after 300 ms, sends a Heartbeat every 2 s, and reconnects half
     * a second after its socket closed or a Heartbeat went unanswered for 5 s (a peer that vanished
     * without a FIN is only noticed that way, as by real charge points).
     */
    private void keepConnected(String cp) {
        if (!running.get()) {
            return;
        }
        OcppClient.connect("ws://127.0.0.1:" + balancer.port() + "/ocpp", cp, OcppClient.Options.of(OcppVersion.OCPP_1_6)
                        .withCallObserver(id -> received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet())
                        .withHandler((action, request) -> {
                            sleep(300);
                            return CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, action, request);
                        }))
                .whenComplete((client, error) -> {
                    if (error != null) {
                        timers.schedule(() -> keepConnected(cp), 500, TimeUnit.MILLISECONDS);
                        return;
                    }
                    online.put(cp, client);
                    AtomicBoolean ended = new AtomicBoolean();
                    Runnable reconnect = () -> {
                        if (ended.compareAndSet(false, true)) {
                            online.remove(cp, client);
                            client.abort();
                            timers.schedule(() -> keepConnected(cp), 500, TimeUnit.MILLISECONDS);
                        }
                    };
                    client.closed().whenComplete((c, e) -> reconnect.run());
                    heartbeat(client, ended, reconnect);
                });
    }

    private void heartbeat(OcppClient client, AtomicBoolean ended, Runnable reconnect) {
        timers.schedule(() -> {
            if (ended.get() || !running.get()) {
                return;
            }
            client.call("Heartbeat", JsonNodeFactory.instance.objectNode()).orTimeout(5, TimeUnit.SECONDS).whenComplete((answer, error) -> {
                if (error != null) {
                    reconnect.run();
                } else {
                    heartbeat(client, ended, reconnect);
                }
            });
        }, 2, TimeUnit.SECONDS);
    }

    private Map<String, List<CommandResult>> results(Set<String> ids) {
        return TopicContents.values(broker.bootstrapServers(), PREFIX + "command-results", JsonSerde.of(CommandResult.class)).stream()
                .filter(r -> ids.contains(r.commandId())).collect(Collectors.groupingBy(CommandResult::commandId));
    }

    private KafkaConsumer<String, byte[]> tail(String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
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
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
