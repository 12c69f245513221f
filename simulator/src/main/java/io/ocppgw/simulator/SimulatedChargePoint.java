package io.ocppgw.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A charge point that behaves like real firmware: it sends BootNotification first and nothing else
 * until Accepted, heartbeats, reconnects with exponential back-off and jitter, and keeps
 * transaction-related messages (1.6 StartTransaction/MeterValues/StopTransaction, 2.x
 * TransactionEvent) in an offline queue that is sent in order, one at a time, and resent after a
 * reconnect until answered (1.6 {@code TransactionMessageAttempts} bounds retries after CALLERRORs).
 * It records every message the CSMS acknowledged, so a test can prove none was lost.
 */
public final class SimulatedChargePoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedChargePoint.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** How this charge point behaves. */
    public record Settings(
            String baseUrl,
            String identity,
            OcppVersion version,
            Optional<String> password,
            Duration heartbeatInterval,
            Duration reconnectBase,
            Duration reconnectMax,
            int transactionMessageAttempts,
            Duration transactionMessageRetryInterval,
            Duration callTimeout) {
        public static Settings of(String baseUrl, String identity, OcppVersion version) {
            return new Settings(
                    baseUrl,
                    identity,
                    version,
                    Optional.empty(),
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    3,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30));
        }

        public Settings withPassword(String secret) {
            return new Settings(
                    baseUrl,
                    identity,
                    version,
                    Optional.of(secret),
                    heartbeatInterval,
                    reconnectBase,
                    reconnectMax,
                    transactionMessageAttempts,
                    transactionMessageRetryInterval,
                    callTimeout);
        }

        public Settings withReconnect(Duration base, Duration max) {
            return new Settings(
                    baseUrl,
                    identity,
                    version,
                    password,
                    heartbeatInterval,
                    base,
                    max,
                    transactionMessageAttempts,
                    transactionMessageRetryInterval,
                    callTimeout);
        }

        public Settings withHeartbeat(Duration interval) {
            return new Settings(
                    baseUrl,
                    identity,
                    version,
                    password,
                    interval,
                    reconnectBase,
                    reconnectMax,
                    transactionMessageAttempts,
                    transactionMessageRetryInterval,
                    callTimeout);
        }
    }

    /** A message the CSMS answered with a CALLRESULT. */
    public record Delivered(String action, String messageId, ObjectNode request, ObjectNode answer, Instant at) {}

    /** A transaction as this charge point knows it; the 1.6 id comes from the StartTransaction answer. */
    public static final class LocalTransaction {
        private final String localId = UUID.randomUUID().toString();
        private final int connectorId;
        private volatile long transactionId = -1;
        private int seqNo; // 2.x, guarded by the charge point

        LocalTransaction(int connectorId) {
            this.connectorId = connectorId;
        }

        /** 1.6: the id the CSMS gave (-1 until answered); 2.x: the charge point's own id. */
        public String id() {
            return transactionId >= 0 ? String.valueOf(transactionId) : localId;
        }

        public int connectorId() {
            return connectorId;
        }
    }

    private enum State {
        DISCONNECTED,
        CONNECTING,
        BOOTING,
        ONLINE,
        STOPPED
    }

    /** A queued transaction message; its payload is built when sent (a 1.6 transactionId may only be known then). */
    private record Queued(
            String action,
            java.util.function.Supplier<ObjectNode> payload,
            java.util.function.Consumer<ObjectNode> onAnswer) {}

    private final Settings settings;
    private final ScheduledExecutorService timers;
    private final FleetStats stats;
    private final Clock clock;
    private final Deque<Queued> queue = new ArrayDeque<>();
    private final List<Delivered> delivered = new ArrayList<>();
    private State state = State.DISCONNECTED;
    private OcppClient client;
    private boolean sendingQueued;
    private int attemptsOfHead;
    private int failedConnects;
    private boolean everConnected;
    private long droppedAfterAttempts;

    public SimulatedChargePoint(Settings settings, ScheduledExecutorService timers, FleetStats stats, Clock clock) {
        this.settings = settings;
        this.timers = timers;
        this.stats = stats;
        this.clock = clock;
    }

    public String identity() {
        return settings.identity();
    }

    public synchronized void start() {
        if (state == State.DISCONNECTED) {
            connect();
        }
    }

    public synchronized boolean isOnline() {
        return state == State.ONLINE;
    }

    /** Transaction messages not yet acknowledged. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Every message the CSMS acknowledged, in the order it did. */
    public synchronized List<Delivered> delivered() {
        return List.copyOf(delivered);
    }

    public synchronized long droppedAfterAttempts() {
        return droppedAfterAttempts;
    }

    /** Sends Authorize now if online (not queued: firmware authorizes locally when offline). */
    public CompletableFuture<OcppFrame> authorize(String idTag) {
        OcppClient c;
        synchronized (this) {
            if (state != State.ONLINE) {
                return CompletableFuture.failedFuture(new IllegalStateException("offline"));
            }
            c = client;
        }
        ObjectNode p = JSON.objectNode();
        if (settings.version().isTwoX()) {
            p.putObject("idToken").put("idToken", idTag).put("type", "ISO14443");
        } else {
            p.put("idTag", idTag);
        }
        return timedCall(c, "Authorize", p);
    }

    public synchronized LocalTransaction startTransaction(int connectorId, String idTag, long meterStartWh) {
        LocalTransaction tx = new LocalTransaction(connectorId);
        String time = now();
        if (settings.version().isTwoX()) {
            ObjectNode event = transactionEvent(tx, "Started", "Authorized", time, meterStartWh);
            event.set("idToken", JSON.objectNode().put("idToken", idTag).put("type", "ISO14443"));
            enqueue("TransactionEvent", () -> event, a -> {});
        } else {
            enqueue(
                    "StartTransaction",
                    () -> JSON.objectNode()
                            .put("connectorId", connectorId)
                            .put("idTag", idTag)
                            .put("meterStart", meterStartWh)
                            .put("timestamp", time),
                    a -> tx.transactionId = a.path("transactionId").asLong(-1));
        }
        return tx;
    }

    public synchronized void meterValue(LocalTransaction tx, long energyWh) {
        String time = now();
        if (settings.version().isTwoX()) {
            ObjectNode event = transactionEvent(tx, "Updated", "MeterValuePeriodic", time, energyWh);
            enqueue("TransactionEvent", () -> event, a -> {});
        } else {
            enqueue(
                    "MeterValues",
                    () -> {
                        ObjectNode p = JSON.objectNode()
                                .put("connectorId", tx.connectorId())
                                .put("transactionId", tx.transactionId);
                        p.putArray("meterValue")
                                .addObject()
                                .put("timestamp", time)
                                .putArray("sampledValue")
                                .addObject()
                                .put("value", String.valueOf(energyWh))
                                .put("measurand", "Energy.Active.Import.Register")
                                .put("unit", "Wh");
                        return p;
                    },
                    a -> {});
        }
    }

    public synchronized void stopTransaction(LocalTransaction tx, long meterStopWh) {
        String time = now();
        if (settings.version().isTwoX()) {
            ObjectNode event = transactionEvent(tx, "Ended", "StopAuthorized", time, meterStopWh);
            enqueue("TransactionEvent", () -> event, a -> {});
        } else {
            enqueue(
                    "StopTransaction",
                    () -> JSON.objectNode()
                            .put("transactionId", tx.transactionId)
                            .put("meterStop", meterStopWh)
                            .put("timestamp", time)
                            .put("reason", "Local"),
                    a -> {});
        }
    }

    @Override
    public synchronized void close() {
        state = State.STOPPED;
        if (client != null) {
            client.close();
        }
    }

    /** Like losing power: the TCP connection drops without a close handshake; the charge point reconnects. */
    public synchronized void dropConnection() {
        if (client != null) {
            client.abort();
        }
    }

    // --- connection life ---

    private void connect() {
        state = State.CONNECTING;
        OcppClient.Options options = OcppClient.Options.of(settings.version())
                .withHandler((action, request) -> CsmsCallAnswers.answer(settings.version(), action, request));
        if (settings.password().isPresent()) {
            options = options.withPassword(settings.password().get());
        }
        OcppClient.connect(settings.baseUrl(), settings.identity(), options).whenComplete((c, error) -> {
            synchronized (this) {
                if (state == State.STOPPED) {
                    if (c != null) {
                        c.close();
                    }
                    return;
                }
                if (error != null || c.version().isEmpty()) {
                    if (c != null) {
                        c.abort();
                    }
                    stats.refused(error != null ? whyRefused(error) : "no OCPP subprotocol agreed");
                    failedConnects++;
                    scheduleReconnect();
                    return;
                }
                failedConnects = 0;
                client = c;
                state = State.BOOTING;
                stats.connected(!everConnected);
                everConnected = true;
                c.closed().whenComplete((how, e) -> onClosed(c));
                boot(c);
            }
        });
    }

    /** A failed connection attempt in a few words an operator can act on. */
    static String whyRefused(Throwable error) {
        Throwable deepest = error;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof OcppClient.HandshakeRefused refused) {
                return "HTTP " + refused.status()
                        + switch (refused.status()) {
                            case 401 -> " (credentials refused)";
                            case 403 -> " (forbidden)";
                            case 404 -> " (unknown path or identity)";
                            case 429 -> " (too many upgrades or failed logins)";
                            case 503 -> " (gateway not ready or full)";
                            default -> "";
                        };
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            deepest = cause;
        }
        String message = deepest.getMessage();
        return deepest.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private void onClosed(OcppClient c) {
        synchronized (this) {
            if (client != c) {
                return;
            }
            client = null;
            sendingQueued = false;
            stats.disconnected();
            if (state == State.STOPPED) {
                return;
            }
            state = State.DISCONNECTED;
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        state = State.DISCONNECTED;
        stats.reconnecting();
        long base = settings.reconnectBase().toMillis();
        long capped = Math.min(settings.reconnectMax().toMillis(), base << Math.min(failedConnects, 20));
        long delay =
                (long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5)); // jitter: no thundering herd
        timers.schedule(
                () -> {
                    synchronized (this) {
                        if (state == State.DISCONNECTED) {
                            connect();
                        }
                    }
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    private void boot(OcppClient c) {
        ObjectNode payload = settings.version().isTwoX()
                ? bootRequest2x()
                : JSON.objectNode().put("chargePointVendor", "ocppgw").put("chargePointModel", "Simulator");
        timedCall(c, "BootNotification", payload).whenComplete((answer, e) -> {
            synchronized (this) {
                if (client != c || e != null) {
                    return; // the connection went away; reconnect boots again
                }
                if (answer instanceof OcppFrame.CallResult r
                        && "Accepted".equals(r.payload().path("status").asText())) {
                    state = State.ONLINE;
                    scheduleHeartbeat(c);
                    pump();
                    return;
                }
                long retry = answer instanceof OcppFrame.CallResult r
                        ? Math.max(1, r.payload().path("interval").asLong(10))
                        : 10;
                timers.schedule(() -> boot(c), retry, TimeUnit.SECONDS);
            }
        });
    }

    private static ObjectNode bootRequest2x() {
        ObjectNode p = JSON.objectNode().put("reason", "PowerUp");
        p.putObject("chargingStation").put("model", "Simulator").put("vendorName", "ocppgw");
        return p;
    }

    private void scheduleHeartbeat(OcppClient c) {
        timers.schedule(
                () -> {
                    synchronized (this) {
                        if (client != c || state != State.ONLINE) {
                            return;
                        }
                    }
                    timedCall(c, "Heartbeat", JSON.objectNode()).whenComplete((a, e) -> scheduleHeartbeat(c));
                },
                settings.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // --- the offline queue ---

    private void enqueue(
            String action,
            java.util.function.Supplier<ObjectNode> payload,
            java.util.function.Consumer<ObjectNode> onAnswer) {
        queue.addLast(new Queued(action, payload, onAnswer));
        pump();
    }

    /** Sends the head of the queue if online and nothing is outstanding. Called with the lock held. */
    private void pump() {
        if (state != State.ONLINE || sendingQueued || queue.isEmpty()) {
            return;
        }
        Queued head = queue.peekFirst();
        OcppClient c = client;
        sendingQueued = true;
        ObjectNode payload = head.payload().get();
        timedCall(c, head.action(), payload).whenComplete((answer, error) -> {
            synchronized (this) {
                if (client != c) {
                    return; // the socket went away: the head stays queued and is resent after reconnect
                }
                sendingQueued = false;
                if (error != null) {
                    return; // timed out or closed; onClosed or the next connect resends
                }
                if (answer instanceof OcppFrame.CallResult r) {
                    queue.pollFirst();
                    attemptsOfHead = 0;
                    head.onAnswer().accept(r.payload());
                    delivered.add(new Delivered(head.action(), r.messageId(), payload, r.payload(), clock.instant()));
                    pump();
                    return;
                }
                attemptsOfHead++;
                if (attemptsOfHead >= settings.transactionMessageAttempts()) {
                    LOG.warn("{} dropped {} after {} CALLERRORs", settings.identity(), head.action(), attemptsOfHead);
                    queue.pollFirst();
                    attemptsOfHead = 0;
                    droppedAfterAttempts++;
                    pump();
                } else {
                    timers.schedule(
                            () -> {
                                synchronized (this) {
                                    pump();
                                }
                            },
                            settings.transactionMessageRetryInterval().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    /**
     * A 2.x TransactionEvent, built once when the event happens: a resend after a reconnect keeps its
     * seqNo, and {@code offline} says it happened while the charge point was offline. Lock held.
     */
    private ObjectNode transactionEvent(LocalTransaction tx, String type, String trigger, String time, long energyWh) {
        int seq = tx.seqNo++;
        boolean offline = state != State.ONLINE;
        ObjectNode p = JSON.objectNode()
                .put("eventType", type)
                .put("timestamp", time)
                .put("triggerReason", trigger)
                .put("seqNo", seq);
        if (offline) {
            p.put("offline", true);
        }
        p.putObject("transactionInfo").put("transactionId", tx.localId);
        p.putObject("evse").put("id", tx.connectorId()).put("connectorId", 1);
        p.putArray("meterValue")
                .addObject()
                .put("timestamp", time)
                .putArray("sampledValue")
                .addObject()
                .put("value", energyWh)
                .put("measurand", "Energy.Active.Import.Register");
        return p;
    }

    private CompletableFuture<OcppFrame> timedCall(OcppClient c, String action, ObjectNode payload) {
        long start = System.nanoTime();
        stats.sent();
        return c.call(action, payload)
                .orTimeout(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, e) -> {
                    if (e != null) {
                        stats.failed();
                    } else {
                        stats.answered(
                                TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start),
                                answer instanceof OcppFrame.CallResult);
                    }
                });
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
