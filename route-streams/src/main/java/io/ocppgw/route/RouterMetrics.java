package io.ocppgw.route;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** route-streams' own metrics (DESIGN §9), named once here. */
public final class RouterMetrics {

    private final MeterRegistry registry;
    private final Timer routingLatency;

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.routingLatency = Timer.builder("ocppgw_route_routing_latency")
                .description("From a command's requestedAt to its RoutedCommand").publishPercentileHistogram().register(registry);
    }

    void routed(Duration sinceRequested) {
        Counter.builder("ocppgw_route_routed").register(registry).increment();
        if (!sinceRequested.isNegative()) {
            routingLatency.record(sinceRequested);
        }
    }

    void outcome(String status) {
        Counter.builder("ocppgw_route_outcomes").tag("status", status).register(registry).increment();
    }

    void parked() {
        Counter.builder("ocppgw_route_parked").register(registry).increment();
    }

    void staleReply() {
        Counter.builder("ocppgw_route_stale_replies").register(registry).increment();
    }

    void duplicate() {
        Counter.builder("ocppgw_route_duplicate_commands").register(registry).increment();
    }
}
