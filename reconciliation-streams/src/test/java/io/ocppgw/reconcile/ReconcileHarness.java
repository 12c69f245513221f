package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocppgw.support.streams.CommitPacing;
import io.ocppgw.topics.Topic;
import io.ocppgw.topics.TopicNames;
import io.ocppgw.topics.records.Direction;
import io.ocppgw.topics.records.JournalEntry;
import io.ocppgw.topics.records.JsonSerde;
import io.ocppgw.topics.records.ReconciliationEvent;
import io.ocppgw.topics.records.RecordSchemas;
import io.ocppgw.topics.records.TransactionKey;
import io.ocppgw.topics.records.TransactionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The behaviour vectors' transaction notation on a TopologyTestDriver: one charge point's journal, written as
 * the edge writes it. Charge point times are "HH:MM" on the test day; the wall clock follows the
 * charge point's clock forward (a message is processed when it is taken) unless a test moves it.
 */
final class ReconcileHarness implements AutoCloseable {

    static final String CP = "CP-1";
    static final Instant DAY = Instant.parse("2026-11-25T00:00:00Z");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final List<JournalEntry> written = new ArrayList<>();
    private final TestInputTopic<String, JournalEntry> journal;
    private final TestOutputTopic<String, TransactionState> transactions;
    private final TestOutputTopic<String, ReconciliationEvent> events;
    private final Map<String, TransactionState> latest = new LinkedHashMap<>();
    private final List<ReconciliationEvent> seenEvents = new ArrayList<>();
    private final AtomicInteger messageIds = new AtomicInteger();
    private Instant wall = at("10:00");
    private String version = "ocpp1.6";
    private String session = "s1";
    private String pod = "edge-gateway-0";

    ReconcileHarness() {
        this(ReconcileSettings.defaults(TopicNames.unprefixed()));
    }

    ReconcileHarness(ReconcileSettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reconcile-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                System.getProperty("java.io.tmpdir") + "/reconcile-ttd-" + System.nanoTime());
        driver = new TopologyTestDriver(
                ReconcileTopology.build(settings, new ReconcileMetrics(registry), CommitPacing.none()), props, wall);
        TopicNames t = settings.topics();
        journal = driver.createInputTopic(
                t.name(Topic.OCPP_JOURNAL), new StringSerializer(), JsonSerde.of(JournalEntry.class));
        transactions = driver.createOutputTopic(
                t.name(Topic.TRANSACTIONS), new StringDeserializer(), JsonSerde.of(TransactionState.class));
        events = driver.createOutputTopic(
                t.name(Topic.RECONCILIATION_EVENTS), new StringDeserializer(), JsonSerde.of(ReconciliationEvent.class));
    }

    /** "10:00", "10:00:30" or "10:00:30.001" of the test day. */
    static Instant at(String hhmm) {
        String[] parts = hhmm.split(":");
        Instant t = DAY.plus(Duration.ofHours(Integer.parseInt(parts[0])))
                .plus(Duration.ofMinutes(Integer.parseInt(parts[1])));
        return parts.length > 2 ? t.plusMillis(Math.round(Double.parseDouble(parts[2]) * 1000)) : t;
    }

    ReconcileHarness version(String ocppVersion) {
        this.version = ocppVersion;
        return this;
    }

    /** Later frames come on this session of this pod (a reconnect). */
    ReconcileHarness on(String sessionId, String podId) {
        this.session = sessionId;
        this.pod = podId;
        return this;
    }

    // --- 1.6 ---

    /** Start(conn, tag, ts, meter) answered with {@code id} (null: never answered). Returns the message id. */
    String start(int connector, String tag, String ts, double meter, String id) {
        String messageId = call(
                "StartTransaction",
                JSON.objectNode()
                        .put("connectorId", connector)
                        .put("idTag", tag)
                        .put("timestamp", at(ts).toString())
                        .put("meterStart", (int) meter),
                at(ts));
        if (id != null) {
            answer(
                    messageId,
                    "StartTransaction",
                    JSON.objectNode()
                            .put("transactionId", Integer.parseInt(id))
                            .set("idTagInfo", JSON.objectNode().put("status", "Accepted")));
        }
        return messageId;
    }

    /** MV(tx, ts, v) with the energy register in Wh. */
    void meter(String tx, String ts, double wh) {
        ObjectNode sample = JSON.objectNode().put("timestamp", at(ts).toString());
        sample.putArray("sampledValue")
                .addObject()
                .put("value", String.valueOf((int) wh))
                .put("measurand", "Energy.Active.Import.Register")
                .put("unit", "Wh");
        ObjectNode payload = JSON.objectNode().put("connectorId", 1).put("transactionId", Integer.parseInt(tx));
        payload.putArray("meterValue").add(sample);
        call("MeterValues", payload, at(ts));
    }

    /** Stop(tx, meter, ts). */
    void stop(String tx, double meter, String ts) {
        stop(tx, meter, ts, "Local");
    }

    /** Stop(tx, meter, ts) with its reason (null: none named). */
    void stop(String tx, double meter, String ts, String reason) {
        ObjectNode p = JSON.objectNode()
                .put("transactionId", Integer.parseInt(tx))
                .put("meterStop", (int) meter)
                .put("timestamp", at(ts).toString());
        if (reason != null) {
            p.put("reason", reason);
        }
        call("StopTransaction", p, at(ts));
    }

    /** A BootNotification CALL at the current wall clock. */
    void boot() {
        call("BootNotification", JSON.objectNode().put("chargePointVendor", "V").put("chargePointModel", "M"), wall);
    }

    void heartbeat() {
        call("Heartbeat", JSON.objectNode(), wall);
    }

    // --- 2.x ---

    /** TE(tx, type, seq) with an energy reading in Wh (null: no meter value). */
    void txEvent(String tx, String type, int seq, String ts, boolean offline, String trigger, Double wh) {
        txEvent(tx, type, seq, ts, offline, trigger, wh, null);
    }

    /** TE(tx, type, seq) with {@code transactionInfo.stoppedReason} (null: none). */
    void txEvent(
            String tx,
            String type,
            int seq,
            String ts,
            boolean offline,
            String trigger,
            Double wh,
            String stoppedReason) {
        ObjectNode p = JSON.objectNode()
                .put("eventType", type)
                .put("timestamp", at(ts).toString())
                .put("triggerReason", trigger)
                .put("seqNo", seq);
        if (offline) {
            p.put("offline", true);
        }
        ObjectNode info = p.putObject("transactionInfo").put("transactionId", tx);
        if (stoppedReason != null) {
            info.put("stoppedReason", stoppedReason);
        }
        p.putObject("evse").put("id", 1).put("connectorId", 1);
        if (type.equals("Started")) {
            p.putObject("idToken").put("idToken", "T").put("type", "ISO14443");
        }
        if (wh != null) {
            ObjectNode sample = p.putArray("meterValue").addObject().put("timestamp", at(ts).toString());
            sample.putArray("sampledValue")
                    .addObject()
                    .put("value", wh)
                    .put("measurand", "Energy.Active.Import.Register");
        }
        call("TransactionEvent", p, at(ts));
    }

    // --- plumbing ---

    String call(String action, ObjectNode payload, Instant cpTime) {
        String messageId = "m" + messageIds.incrementAndGet();
        if (cpTime.isAfter(wall)) {
            advanceTo(cpTime);
        }
        pipe(new JournalEntry(
                CP, pod, session, version, Direction.FROM_CP, "CALL", messageId, action, payload, null, wall));
        return messageId;
    }

    void answer(String messageId, String action, ObjectNode payload) {
        pipe(new JournalEntry(
                CP, pod, session, version, Direction.TO_CP, "CALLRESULT", messageId, action, payload, null, wall));
    }

    void pipe(JournalEntry entry) {
        written.add(entry);
        journal.pipeInput(entry.chargePointId(), entry, entry.at());
    }

    /** Writes the same journal records again, as a re-read or a replay would. */
    void replay(List<JournalEntry> entries) {
        entries.forEach(e -> journal.pipeInput(e.chargePointId(), e, e.at()));
    }

    void advance(Duration d) {
        advanceTo(wall.plus(d));
    }

    void advanceTo(Instant t) {
        Duration d = Duration.between(wall, t);
        wall = t;
        driver.advanceWallClockTime(d);
    }

    Instant wall() {
        return wall;
    }

    /** Every record the app writes must fit its public schema. */
    private static <T> T fitsItsSchema(T record) {
        assertThat(RecordSchemas.violations(record))
                .as("%s against its schema", record)
                .isEmpty();
        return record;
    }

    /** Every reconciliation event so far. */
    List<ReconciliationEvent> events() {
        events.readValuesToList().forEach(e -> seenEvents.add(fitsItsSchema(e)));
        return List.copyOf(seenEvents);
    }

    List<ReconciliationEvent.Type> eventTypes() {
        return events().stream().map(ReconciliationEvent::type).toList();
    }

    /** The latest state of every transaction on {@code transactions}, as a compacted read would see it. */
    Map<String, TransactionState> transactions() {
        for (KeyValue<String, TransactionState> kv : transactions.readKeyValuesToList()) {
            if (kv.value == null) {
                latest.remove(kv.key);
            } else {
                latest.put(kv.key, fitsItsSchema(kv.value));
            }
        }
        return Map.copyOf(latest);
    }

    TransactionState tx(String id) {
        return transactions().get(TransactionKey.of(CP, id));
    }

    ChargePointBook book() {
        KeyValueStore<String, ChargePointBook> store = driver.getKeyValueStore(StoreNames.BOOKS);
        return store.get(CP);
    }

    double duplicates(String kind) {
        Counter c = registry.find("ocppgw_reconcile_duplicates_dropped")
                .tag("kind", kind)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
