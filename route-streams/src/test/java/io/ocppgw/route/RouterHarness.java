package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocppgw.support.streams.BadRecords;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Command;
import io.ocppgw.topics.records.CommandResult;
import io.ocppgw.topics.records.ConnectionEvent;
import io.ocppgw.topics.records.DeliveryReport;
import io.ocppgw.topics.records.ErrorInfo;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.PodLease;
import io.ocppgw.topics.records.Reason;
import io.ocppgw.topics.records.RecordSchemas;
import io.ocppgw.topics.records.RoutedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The behaviour vectors' notation on a TopologyTestDriver: C, D, L, Cmd, Rep, S and what came out. Times in seconds. */
final class RouterHarness implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    private final TestInputTopic<String, ConnectionEvent> connections;
    private final TestInputTopic<String, Command> commands;
    private final TestInputTopic<String, DeliveryReport> status;
    private final TestInputTopic<String, PodLease> pods;
    private final TestOutputTopic<String, RoutedCommand> down;
    private final TestOutputTopic<String, CommandResult> results;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<String, Command> rekeyed;
    private long wall = T0.toEpochMilli();

    RouterHarness() {
        this(RouteSettings.defaults(TopicNames.unprefixed()));
    }

    RouterHarness(RouteSettings settings) {
        TopicNames t = settings.topics();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "route-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                System.getProperty("java.io.tmpdir") + "/route-ttd-" + System.nanoTime());
        props.putAll(new BadRecords(t.name(Topic.DEAD_LETTERS), registry).configs());
        driver = new TopologyTestDriver(
                RouterTopology.build(settings, new RouterMetrics(registry), CommitPacing.none()), props, T0);
        StringSerializer k = new StringSerializer();
        connections = driver.createInputTopic(t.name(Topic.CP_CONNECTIONS), k, JsonSerde.of(ConnectionEvent.class));
        commands = driver.createInputTopic(t.name(Topic.COMMANDS), k, JsonSerde.of(Command.class));
        status = driver.createInputTopic(t.name(Topic.COMMAND_STATUS), k, JsonSerde.of(DeliveryReport.class));
        pods = driver.createInputTopic(t.name(Topic.GATEWAY_PODS), k, JsonSerde.of(PodLease.class));
        down = driver.createOutputTopic(
                t.name(Topic.COMMANDS_DOWN), new StringDeserializer(), JsonSerde.of(RoutedCommand.class));
        results = driver.createOutputTopic(
                t.name(Topic.COMMAND_RESULTS), new StringDeserializer(), JsonSerde.of(CommandResult.class));
        deadLetters = driver.createOutputTopic(
                t.name(Topic.DEAD_LETTERS),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        rekeyed =
                driver.createOutputTopic(t.name(Topic.COMMANDS), new StringDeserializer(), JsonSerde.of(Command.class));
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** C(cp, s, pod, t), version 1.6. */
    void connected(String cp, String session, String pod, long t) {
        connected(cp, session, pod, t, "ocpp1.6");
    }

    void connected(String cp, String session, String pod, long t, String version) {
        connected(cp, session, pod, t, version, "inc-" + pod);
    }

    /** C(cp, s, pod, t) from a given incarnation of the pod's process. */
    void connected(String cp, String session, String pod, long t, String version, String incarnation) {
        connections.pipeInput(
                cp,
                new ConnectionEvent(
                        ConnectionEvent.Type.CONNECTED,
                        cp,
                        pod,
                        0,
                        session,
                        at(t),
                        at(t),
                        version,
                        "127.0.0.1:1",
                        null,
                        incarnation),
                at(t));
    }

    /** D(cp, s). */
    void disconnected(String cp, String session, String pod, long t) {
        connections.pipeInput(
                cp,
                new ConnectionEvent(
                        ConnectionEvent.Type.DISCONNECTED,
                        cp,
                        pod,
                        0,
                        session,
                        at(0),
                        at(t),
                        "ocpp1.6",
                        "127.0.0.1:1",
                        "closed",
                        "inc-" + pod),
                at(t));
    }

    /** L(pod, state) expiring {@code ttl} seconds after {@code t}. */
    void lease(String pod, PodLease.State state, long t, long ttl) {
        lease(pod, state, t, ttl, "inc-" + pod);
    }

    void lease(String pod, PodLease.State state, long t, long ttl, String incarnation) {
        pods.pipeInput(pod, new PodLease(pod, 0, state, at(t), at(t + ttl), "test", incarnation), at(t));
    }

    /** Cmd(id, cp, policy, ttl) — a Reset. */
    void command(String id, String cp, Command.OfflinePolicy policy, long ttlSeconds) {
        command(
                id,
                cp,
                policy,
                ttlSeconds,
                "Reset",
                JsonNodeFactory.instance.objectNode().put("type", "Soft"));
    }

    void command(
            String id, String cp, Command.OfflinePolicy policy, long ttlSeconds, String action, ObjectNode payload) {
        Instant now = Instant.ofEpochMilli(nowMillis());
        commands.pipeInput(
                cp,
                new Command(
                        id,
                        cp,
                        Command.Kind.CALL,
                        action,
                        payload,
                        now,
                        null,
                        Duration.ofSeconds(ttlSeconds),
                        policy,
                        null,
                        null,
                        null),
                now);
    }

    void rawCommand(String key, Command c) {
        commands.pipeInput(key, c, Instant.ofEpochMilli(nowMillis()));
    }

    /** Rep(cp, s, msgId). */
    void reply(String cp, String session, String messageId) {
        Instant now = Instant.ofEpochMilli(nowMillis());
        commands.pipeInput(
                cp,
                new Command(
                        "r-" + messageId,
                        cp,
                        Command.Kind.REPLY,
                        "Authorize",
                        JsonNodeFactory.instance
                                .objectNode()
                                .putObject("idTagInfo")
                                .put("status", "Accepted"),
                        now,
                        null,
                        null,
                        null,
                        null,
                        new Command.ReplyTo(session, messageId),
                        null),
                now);
    }

    /** S(id, status) of the given attempt, from the pod and session the command is routed to now. */
    void report(String id, String cp, DeliveryReport.Status s, int attempt) {
        report(id, cp, s, attempt, null);
    }

    void report(String id, String cp, DeliveryReport.Status s, int attempt, ErrorInfo error) {
        LedgerEntry open = entry(cp, id);
        report(
                id,
                cp,
                s,
                attempt,
                error,
                open == null ? "p" : open.podId(),
                open == null ? "s" : open.sessionId(),
                null);
    }

    void report(
            String id,
            String cp,
            DeliveryReport.Status s,
            int attempt,
            ErrorInfo error,
            String pod,
            String session,
            Reason reason) {
        Instant now = Instant.ofEpochMilli(nowMillis());
        status.pipeInput(
                cp,
                new DeliveryReport(
                        id,
                        cp,
                        pod,
                        "inc-" + pod,
                        session,
                        attempt,
                        Command.Kind.CALL,
                        s,
                        s == DeliveryReport.Status.RESPONSE && error == null
                                ? JsonNodeFactory.instance.objectNode().put("status", "Accepted")
                                : null,
                        error,
                        reason,
                        null,
                        now),
                now);
    }

    /** Raw bytes onto an input topic, as a producer that does not speak the contract would write them. */
    void raw(String topic, String key, byte[] value) {
        driver.createInputTopic(
                        topic, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())
                .pipeInput(key, value, Instant.ofEpochMilli(nowMillis()));
    }

    LedgerEntry entry(String cp, String id) {
        return driver.<String, LedgerEntry>getKeyValueStore(StoreNames.LEDGER).get(CommandLedger.key(cp, id));
    }

    List<ProducerRecordLike> deadLetters() {
        return deadLetters.readRecordsToList().stream()
                .map(r -> new ProducerRecordLike(
                        r.key(),
                        r.value(),
                        new String(r.headers()
                                .lastHeader(io.ocppgw.support.DeadLetters.TOPIC)
                                .value()),
                        new String(r.headers()
                                .lastHeader(io.ocppgw.support.DeadLetters.OFFSET)
                                .value())))
                .toList();
    }

    /** A dead letter as read back: the raw record and where it came from. */
    record ProducerRecordLike(byte[] key, byte[] value, String topic, String offset) {}

    List<Command> rekeyed() {
        return rekeyed.readValuesToList();
    }

    void advance(Duration d) {
        wall += d.toMillis();
        driver.advanceWallClockTime(d);
    }

    /** The driver's wall clock: commands are requested "now". */
    long nowMillis() {
        return wall;
    }

    List<RoutedCommand> down() {
        return down.readValuesToList();
    }

    /** The results so far; each must fit the public schema of a CommandResult. */
    List<CommandResult> results() {
        List<CommandResult> read = results.readValuesToList();
        read.forEach(r -> assertThat(RecordSchemas.violations(r))
                .as("%s against its schema", r)
                .isEmpty());
        return read;
    }

    Route route(String cp) {
        return driver.<String, Route>getKeyValueStore(StoreNames.ROUTES).get(cp);
    }

    double counter(String name) {
        var c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    double counter(String name, String tag, String value) {
        var c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
