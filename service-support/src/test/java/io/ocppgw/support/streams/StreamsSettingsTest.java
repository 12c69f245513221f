package io.ocppgw.support.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppgw.support.Env;
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

        assertThat(p).containsEntry("session.timeout.ms", 10_000).containsEntry("heartbeat.interval.ms", 2_000)
                .containsEntry("transaction.timeout.ms", 60_000).containsEntry("request.timeout.ms", 5_000);
    }

    @Test
    void shouldLetTheOperatorsKafkaVariablesWinOverTheDefaults() {
        StreamsSettings s = settings(Map.of("OCPPGW_BOOTSTRAP_SERVER", "kafka:9092", "KAFKA_SESSION_TIMEOUT_MS", "30000",
                "KAFKA_TRANSACTION_TIMEOUT_MS", "15000"));

        assertThat(s.properties()).containsEntry("session.timeout.ms", "30000").containsEntry("transaction.timeout.ms", "15000");
        assertThat(s.adminSettings()).containsEntry("request.timeout.ms", 5_000).containsEntry("bootstrap.servers", "kafka:9092")
                .doesNotContainKey("heartbeat.interval.ms");
    }
}
