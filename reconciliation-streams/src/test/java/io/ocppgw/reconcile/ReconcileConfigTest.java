package io.ocppgw.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppgw.support.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ReconcileConfigTest {

    @Test
    void shouldDefaultToTheDesignsPortGraceAndExactlyOnce() {
        ReconcileConfig c =
                ReconcileConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "OCPPGW_TOPIC_PREFIX", "site1."));

        assertThat(c.streams().adminPort()).isEqualTo(9082);
        assertThat(c.streams().applicationId()).isEqualTo("site1.ocppgw-reconcile");
        assertThat(c.streams().properties().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo("exactly_once_v2");
        assertThat(c.streams().properties().get(StreamsConfig.APPLICATION_SERVER_CONFIG))
                .isEqualTo("127.0.0.1:9082");
        assertThat(c.settings().grace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.settings().meterGapFactor()).isEqualTo(3.0);
        assertThat(c.settings().topics().prefix()).isEqualTo("site1.");
    }

    @Test
    void shouldNameEveryBadVariable() {
        assertThatThrownBy(() -> ReconcileConfig.fromEnv(Map.of(
                        "OCPPGW_GRACE", "5 minutes", "OCPPGW_METER_GAP_FACTOR", "1", "OCPPGW_TOPIC_PREFIX", "a/b")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "OCPPGW_BOOTSTRAP_SERVER (or KAFKA_BOOTSTRAP_SERVERS) is not set: it is required",
                                        "OCPPGW_GRACE='5 minutes': must be an ISO-8601 duration from PT1S to PT24H (e.g. PT10S)",
                                        "OCPPGW_METER_GAP_FACTOR='1': must be a whole number from 2 to 100",
                                        "OCPPGW_TOPIC_PREFIX='a/b': " + prefixRule()));
    }

    private static String prefixRule() {
        try {
            new io.ocppgw.topics.TopicNames("a/b");
            throw new AssertionError("a/b was accepted");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
