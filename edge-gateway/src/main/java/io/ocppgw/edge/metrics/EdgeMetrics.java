package io.ocppgw.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocppgw.protocol.ActionCatalogue;
import io.ocppgw.protocol.OcppVersion;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The edge's own metrics, named once here. An action label is the action's name only when
 * some OCPP version defines it, else {@value #UNKNOWN_ACTION}: the name comes from the charge point, and
 * a label per invented name would grow the registry and every scrape without bound. The per-frame
 * meters are kept once made, so a frame costs a map lookup, not a meter id built and registered.
 */
public final class EdgeMetrics {

    static final String UNKNOWN_ACTION = "unknown";
    private static final Set<String> KNOWN_ACTIONS = Arrays.stream(OcppVersion.values())
            .flatMap(v -> ActionCatalogue.actions(v).stream())
            .collect(Collectors.toUnmodifiableSet());

    private final MeterRegistry registry;
    private final Timer persistLatency;
    private final Map<String, Counter> framesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<String, Timer> answerLatency = new ConcurrentHashMap<>();

    public EdgeMetrics(MeterRegistry registry, Supplier<Number> connections, Supplier<Number> inFlightWrites) {
        this.registry = registry;
        // strong references: a gauge on a lambda would otherwise be collected and read NaN
        io.micrometer.core.instrument.Gauge.builder(
                        "ocppgw_edge_connections", connections, s -> s.get().doubleValue())
                .description("Open charge point sessions")
                .strongReference(true)
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder(
                        "ocppgw_edge_kafka_writes_in_flight",
                        inFlightWrites,
                        s -> s.get().doubleValue())
                .description("Kafka writes waiting for their ack")
                .strongReference(true)
                .register(registry);
        this.persistLatency = Timer.builder("ocppgw_edge_persist_latency")
                .description("From a CALL's arrival to Kafka's ack of its journal record")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Which pod and partition this is, as a constant 1 with labels (for joins in dashboards). */
    public void podInfo(String podId, int partition) {
        io.micrometer.core.instrument.Gauge.builder("ocppgw_edge_pod", () -> 1)
                .tag("pod", podId)
                .tag("partition", String.valueOf(partition))
                .strongReference(true)
                .register(registry);
    }

    public void upgrade(String outcome) {
        Counter.builder("ocppgw_edge_upgrades")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** {@code action} as a label: itself if an OCPP version defines it, "-" for none, else {@value #UNKNOWN_ACTION}. */
    static String actionLabel(String action) {
        return action == null || "-".equals(action) ? "-" : KNOWN_ACTIONS.contains(action) ? action : UNKNOWN_ACTION;
    }

    public void frameIn(String messageType, String action) {
        frameCounter(framesIn, "ocppgw_edge_frames_in", messageType, actionLabel(action))
                .increment();
    }

    public void frameOut(String messageType, String action) {
        frameCounter(framesOut, "ocppgw_edge_frames_out", messageType, actionLabel(action))
                .increment();
    }

    private Counter frameCounter(Map<String, Counter> made, String name, String messageType, String actionLabel) {
        return made.computeIfAbsent(
                messageType + ' ' + actionLabel,
                k -> Counter.builder(name)
                        .tag("type", messageType)
                        .tag("action", actionLabel)
                        .register(registry));
    }

    public void persisted(Duration latency) {
        persistLatency.record(latency);
    }

    public void answered(String action, String responder, Duration latency) {
        String actionLabel = actionLabel(action);
        answerLatency
                .computeIfAbsent(
                        actionLabel + ' ' + responder,
                        k -> Timer.builder("ocppgw_edge_answer_latency")
                                .tag("action", actionLabel)
                                .tag("responder", responder)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(latency);
    }

    public void closed(String reason) {
        Counter.builder("ocppgw_edge_closes")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void validationFailure(String action, String policy) {
        Counter.builder("ocppgw_edge_validation_failures")
                .tag("action", actionLabel(action))
                .tag("policy", policy)
                .register(registry)
                .increment();
    }

    public void commandOutcome(String status) {
        Counter.builder("ocppgw_edge_command_reports")
                .tag("status", status)
                .register(registry)
                .increment();
    }

    public void commandRoundTrip(Duration latency) {
        Timer.builder("ocppgw_edge_command_round_trip")
                .description("From a command's CALL on the wire to the charge point's answer")
                .publishPercentileHistogram()
                .register(registry)
                .record(latency);
    }

    public void reply(String outcome) {
        Counter.builder("ocppgw_edge_replies")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    public void downstream(String event) {
        Counter.builder("ocppgw_edge_downstream_events")
                .tag("event", event)
                .register(registry)
                .increment();
    }

    public void queueDepth(Supplier<Number> depth) {
        io.micrometer.core.instrument.Gauge.builder(
                        "ocppgw_edge_command_queue_depth", depth, s -> s.get().doubleValue())
                .description("Commands waiting or outstanding over all sessions")
                .strongReference(true)
                .register(registry);
    }

    public void dropped(String reason) {
        Counter.builder("ocppgw_edge_frames_dropped")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void badRecord(String topic) {
        Counter.builder("ocppgw_bad_records")
                .description("Records the pod could not use: counted, dead-lettered and skipped")
                .tags("topic", topic, "problem", "unreadable")
                .register(registry)
                .increment();
    }
}
