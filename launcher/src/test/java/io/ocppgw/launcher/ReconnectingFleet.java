package io.ocppgw.launcher;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ocppgw.protocol.OcppFrame;
import io.ocppgw.protocol.OcppVersion;
import io.ocppgw.simulator.CsmsCallAnswers;
import io.ocppgw.simulator.OcppClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

/**
 * OCPP 1.6 charge points that behave like real ones through faults: each answers every CALL after
 * {@code answerDelayMillis}, sends a Heartbeat every 2 s, and reconnects half a second after its
 * socket closed or a Heartbeat went unanswered for {@code callTimeoutSeconds} (a peer that vanished
 * without a FIN is only noticed that way). It records what the wire showed: every command CALL id
 * received (with how often), every CALL of its own the gateway acknowledged, every close the
 * gateway made and every upgrade it refused.
 */
final class ReconnectingFleet implements AutoCloseable {

    private final IntSupplier port;
    private final long answerDelayMillis;
    private final int callTimeoutSeconds;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
    private final Map<String, OcppClient> online = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> gatewayCloses = new ConcurrentHashMap<>();
    private final AtomicInteger refusedUpgrades = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** @param port the port charge points connect to (a balancer's), read on every connect */
    ReconnectingFleet(IntSupplier port, long answerDelayMillis, int callTimeoutSeconds) {
        this.port = port;
        this.answerDelayMillis = answerDelayMillis;
        this.callTimeoutSeconds = callTimeoutSeconds;
    }

    /** Keeps {@code count} charge points {@code <prefix>0…} connected; returns their ids. */
    List<String> keepConnected(String prefix, int count) {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        ids.forEach(this::keepConnected);
        return ids;
    }

    void keepConnected(String cp) {
        if (!running.get()) {
            return;
        }
        OcppClient.connect(
                        "ws://127.0.0.1:" + port.getAsInt() + "/ocpp",
                        cp,
                        OcppClient.Options.of(OcppVersion.OCPP_1_6)
                                .withCallObserver(id -> received.computeIfAbsent(id, k -> new AtomicInteger())
                                        .incrementAndGet())
                                .withHandler((action, request) -> {
                                    sleep(answerDelayMillis);
                                    return CsmsCallAnswers.answer(OcppVersion.OCPP_1_6, action, request);
                                }))
                .whenComplete((client, error) -> {
                    if (error != null) {
                        if (error.getCause() instanceof OcppClient.HandshakeRefused
                                || error instanceof OcppClient.HandshakeRefused) {
                            refusedUpgrades.incrementAndGet();
                        }
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
                    client.closed().whenComplete((c, e) -> {
                        if (!ended.get() && running.get() && c != null && c.code() != 1006) {
                            gatewayCloses
                                    .computeIfAbsent(c.code() + " " + c.reason(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                        reconnect.run();
                    });
                    heartbeat(client, ended, reconnect);
                });
    }

    private void heartbeat(OcppClient client, AtomicBoolean ended, Runnable reconnect) {
        timers.schedule(
                () -> {
                    if (ended.get() || !running.get()) {
                        return;
                    }
                    client.call("Heartbeat", JsonNodeFactory.instance.objectNode())
                            .orTimeout(callTimeoutSeconds, TimeUnit.SECONDS)
                            .whenComplete((answer, error) -> {
                                if (error != null) {
                                    reconnect.run();
                                    return;
                                }
                                if (answer instanceof OcppFrame.CallResult) {
                                    acknowledged.add(answer.messageId());
                                }
                                heartbeat(client, ended, reconnect);
                            });
                },
                2,
                TimeUnit.SECONDS);
    }

    int online() {
        return online.size();
    }

    /** How often the command CALL with this id reached a charge point. */
    int received(String commandId) {
        AtomicInteger n = received.get(commandId);
        return n == null ? 0 : n.get();
    }

    /** Ids of the charge points' own CALLs the gateway answered with a CALLRESULT. */
    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** Closes the gateway sent ("code reason" → count); a dropped connection (1006) is not one. */
    Map<String, Integer> gatewayCloses() {
        Map<String, Integer> copy = new TreeMap<>();
        gatewayCloses.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Upgrades the gateway refused (an HTTP status instead of 101). */
    int refusedUpgrades() {
        return refusedUpgrades.get();
    }

    /** Forgets the closes and refusals seen so far. */
    void resetCloses() {
        gatewayCloses.clear();
        refusedUpgrades.set(0);
    }

    @Override
    public void close() {
        running.set(false);
        online.values().forEach(OcppClient::abort);
        timers.shutdownNow();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
