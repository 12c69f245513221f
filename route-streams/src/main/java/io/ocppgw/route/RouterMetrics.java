package io.ocppgw.route;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocppgw.topics.records.CommandResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** route-streams' own metrics, named once here; each meter is made once and kept. */
public final class RouterMetrics {

    private final MeterRegistry registry;
    private final Timer routingLatency;
    private final Counter routed;
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> recordsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> recordsOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> storeWrites = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.routingLatency = Timer.builder("ocppgw_route_routing_latency")
                .description("From a command's requestedAt to its RoutedCommand")
                .publishPercentileHistogram()
                .register(registry);
        this.routed = Counter.builder("ocppgw_route_routed")
                .description("RoutedCommands written (every attempt)")
                .register(registry);
    }

    void routed(Duration sinceRequested) {
        routed.increment();
        if (!sinceRequested.isNegative()) {
            routingLatency.record(sinceRequested);
        }
    }

    void outcome(CommandResult result) {
        String reason = result.reason() == null ? "none" : result.reason().name();
        outcomes.computeIfAbsent(
                        result.status().name() + "/" + reason,
                        k -> Counter.builder("ocppgw_route_outcomes")
                                .description("Command results written, by status and reason")
                                .tags("status", result.status().name(), "reason", reason)
                                .register(registry))
                .increment();
    }

    /** Something the rules counted: duplicate, parked, rekeyed, a stale report … */
    void event(String what) {
        counter(
                        events,
                        "ocppgw_route_events",
                        "What route-streams saw that needs no result: duplicates, parked commands, stale reports, moved records",
                        "event",
                        what)
                .increment();
    }

    void recordIn(String topic) {
        counter(recordsIn, "ocppgw_route_records_in", "Records read, by input topic", "topic", topic)
                .increment();
    }

    void recordOut(String topic) {
        counter(recordsOut, "ocppgw_route_records_out", "Records written, by output topic", "topic", topic)
                .increment();
    }

    void storeWrite(String store) {
        counter(
                        storeWrites,
                        "ocppgw_route_store_writes",
                        "Puts and deletes on route-streams' stores (before Streams' record cache)",
                        "store",
                        store)
                .increment();
    }

    /** A record route-streams skipped outside a task (its global lease store): counted where the apps count bad records. */
    void badRecord(String topic, String problem) {
        Counter.builder("ocppgw_bad_records")
                .description("Records a streams app could not use: counted, dead-lettered and skipped")
                .tags("topic", topic, "problem", problem)
                .register(registry)
                .increment();
    }

    private Counter counter(Map<String, Counter> byValue, String name, String description, String tag, String value) {
        Counter c = byValue.get(value);
        return c != null
                ? c
                : byValue.computeIfAbsent(
                        value,
                        v -> Counter.builder(name)
                                .description(description)
                                .tag(tag, v)
                                .register(registry));
    }
}
