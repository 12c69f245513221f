package io.ocppgw.support.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppgw.support.ConfigException;
import io.ocppgw.support.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    private static StreamsSettings settings(Map<String, String> vars) {
        Env env = new Env(vars);
        StreamsSettings s = StreamsSettings.fromEnv(env, vars, "route", "", "dead-letters", 9081);
        env.validate();
        return s;
    }

    @Test
    void shouldSetTheFailoverTimeoutsOnPurpose() {
        Properties p = settings(Map.of("OCPPGW_BOOTSTRAP_SERVER", "kafka:9092")).properties();

        assertThat(p)
                .containsEntry("session.timeout.ms", 6_000)
                .containsEntry("heartbeat.interval.ms", 2_000)
                .containsEntry("transaction.timeout.ms", 60_000)
                .containsEntry("request.timeout.ms", 5_000);
    }

    @Test
    void shouldLetTheOperatorsKafkaVariablesWinOverTheDefaults() {
        StreamsSettings s = settings(Map.of(
                "OCPPGW_BOOTSTRAP_SERVER",
                "kafka:9092",
                "KAFKA_SESSION_TIMEOUT_MS",
                "30000",
                "KAFKA_TRANSACTION_TIMEOUT_MS",
                "15000"));

        assertThat(s.properties())
                .containsEntry("session.timeout.ms", "30000")
                .containsEntry("transaction.timeout.ms", "15000")
                .containsEntry("producer.transaction.timeout.ms", "15000");
        assertThat(s.adminSettings())
                .containsEntry("request.timeout.ms", 5_000)
                .containsEntry("bootstrap.servers", "kafka:9092")
                .doesNotContainKey("heartbeat.interval.ms");
    }

    @Test
    void shouldCommitEagerlyWhenCaughtUpAndLetATransactionGrowToASecondWhenBehind() {
        StreamsSettings s = settings(Map.of("OCPPGW_BOOTSTRAP_SERVER", "kafka:9092"));

        assertThat(s.commitInterval()).isEqualTo(Duration.ofMillis(30));
        assertThat(s.properties()).containsEntry("commit.interval.ms", 1_000);
        assertThat(settings(Map.of("OCPPGW_BOOTSTRAP_SERVER", "kafka:9092", "OCPPGW_COMMIT_INTERVAL", "PT5S"))
                        .properties())
                .as("a longer commit interval is its own bound")
                .containsEntry("commit.interval.ms", 5_000);
        assertThat(settings(Map.of(
                                "OCPPGW_BOOTSTRAP_SERVER",
                                "kafka:9092",
                                "OCPPGW_PROCESSING_GUARANTEE",
                                "at_least_once",
                                "OCPPGW_COMMIT_INTERVAL",
                                "PT0.2S"))
                        .properties())
                .as("no pacing: Kafka Streams' interval is the one")
                .containsEntry("commit.interval.ms", 200);
    }

    @Test
    void shouldRefuseABacklogIntervalShorterThanTheCommitInterval() {
        assertThatThrownBy(() -> settings(Map.of(
                        "OCPPGW_BOOTSTRAP_SERVER",
                        "kafka:9092",
                        "OCPPGW_COMMIT_INTERVAL",
                        "PT2S",
                        "OCPPGW_BACKLOG_COMMIT_INTERVAL",
                        "PT1S")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OCPPGW_BACKLOG_COMMIT_INTERVAL='PT1S'")
                .hasMessageContaining("must not be shorter than OCPPGW_COMMIT_INTERVAL (PT2S)");
    }

    @Test
    void shouldRefuseTheStreamsRebalanceProtocolWithStaticMembershipAtStart() {
        assertThatThrownBy(() -> settings(Map.of(
                        "OCPPGW_BOOTSTRAP_SERVER",
                        "kafka:9092",
                        "KAFKA_GROUP_PROTOCOL",
                        "streams",
                        "OCPPGW_INSTANCE_ID",
                        "route-0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_GROUP_PROTOCOL='streams'")
                .hasMessageContaining("OCPPGW_INSTANCE_ID");
    }

    /** Why the gateway keeps the classic protocol: when a Kafka upgrade lifts this, the choice is to be measured again. */
    @Test
    void kafkaStreamsItselfRefusesTheStreamsProtocolWithAGroupInstanceId() {
        Properties p = settings(Map.of("OCPPGW_BOOTSTRAP_SERVER", "kafka:9092", "OCPPGW_INSTANCE_ID", "route-0"))
                .properties();
        p.put("group.protocol", "streams");

        assertThatThrownBy(() -> new org.apache.kafka.streams.StreamsConfig(p))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("static membership");
    }
}
