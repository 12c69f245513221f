package io.ocppgw.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** The edge's own metrics (DESIGN §9), named once here. */
public final class EdgeMetrics {

    private final MeterRegistry registry;
    private final Timer persistLatency;

    public EdgeMetrics(MeterRegistry registry, Supplier<Number> connections, Supplier<Number> inFlightWrites) {
        this.registry = registry;
        // strong references: a gauge on a lambda would otherwise be collected and read NaN
        io.micrometer.core.instrument.Gauge.builder("ocppgw_edge_connections", connections, s -> s.get().doubleValue())
                .description("Open charge point sessions").strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("ocppgw_edge_kafka_writes_in_flight", inFlightWrites, s -> s.get().doubleValue())
                .description("Kafka writes waiting for their ack").strongReference(true).register(registry);
        this.persistLatency = Timer.builder("ocppgw_edge_persist_latency")
                .description("From a CALL's arrival to Kafka's ack of its journal record")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Which pod and partition this is, as a constant 1 with labels (for joins in dashboards). */
    public void podInfo(String podId, int partition) {
        io.micrometer.core.instrument.Gauge.builder("ocppgw_edge_pod", () -> 1).tag("pod", podId)
                .tag("partition", String.valueOf(partition)).strongReference(true).register(registry);
    }

    public void upgrade(String outcome) {
        Counter.builder("ocppgw_edge_upgrades").tag("outcome", outcome).register(registry).increment();
    }

    public void frameIn(String messageType, String action) {
        Counter.builder("ocppgw_edge_frames_in").tag("type", messageType).tag("action", action).register(registry).increment();
    }

    public void frameOut(String messageType, String action) {
        Counter.builder("ocppgw_edge_frames_out").tag("type", messageType).tag("action", action).register(registry).increment();
    }

    public void persisted(Duration latency) {
        persistLatency.record(latency);
    }

    public void answered(String action, String responder, Duration latency) {
        Timer.builder("ocppgw_edge_answer_latency").tag("action", action).tag("responder", responder)
                .publishPercentileHistogram().register(registry).record(latency);
    }

    public void closed(String reason) {
        Counter.builder("ocppgw_edge_closes").tag("reason", reason).register(registry).increment();
    }

    public void validationFailure(String action, String policy) {
        Counter.builder("ocppgw_edge_validation_failures").tag("action", action).tag("policy", policy).register(registry).increment();
    }

    public void commandOutcome(String status) {
        Counter.builder("ocppgw_edge_command_reports").tag("status", status).register(registry).increment();
    }

    public void commandRoundTrip(Duration latency) {
        Timer.builder("ocppgw_edge_command_round_trip").description("From a command's CALL on the wire to the charge point's answer")
                .publishPercentileHistogram().register(registry).record(latency);
    }

    public void reply(String outcome) {
        Counter.builder("ocppgw_edge_replies").tag("outcome", outcome).register(registry).increment();
    }

    public void downstream(String event) {
        Counter.builder("ocppgw_edge_downstream_events").tag("event", event).register(registry).increment();
    }

    public void queueDepth(Supplier<Number> depth) {
        io.micrometer.core.instrument.Gauge.builder("ocppgw_edge_command_queue_depth", depth, s -> s.get().doubleValue())
                .description("Commands waiting or outstanding over all sessions").strongReference(true).register(registry);
    }

    public void dropped(String reason) {
        Counter.builder("ocppgw_edge_frames_dropped").tag("reason", reason).register(registry).increment();
    }
}
