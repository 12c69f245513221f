package io.ocppgw.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EdgeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EdgeMetrics metrics = new EdgeMetrics(registry, () -> 0, () -> 0);

    @Test
    void shouldLabelActionsNoVersionDefinesAsUnknownSoInventedNamesCannotGrowTheRegistry() {
        for (int i = 0; i < 100; i++) {
            metrics.frameIn("CALL", "MakeCoffee" + i);
            metrics.frameOut("CALLERROR", "MakeCoffee" + i);
            metrics.answered("MakeCoffee" + i, "ack", Duration.ofMillis(1));
            metrics.validationFailure("MakeCoffee" + i, "strict");
        }

        assertThat(registry.getMeters())
                .extracting(m -> m.getId().getTag("action"))
                .containsOnly("unknown", null);
        assertThat(registry.get("ocppgw_edge_frames_in").counters()).hasSize(1);
        assertThat(registry.get("ocppgw_edge_frames_in")
                        .tag("action", "unknown")
                        .counter()
                        .count())
                .isEqualTo(100);
        assertThat(registry.get("ocppgw_edge_answer_latency")
                        .tag("action", "unknown")
                        .timer()
                        .count())
                .isEqualTo(100);
    }

    @Test
    void shouldKeepTheNamesOfActionsOfEveryVersion() {
        metrics.frameIn("CALL", "StartTransaction"); // 1.6 only
        metrics.frameIn("CALL", "TransactionEvent"); // 2.0.1 and 2.1
        metrics.frameIn("CALL", "Heartbeat");
        metrics.frameIn("CALL", "Heartbeat");
        metrics.frameIn("INVALID", "-");

        assertThat(registry.get("ocppgw_edge_frames_in").counters())
                .extracting(c -> c.getId().getTag("action"))
                .containsExactlyInAnyOrder("StartTransaction", "TransactionEvent", "Heartbeat", "-");
        assertThat(registry.get("ocppgw_edge_frames_in")
                        .tag("action", "Heartbeat")
                        .counter()
                        .count())
                .isEqualTo(2);
    }
}
