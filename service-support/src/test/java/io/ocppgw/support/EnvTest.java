package io.ocppgw.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    enum Policy {
        STRICT,
        WARN,
        OFF,
        FAIL_FAST
    }

    @Test
    void shouldReadTypedValuesAndDefaults() {
        Env env = new Env(Map.of(
                "OCPPGW_PORT",
                "8081",
                "OCPPGW_BUDGET",
                "PT10S",
                "OCPPGW_POLICY",
                "fail-fast",
                "OCPPGW_TLS",
                "yes",
                "OCPPGW_BLANK",
                "  "));

        assertThat(env.port("OCPPGW_PORT", 8080)).isEqualTo(8081);
        assertThat(env.port("OCPPGW_ADMIN_PORT", 9080)).isEqualTo(9080);
        assertThat(env.duration("OCPPGW_BUDGET", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(env.choice("OCPPGW_POLICY", Policy.class, Policy.STRICT)).isEqualTo(Policy.FAIL_FAST);
        assertThat(env.bool("OCPPGW_TLS", false)).isTrue();
        assertThat(env.string("OCPPGW_BLANK", "default")).isEqualTo("default");
        env.validate();
    }

    @Test
    void shouldNameTheVariableTheValueAndTheRuleOfEveryProblem() {
        Env env = new Env(Map.of(
                "OCPPGW_PORT",
                "eighty",
                "OCPPGW_BUDGET",
                "10s",
                "OCPPGW_POLICY",
                "lenient",
                "OCPPGW_TLS",
                "maybe",
                "OCPPGW_CAP",
                "0"));

        env.port("OCPPGW_PORT", 8080);
        env.duration("OCPPGW_BUDGET", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(1));
        env.choice("OCPPGW_POLICY", Policy.class, Policy.STRICT);
        env.bool("OCPPGW_TLS", false);
        env.integer("OCPPGW_CAP", 100, 1, 19000);
        env.requiredString("OCPPGW_POD_ID");

        assertThatThrownBy(env::validate)
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "OCPPGW_PORT='eighty': must be a whole number from 1 to 65535",
                                        "OCPPGW_BUDGET='10s': must be an ISO-8601 duration from PT1S to PT1M (e.g. PT10S)",
                                        "OCPPGW_POLICY='lenient': must be one of strict, warn, off, fail-fast",
                                        "OCPPGW_TLS='maybe': must be true or false",
                                        "OCPPGW_CAP='0': must be a whole number from 1 to 19000",
                                        "OCPPGW_POD_ID is not set: it is required"));
    }

    @Test
    void shouldRejectADurationOutsideItsRange() {
        Env env = new Env(Map.of("OCPPGW_BUDGET", "PT2H"));

        env.duration("OCPPGW_BUDGET", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1));

        assertThat(env.problems())
                .singleElement()
                .asString()
                .contains("OCPPGW_BUDGET='PT2H'")
                .contains("PT1M");
    }

    @Test
    void shouldPassKafkaClientSettingsThroughButNotScriptOptions() {
        Map<String, Object> settings = KafkaClientSettings.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "OCPPGW_PORT", "1",
                "KAFKA_", "x"));

        assertThat(settings)
                .containsExactly(
                        Map.entry("bootstrap.servers", "broker:9092"),
                        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry("security.protocol", "SASL_SSL"));
    }
}
