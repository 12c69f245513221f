package io.ocppgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvDefaultsTest {

    @Test
    void shouldNameTheVariableOfEachOption() {
        assertThat(EnvDefaults.variableFor("--admin-port")).isEqualTo("OCPPGW_ADMIN_PORT");
        assertThat(EnvDefaults.variableFor("--down-partitions")).isEqualTo("OCPPGW_DOWN_PARTITIONS");
    }

    @Test
    void shouldTakeTheBootstrapServerFromEitherVariableOwnFirst() {
        var both = new EnvDefaults(Map.of("OCPPGW_BOOTSTRAP_SERVER", "a:1", "KAFKA_BOOTSTRAP_SERVERS", "b:2"));
        var kafkaOnly = new EnvDefaults(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:2"));

        assertThat(both.sourceOf("--bootstrap-server")).contains("OCPPGW_BOOTSTRAP_SERVER");
        assertThat(kafkaOnly.sourceOf("--bootstrap-server")).contains("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(kafkaOnly.sourceOf("--partitions")).isEmpty();
    }

    @Test
    void shouldExitWithTheUsageCodeOnBadOptionsWithoutTouchingKafka() {
        assertThat(Ocppgw.run(
                        Map.of("OCPPGW_PARTITIONS", "many"), "topics", "plan", "--bootstrap-server", "127.0.0.1:1"))
                .isEqualTo(Ocppgw.EXIT_USAGE);
        assertThat(Ocppgw.run(Map.of(), "topics", "verify"))
                .as("missing --bootstrap-server")
                .isEqualTo(Ocppgw.EXIT_USAGE);
        assertThat(Ocppgw.run(Map.of(), "topics", "plan", "--bootstrap-server", "x:1", "--profile", "staging"))
                .isEqualTo(Ocppgw.EXIT_USAGE);
        assertThat(Ocppgw.run(Map.of(), "topics", "plan", "--bootstrap-server", "x:1", "--topic-prefix", "no/slash"))
                .isEqualTo(Ocppgw.EXIT_USAGE);
        assertThat(Ocppgw.run(Map.of("OCPPGW_GRACE", "soon"), "reconcile", "--bootstrap-server", "x:1"))
                .isEqualTo(Ocppgw.EXIT_USAGE);
        assertThat(Ocppgw.run(Map.of(), "route", "--processing-guarantee", "maybe", "--bootstrap-server", "x:1"))
                .isEqualTo(Ocppgw.EXIT_USAGE);
        assertThat(Ocppgw.run(Map.of(), "--version")).isZero();
    }

    @Test
    void shouldRefuseAPortOutOfRangeOrAMalformedDurationNamingTheOptionAndItsVariableBeforeAnythingStarts() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Ocppgw.run(Map.of("OCPPGW_PORT", "-1"), "dev")).isEqualTo(Ocppgw.EXIT_USAGE);
            assertThat(Ocppgw.run(Map.of(), "dev", "--admin-port", "70000")).isEqualTo(Ocppgw.EXIT_USAGE);
            assertThat(Ocppgw.run(
                            Map.of("OCPPGW_TIMEOUT", "30s"), "topics", "plan", "--bootstrap-server", "127.0.0.1:1"))
                    .isEqualTo(Ocppgw.EXIT_USAGE);
        } finally {
            System.setErr(err);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains(
                        "Invalid value for option '--timeout': '30s' is not an ISO-8601 duration (e.g. PT30S, PT0.5S or PT5M)"
                                + " (the value came from OCPPGW_TIMEOUT)")
                .contains(
                        "'--port': -1 is not a TCP port (0 to 65535; 0 picks a free one) (the value came from OCPPGW_PORT)")
                .contains("'--admin-port': 70000 is not a TCP port");
    }
}
