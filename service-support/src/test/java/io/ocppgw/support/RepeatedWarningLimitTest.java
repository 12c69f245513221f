package io.ocppgw.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedWarningLimitTest {

    private final LoggerContext context = new LoggerContext();
    private final AtomicLong now = new AtomicLong();
    private final RepeatedWarningLimit limit = new RepeatedWarningLimit("org.apache.kafka", 30_000_000_000L, now::get);
    private final Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");

    @Test
    void shouldLetOneKafkaWarningPerPatternThroughPerWindow() {
        String format = "Connection to node {} could not be established";

        assertThat(limit.decide(null, network, Level.WARN, format, new Object[] {-1}, null))
                .isEqualTo(FilterReply.NEUTRAL);
        now.addAndGet(1_000_000_000L);
        assertThat(limit.decide(null, network, Level.WARN, format, new Object[] {-1}, null))
                .isEqualTo(FilterReply.DENY);
        assertThat(limit.decide(null, network, Level.WARN, "Bootstrap broker {} disconnected", null, null))
                .as("another pattern has its own window")
                .isEqualTo(FilterReply.NEUTRAL);
        now.addAndGet(30_000_000_000L);
        assertThat(limit.decide(null, network, Level.WARN, format, new Object[] {-1}, null))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldLeaveOtherLevelsAndLoggersAlone() {
        Logger own = context.getLogger("io.ocppgw.support.KafkaWait");
        for (int i = 0; i < 3; i++) {
            assertThat(limit.decide(null, own, Level.WARN, "cannot reach Kafka", null, null))
                    .isEqualTo(FilterReply.NEUTRAL);
            assertThat(limit.decide(null, network, Level.ERROR, "broken", null, null))
                    .isEqualTo(FilterReply.NEUTRAL);
        }
    }
}
