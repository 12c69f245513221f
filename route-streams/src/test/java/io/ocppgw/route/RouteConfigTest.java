package io.ocppgw.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppgw.support.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class RouteConfigTest {

    @Test
    void shouldDefaultToExactlyOnceAndTheDesignsPort() {
        RouteConfig c =
                RouteConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "OCPPGW_TOPIC_PREFIX", "site1."));

        assertThat(c.streams().adminPort()).isEqualTo(9081);
        assertThat(c.streams().processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(c.streams().applicationId()).isEqualTo("site1.ocppgw-route");
        var props = c.streams().properties();
        assertThat(props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(0L);
        assertThat(props.get(StreamsConfig.producerPrefix("linger.ms"))).isEqualTo(5);
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("127.0.0.1:9081");
        assertThat(c.settings().defaultTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
    }

    @Test
    void shouldRunTheStreamThreadsItIsGiven() {
        RouteConfig c = RouteConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "OCPPGW_STREAM_THREADS", "2"));

        assertThat(c.streams().properties().get(StreamsConfig.NUM_STREAM_THREADS_CONFIG))
                .isEqualTo(2);
    }

    @Test
    void shouldNameEveryBadVariable() {
        assertThatThrownBy(() -> RouteConfig.fromEnv(Map.of(
                        "OCPPGW_PROCESSING_GUARANTEE",
                        "exactly_once",
                        "OCPPGW_MAX_ATTEMPTS",
                        "0",
                        "OCPPGW_STREAM_THREADS",
                        "0")))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "OCPPGW_BOOTSTRAP_SERVER (or KAFKA_BOOTSTRAP_SERVERS) is not set: it is required",
                                        "OCPPGW_PROCESSING_GUARANTEE='exactly_once': must be exactly_once_v2 or at_least_once",
                                        "OCPPGW_MAX_ATTEMPTS='0': must be a whole number from 1 to 100",
                                        "OCPPGW_STREAM_THREADS='0': must be a whole number from 1 to 64"));
    }
}
